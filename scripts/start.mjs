// `npm start`: runs Tally. The ingestion server arrives in a later release; until then this
// builds the packages and says what is available, and exits successfully.
import { execFileSync } from 'node:child_process';

execFileSync('npx', ['tsc', '-b'], { stdio: 'inherit' });
console.log(
  [
    'Tally: the event catalog and the Node SDK are built (packages/catalog, packages/sdk).',
    'The server arrives in a later release: there is nothing to run yet.',
    'See docs/events.md for the event reference and README.md for the SDK.',
  ].join('\n'),
);
