// `npm start`: builds what is needed and runs `tally start` on ./.tally (TALLY_* env applies).
// On a new data dir it then fills Tally with 90 days of demo usage from the PSA demo
// (`tally simulate`, 24 tenants, with the "New ticket form" experiment set up through the
// personal API key printed on first start), so the first charts are real; TALLY_DEMO_DATA=false
// skips it.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const started = performance.now();
execFileSync('npx', ['tsc', '-b'], { stdio: 'inherit' });
const args = ['apps/server/bin/tally.js', 'start', ...process.argv.slice(2)];
if (!process.env.TALLY_DATA_DIR && !args.includes('--data-dir'))
  args.push('--data-dir', './.tally');
const flag = args.indexOf('--data-dir');
const dataDir = flag >= 0 ? args[flag + 1] : process.env.TALLY_DATA_DIR;
const isNew = !existsSync(dataDir) || readdirSync(dataDir).length === 0;
const wantsDemo = isNew && process.env.TALLY_DEMO_DATA !== 'false';
const child = spawn(process.execPath, args, { stdio: ['inherit', 'pipe', 'inherit'] });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

let output = '';
let simulated = !wantsDemo;
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (simulated) return;
  output += chunk.toString();
  const ready = /Tally is ready at (\S+)/.exec(output);
  const token = /write token \(for SDKs\):\s+(\S+)/.exec(output);
  const apiKey = /personal API key \(for \/api\):\s+(\S+)/.exec(output);
  if (ready === null || token === null || apiKey === null) return;
  simulated = true;
  const sim = spawn(
    process.execPath,
    [
      'apps/server/bin/tally.js',
      'simulate',
      '--url',
      ready[1],
      '--token',
      token[1],
      '--api-key',
      apiKey[1],
    ],
    { stdio: 'inherit' },
  );
  sim.on('exit', (code) => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (code === 0)
      console.log(
        `npm start: demo data ready ${seconds} s after npm start; still serving at ${ready[1]}`,
      );
    else console.error(`npm start: the demo data run failed (exit ${code}); Tally keeps serving`);
  });
});
