// Requests/s of Hono (@hono/node-server) and Express, bare vs instrumented with
// @tally/instrument, in the same run: the servers in one child process, this process the load
// (node:http keep-alive, BENCH_CONNECTIONS concurrent requests), rounds interleaved in a
// shuffled order. Prints the median requests/s, the server's CPU time per request (less noisy
// than requests/s on a shared machine), and the instrumented/bare ratios. Target: at most 5%
// fewer requests/s. A third server per framework has one empty middleware: the part of the
// cost that any middleware pays.
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 2_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARMUP_MS = 1_500;
const PAIRS = [
  ['hono bare', 'hono empty middleware', 'hono instrumented'],
  ['express bare', 'express empty middleware', 'express instrumented'],
] as const;
type Target = (typeof PAIRS)[number][number];

const child = fork(fileURLToPath(new URL('./servers.ts', import.meta.url)), {
  execArgv: ['--import', 'tsx', '--conditions=source'],
  env: { ...process.env },
});
const nextMessage = <T>() =>
  new Promise<T>((resolve) => child.once('message', (m) => resolve(m as T)));
const { ports } = await nextMessage<{ ports: Record<Target, number> }>();
const cpu = async () => {
  const reply = nextMessage<{ cpu: NodeJS.CpuUsage }>();
  child.send('cpu');
  const { cpu: usage } = await reply;
  return usage.user + usage.system;
};

const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });

function get(port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Requests completed in `ms` by CONNECTIONS loops, each waiting for its response. */
async function load(port: number, ms: number): Promise<number> {
  const until = performance.now() + ms;
  let count = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, i) => {
      while (performance.now() < until) {
        await get(port, `/api/tickets/${1000 + ((count + i) % 500)}`);
        count++;
      }
    }),
  );
  return count;
}

const targets = PAIRS.flat();
const results = new Map<Target, { rps: number[]; cpuUsPerRequest: number[] }>(
  targets.map((t) => [t, { rps: [], cpuUsPerRequest: [] }]),
);
for (const target of targets) await load(ports[target], WARMUP_MS);
for (let round = 0; round < ROUNDS; round++) {
  const order = [...targets].sort(() => Math.random() - 0.5);
  for (const target of order) {
    const cpuBefore = await cpu();
    const start = performance.now();
    const count = await load(ports[target], ROUND_MS);
    const seconds = (performance.now() - start) / 1_000;
    const cpuUs = (await cpu()) - cpuBefore;
    const result = results.get(target);
    result?.rps.push(count / seconds);
    result?.cpuUsPerRequest.push(cpuUs / count);
  }
}
child.send('stop');
agent.destroy();

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

console.log(
  `bench/middleware: ${ROUNDS} interleaved rounds of ${ROUND_MS} ms, ${CONNECTIONS} keep-alive connections, sample rate ${process.env.BENCH_SAMPLE_RATE ?? 0.1}`,
);
for (const group of PAIRS) {
  const rows = group.map((target) => {
    const r = results.get(target) ?? { rps: [], cpuUsPerRequest: [] };
    return { target, rps: median(r.rps), cpu: median(r.cpuUsPerRequest) };
  });
  for (const row of rows) {
    console.log(
      `${row.target.padEnd(26)} ${row.rps.toFixed(0).padStart(7)} req/s  ${row.cpu.toFixed(1).padStart(6)} us CPU/request`,
    );
  }
  const [bare, empty, instrumented] = rows as [
    (typeof rows)[0],
    (typeof rows)[0],
    (typeof rows)[0],
  ];
  const loss = (1 - instrumented.rps / bare.rps) * 100;
  console.log(
    `  instrumented/bare: ${(instrumented.rps / bare.rps).toFixed(3)} req/s (${loss.toFixed(1)}% fewer; target <= 5%), ${(instrumented.cpu / bare.cpu).toFixed(3)} CPU/request; instrumented/empty middleware: ${(instrumented.rps / empty.rps).toFixed(3)} req/s, ${(instrumented.cpu / empty.cpu).toFixed(3)} CPU/request`,
  );
}
