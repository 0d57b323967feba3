// Requests/s of Hono (@hono/node-server) and Express, bare vs instrumented with
// @tally/instrument, in the same run. Each server runs in its own child process (servers.ts),
// so they share no JIT feedback, heap or SDK timers; this process is the load (node:http
// keep-alive, BENCH_CONNECTIONS concurrent requests, the same paths for every server). After a
// warm-up of each server, every round runs the variants of each framework back to back in a
// shuffled order, and the ratios are taken within the round, so a neighbour's load on a shared
// machine hits both sides of a ratio alike. Prints the median requests/s and server CPU time per
// request (less noisy than requests/s on a shared machine), and per framework the median and
// range of the per-round instrumented/bare ratios. Target: at most 5% fewer requests/s. A third
// server per framework has one empty middleware: the part of the cost any middleware pays.
// BENCH_FRAMEWORKS=express (comma-separated) loads only those frameworks' servers.
import { type ChildProcess, fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 16);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2_000);
const ALL_FRAMEWORKS = ['hono', 'express'] as const;
const requested = (process.env.BENCH_FRAMEWORKS ?? ALL_FRAMEWORKS.join(',')).split(',');
const FRAMEWORKS = ALL_FRAMEWORKS.filter((f) => requested.includes(f));
if (FRAMEWORKS.length !== requested.length) {
  throw new Error(`BENCH_FRAMEWORKS: expected a comma-separated subset of ${ALL_FRAMEWORKS}`);
}
const VARIANTS = ['bare', 'empty middleware', 'instrumented'] as const;
type Framework = (typeof ALL_FRAMEWORKS)[number];
type Variant = (typeof VARIANTS)[number];

interface Server {
  readonly child: ChildProcess;
  readonly port: number;
  /** Per round, in round order. */
  readonly rps: number[];
  readonly cpuUsPerRequest: number[];
}

const nextMessage = <T>(child: ChildProcess) =>
  new Promise<T>((resolve) => child.once('message', (m) => resolve(m as T)));

async function startServer(framework: Framework, variant: Variant): Promise<Server> {
  const child = fork(fileURLToPath(new URL('./servers.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx', '--conditions=source'],
    env: { ...process.env, BENCH_TARGET: `${framework} ${variant.split(' ')[0]}` },
  });
  const { port } = await nextMessage<{ port: number }>(child);
  return { child, port, rps: [], cpuUsPerRequest: [] };
}

async function cpuUs(child: ChildProcess): Promise<number> {
  const reply = nextMessage<{ cpu: NodeJS.CpuUsage }>(child);
  child.send('cpu');
  const { cpu } = await reply;
  return cpu.user + cpu.system;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });

function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(body));
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

const shuffled = <T>(values: readonly T[]) => [...values].sort(() => Math.random() - 0.5);
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const servers = new Map<string, Server>();
for (const framework of FRAMEWORKS) {
  for (const variant of VARIANTS) {
    servers.set(`${framework} ${variant}`, await startServer(framework, variant));
  }
}
const serverOf = (framework: Framework, variant: Variant) =>
  servers.get(`${framework} ${variant}`) as Server;

// Fairness check: the variants of a framework answer a request with the same body.
for (const framework of FRAMEWORKS) {
  const bodies = await Promise.all(
    VARIANTS.map((v) => get(serverOf(framework, v).port, '/api/tickets/42')),
  );
  if (new Set(bodies).size !== 1) throw new Error(`${framework}: variants answer differently`);
}

for (const server of servers.values()) await load(server.port, WARMUP_MS);
for (let round = 0; round < ROUNDS; round++) {
  for (const framework of shuffled(FRAMEWORKS)) {
    for (const variant of shuffled(VARIANTS)) {
      const server = serverOf(framework, variant);
      const cpuBefore = await cpuUs(server.child);
      const start = performance.now();
      const count = await load(server.port, ROUND_MS);
      const seconds = (performance.now() - start) / 1_000;
      const cpuUsed = (await cpuUs(server.child)) - cpuBefore;
      server.rps.push(count / seconds);
      server.cpuUsPerRequest.push(cpuUsed / count);
    }
  }
}
for (const server of servers.values()) server.child.send('stop');
agent.destroy();

/** Per round, `a`'s value over `b`'s: both measured in the same round, back to back. */
const ratios = (a: readonly number[], b: readonly number[]) =>
  a.map((value, i) => value / (b[i] as number));
const summary = (values: readonly number[]) =>
  `${median(values).toFixed(3)} (rounds ${Math.min(...values).toFixed(3)}-${Math.max(...values).toFixed(3)})`;

console.log(
  `bench/middleware: ${ROUNDS} rounds of ${ROUND_MS} ms per server, ${CONNECTIONS} keep-alive connections, sample rate ${process.env.BENCH_SAMPLE_RATE ?? 0.1}, one process per server`,
);
const verdicts: string[] = [];
for (const framework of FRAMEWORKS) {
  for (const variant of VARIANTS) {
    const { rps, cpuUsPerRequest } = serverOf(framework, variant);
    console.log(
      `${`${framework} ${variant}`.padEnd(26)} ${median(rps).toFixed(0).padStart(7)} req/s  ${median(cpuUsPerRequest).toFixed(1).padStart(6)} us CPU/request`,
    );
  }
  const bare = serverOf(framework, 'bare');
  const empty = serverOf(framework, 'empty middleware');
  const instrumented = serverOf(framework, 'instrumented');
  const rpsRatio = ratios(instrumented.rps, bare.rps);
  console.log(`  instrumented/bare req/s:             ${summary(rpsRatio)}`);
  console.log(
    `  instrumented/bare CPU/request:       ${summary(ratios(instrumented.cpuUsPerRequest, bare.cpuUsPerRequest))}`,
  );
  console.log(
    `  instrumented/empty middleware req/s: ${summary(ratios(instrumented.rps, empty.rps))}`,
  );
  const loss = (1 - median(rpsRatio)) * 100;
  verdicts.push(
    `${framework}: instrumented/bare ${median(rpsRatio).toFixed(3)} req/s (${loss.toFixed(1)}% fewer; target <= 5%: ${loss <= 5 ? 'met' : 'NOT met'})`,
  );
}
for (const verdict of verdicts) console.log(verdict);
