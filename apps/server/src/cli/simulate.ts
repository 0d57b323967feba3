// `tally simulate`: fills a running Tally with demo usage from the PSA demo (@tally/simulator).
// The simulator is imported when the command runs, so the server does not load it (or depend on
// it) otherwise.
import { parseArgs } from 'node:util';

export const SIMULATE_USAGE = `Usage: tally simulate [--days 90] [--tenants 24] [--seed 1] [--url http://127.0.0.1:8787]
                      [--token phc_...] [--api-key phx_...] [--start-date YYYY-MM-DD]
                      [--deployment hosted|on-premise]

Runs the PSA demo in this process with personas across many tenants over simulated days (ending
yesterday unless --start-date is given) and sends its usage to the Tally at --url.
With a personal API key it first sets up the "New ticket form" experiment (the new-ticket-form
flag, tenants split 50/50, started on the first simulated day), which the PSA then runs.
The token defaults to TALLY_TOKEN, then TALLY_BOOTSTRAP_TOKEN; the API key to TALLY_API_KEY,
then TALLY_BOOTSTRAP_API_KEY.`;

const OPTIONS = {
  days: { type: 'string' },
  tenants: { type: 'string' },
  seed: { type: 'string' },
  url: { type: 'string' },
  token: { type: 'string' },
  'api-key': { type: 'string' },
  'start-date': { type: 'string' },
  deployment: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What this command uses of @tally/simulator (kept local: no build-time dependency). */
interface SimulatorModule {
  simulate(options: {
    seed: number;
    days: number;
    tenants: number;
    tallyUrl: string;
    token: string;
    apiKey?: string;
    startDate: string;
    deployment: 'hosted' | 'on-premise';
    onDay?: (day: number, days: number) => void;
  }): Promise<{
    tenants: number;
    users: number;
    requests: number;
    sdk: { captured: number; sent: number };
    experiment: { resultsUrl: string } | undefined;
  }>;
}

const DAY_MS = 86_400_000;

function intFlag(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
  }
  return Number(raw);
}

/** Parses the flags; throws an Error whose message is the one line to print. */
export function parseSimulateArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  todayMs: number,
) {
  const { values } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: false });
  if (values.help) return undefined;
  const days = intFlag('days', values.days, 90, 1, 3650);
  const tenants = intFlag('tenants', values.tenants, 24, 1, 500);
  const seed = intFlag('seed', values.seed, 1, 0, 0xffffffff);
  const url = values.url ?? 'http://127.0.0.1:8787';
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw new Error('--url must be an http(s) URL');
  const token = values.token ?? env.TALLY_TOKEN ?? env.TALLY_BOOTSTRAP_TOKEN;
  if (token === undefined || !/^[A-Za-z0-9_-]{8,64}$/.test(token)) {
    throw new Error(
      '--token (or TALLY_TOKEN) must be the project write token, 8-64 URL-safe characters',
    );
  }
  const apiKey = values['api-key'] ?? env.TALLY_API_KEY ?? env.TALLY_BOOTSTRAP_API_KEY;
  if (apiKey !== undefined && !/^[A-Za-z0-9_-]{16,64}$/.test(apiKey)) {
    throw new Error(
      '--api-key (or TALLY_API_KEY) must be a personal API key, 16-64 URL-safe characters',
    );
  }
  const deployment = values.deployment ?? 'hosted';
  if (deployment !== 'hosted' && deployment !== 'on-premise') {
    throw new Error('--deployment must be hosted or on-premise');
  }
  const start = values['start-date'];
  if (start !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(start)) {
    throw new Error('--start-date must be a date such as 2026-01-05');
  }
  const today = Math.floor(todayMs / DAY_MS) * DAY_MS;
  const startDate = start ?? new Date(today - days * DAY_MS).toISOString().slice(0, 10);
  return {
    days,
    tenants,
    seed,
    tallyUrl: url,
    token,
    ...(apiKey === undefined ? {} : { apiKey }),
    startDate,
    deployment,
  } as const;
}

/** `tally simulate`: exit code 0 when done, 1 when the run fails, 2 on bad usage. */
export async function simulateCommand(argv: readonly string[], env: NodeJS.ProcessEnv) {
  let options: ReturnType<typeof parseSimulateArgs>;
  try {
    options = parseSimulateArgs(argv, env, Date.now());
  } catch (error) {
    console.error(`tally simulate: ${(error as Error).message}\n\n${SIMULATE_USAGE}`);
    return 2;
  }
  if (options === undefined) {
    console.log(SIMULATE_USAGE);
    return 0;
  }
  const specifier = '@tally/simulator';
  let simulate: SimulatorModule['simulate'];
  try {
    ({ simulate } = (await import(specifier)) as SimulatorModule);
  } catch {
    console.error('tally simulate: @tally/simulator is not installed (npm install in the repo)');
    return 1;
  }
  const health = await fetch(`${options.tallyUrl.replace(/\/+$/, '')}/_health`).catch(
    () => undefined,
  );
  if (health?.ok !== true) {
    console.error(
      `tally simulate: no Tally answers at ${options.tallyUrl} (start one with tally start)`,
    );
    return 1;
  }
  const started = performance.now();
  console.log(
    `tally simulate: ${options.days} days from ${options.startDate}, ${options.tenants} tenants, seed ${options.seed} -> ${options.tallyUrl}`,
  );
  if (options.apiKey === undefined) {
    console.log(
      'tally simulate: no --api-key (or TALLY_API_KEY): the "New ticket form" experiment is skipped',
    );
  }
  try {
    const result = await simulate({
      ...options,
      onDay: (day, days) => {
        if (day % 10 === 0 || day === days) process.stdout.write(`  day ${day}/${days}\n`);
      },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `tally simulate: done in ${seconds} s: ${result.tenants} tenants, ${result.users} users, ${result.requests} PSA requests, ${result.sdk.sent} events sent`,
    );
    if (result.experiment !== undefined) {
      console.log(
        `tally simulate: "New ticket form" experiment results (with the API key): ${result.experiment.resultsUrl}`,
      );
    }
    if (result.sdk.sent < result.sdk.captured) {
      console.error(
        `tally simulate: only ${result.sdk.sent} of ${result.sdk.captured} events reached ${options.tallyUrl} (is Tally running there, and is the token its write token?)`,
      );
      return 1;
    }
    return 0;
  } catch (error) {
    console.error(`tally simulate: ${(error as Error).message}`);
    return 1;
  }
}
