// The server under load, in its own process (forked by index.ts) so the load generator does
// not share its core. 'mark' starts counting its CPU time; 'stats' answers with the group
// committer's numbers and the CPU time since the mark; 'stop' closes it.
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
let cpuAtMark = process.cpuUsage();
process.on('message', (message) => {
  if (message === 'mark') cpuAtMark = process.cpuUsage();
  if (message === 'stats') {
    const cpu = process.cpuUsage(cpuAtMark);
    process.send?.({ stats: { ...tally.committer.stats(), cpuMicros: cpu.user + cpu.system } });
  }
  if (message === 'stop') {
    server.close();
    void tally.close().then(() => process.exit(0));
  }
});
process.send?.({ url });
