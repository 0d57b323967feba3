// The server under load, in its own process (forked by index.ts) so the load generator does
// not share its core. Answers 'stats' with the group committer's numbers; 'stop' closes it.
import { listen, openTally, resolveConfig } from '@tally/server';

const dataDir = process.argv[2] as string;
const config = resolveConfig(
  { dataDir, port: '0' },
  {
    TALLY_BOOTSTRAP_TOKEN: 'phc_benchmarkingestion01',
    TALLY_BOOTSTRAP_API_KEY: 'phx_benchmarkingestion01',
    TALLY_BOOTSTRAP_ADMIN_PASSWORD: 'benchmark-password',
  },
);
const tally = await openTally(config);
const { server, url } = await listen(tally.app, 0, '127.0.0.1');
process.on('message', (message) => {
  if (message === 'stats') process.send?.({ stats: tally.committer.stats() });
  if (message === 'stop') {
    server.close();
    void tally.close().then(() => process.exit(0));
  }
});
process.send?.({ url });
