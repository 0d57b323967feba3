// Query latency: each insight through runQuery next to a hand-written DuckDB query computing the
// same answer, on a cached generated data set (BENCH_EVENTS, default 1M). Checks the answers
// agree, interleaves the runs (one warm-up, then the median of BENCH_RUNS each) and prints
// insight | tally ms | hand-written ms | ratio (BENCH_ONLY picks insights). Targets at 10M (issue 4): trends <= 200 ms,
// funnel and retention <= 1 s, each <= 1.5x the hand-written SQL.
import { DuckDBInstance } from '@duckdb/node-api';
import { type QueryResponse, runQuery, type SqlRunner } from '@tally/query';
import { END_MS, ensureDataset, PROJECT_ID } from './dataset.js';
import { type BenchInsight, INSIGHTS } from './insights.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
/** Comma-separated parts of insight names to run (e.g. `funnel,dau`); all when unset. */
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter((part) => part !== '');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** A first run slower than this is reported alone instead of repeated. */
const SLOW_MS = Number(process.env.BENCH_SLOW_MS ?? 10_000);
/** A run still going after this is interrupted and reported as a timeout. */
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 60_000);

type Row = Readonly<Record<string, unknown>>;

interface Timed<T> {
  readonly ms: number;
  readonly value: T;
}

async function timed<T>(run: () => Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const format = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

async function main(): Promise<void> {
  const dataset = await ensureDataset(EVENTS);
  console.log(
    dataset.generated
      ? `generated ${EVENTS.toLocaleString('en')} events in ${(dataset.generateMs / 1000).toFixed(1)} s: ${dataset.path}`
      : `reused ${dataset.path}`,
  );
  const instance = await DuckDBInstance.create(dataset.path);
  const connection = await instance.connect();
  const runner: SqlRunner = async (sql, params) =>
    (await connection.runAndReadAll(sql, [...params])).getRowObjectsJS();
  const options = { projectId: PROJECT_ID, timezone: 'UTC', now: END_MS, runner };

  /** Runs `run`, interrupting DuckDB and rejecting once TIMEOUT_MS has passed. */
  const withTimeout = async <T>(run: () => Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        connection.interrupt();
        reject(new Error('timeout'));
      }, TIMEOUT_MS);
    });
    try {
      return await Promise.race([run(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  const tally = (insight: BenchInsight) => () =>
    withTimeout(() => runQuery(insight.query, options) as Promise<QueryResponse>);
  const hand = (insight: BenchInsight) => () =>
    withTimeout(async (): Promise<Row[]> => runner(insight.handSql, []));

  const table: string[][] = [];
  let mismatches = 0;
  const selected = INSIGHTS.filter(
    (insight) => ONLY.length === 0 || ONLY.some((part) => insight.name.includes(part)),
  );
  for (const insight of selected) {
    const handFirst = await timed(hand(insight));
    let tallyFirst: Timed<QueryResponse>;
    try {
      tallyFirst = await timed(tally(insight));
    } catch (error) {
      if (!(error instanceof Error) || error.message !== 'timeout') throw error;
      table.push([insight.name, `> ${TIMEOUT_MS} (timed out)`, format(handFirst.ms), '-']);
      continue;
    }
    const diff = insight.compare(tallyFirst.value, handFirst.value);
    if (diff !== null) {
      mismatches += 1;
      console.error(`!!! MISMATCH in ${insight.name}: ${diff}`);
    }
    let tallyMs = tallyFirst.ms;
    let handMs = handFirst.ms;
    let note = '';
    if (tallyFirst.ms > SLOW_MS) {
      note = ' (one run)';
    } else {
      const tallyRuns: number[] = [];
      const handRuns: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        tallyRuns.push((await timed(tally(insight))).ms);
        handRuns.push((await timed(hand(insight))).ms);
      }
      tallyMs = median(tallyRuns);
      handMs = median(handRuns);
    }
    table.push([
      `${insight.name}${diff === null ? '' : ' MISMATCH'}`,
      `${format(tallyMs)}${note}`,
      format(handMs),
      `${(tallyMs / handMs).toFixed(2)}x`,
    ]);
  }
  connection.closeSync();
  instance.closeSync();
  printTable(['insight', 'tally ms', 'hand-written ms', 'ratio'], table);
  if (mismatches > 0) {
    console.error(`!!! ${mismatches} MISMATCH(ES): the answers above are not comparable`);
    process.exitCode = 1;
  }
}

function printTable(header: readonly string[], rows: readonly string[][]): void {
  console.log(`\n${EVENTS.toLocaleString('en')} events, median of ${RUNS} runs after a warm-up\n`);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

await main();
