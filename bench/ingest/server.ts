// The server under load, in its own process (forked by index.ts) so the load generator does
// not share its core. 'mark' starts counting its CPU time; 'stats' answers with the group
// committer's numbers and the CPU time since the mark (whole process and main thread); 'stop'
// closes it.
import { readFileSync } from 'node:fs';
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
/**
 * CPU time of the main thread (the event loop: HTTP, decoding, privacy pipeline) in us, from
 * Linux's per-thread counters (clock ticks of 10 ms); NaN elsewhere. The rest of the process's
 * CPU is DuckDB's threads, the thread pool and the garbage collector's helpers.
 */
function mainThreadMicros(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return Number.NaN;
  }
}

let cpuAtMark = process.cpuUsage();
let mainAtMark = mainThreadMicros();
process.on('message', (message) => {
  if (message === 'mark') {
    cpuAtMark = process.cpuUsage();
    mainAtMark = mainThreadMicros();
  }
  if (message === 'stats') {
    const cpu = process.cpuUsage(cpuAtMark);
    process.send?.({
      stats: {
        ...tally.committer.stats(),
        cpuMicros: cpu.user + cpu.system,
        mainThreadMicros: mainThreadMicros() - mainAtMark,
      },
    });
  }
  if (message === 'stop') {
    server.close();
    void tally.close().then(() => process.exit(0));
  }
});
process.send?.({ url });
