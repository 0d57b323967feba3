// The `tally` command on the TypeScript sources, for tests that start a real process
// (bin/tally.js runs the compiled output, which a fresh checkout has not built yet).
import { main } from '../src/cli/main.js';

process.exit(await main(process.argv.slice(2), process.env));
