// `npm start`: builds what is needed and runs `tally start` on ./.tally (TALLY_* env applies).
// Demo data arrives with the PSA demo and simulator; until then the data dir starts empty.
import { execFileSync, spawn } from 'node:child_process';

execFileSync('npx', ['tsc', '-b'], { stdio: 'inherit' });
const args = ['apps/server/bin/tally.js', 'start', ...process.argv.slice(2)];
if (!process.env.TALLY_DATA_DIR && !args.includes('--data-dir'))
  args.push('--data-dir', './.tally');
const child = spawn(process.execPath, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
