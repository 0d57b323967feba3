import { parseArgs } from 'node:util';
import { StoreError } from '@tally/store';
import { ConfigError, resolveConfig } from '../config.js';
import { listen, openTally } from '../server.js';
import { simulateCommand } from './simulate.js';

const USAGE = `Usage: tally start [--port 8787] [--host 127.0.0.1] [--data-dir ./.tally]
       tally simulate [--days 90] [--tenants 24] [--seed 1] [--url ...] [--token ...] (--help)

Runs Tally: PostHog-compatible capture (/batch/, /e/, /i/v0/e/, ...), the read API (/api/...),
on one embedded DuckDB file in the data dir.

Environment: TALLY_PORT, TALLY_HOST, TALLY_DATA_DIR; on first start TALLY_BOOTSTRAP_TOKEN,
TALLY_BOOTSTRAP_API_KEY, TALLY_BOOTSTRAP_ADMIN_EMAIL, TALLY_BOOTSTRAP_ADMIN_PASSWORD.`;

/** `tally start`: exit code 0 on a clean SIGTERM/SIGINT, 1 on a start failure, 2 on bad usage. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (argv[0] === 'simulate') return simulateCommand(argv.slice(1), env);
  let parsed: ReturnType<
    typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; args: string[] }>
  >;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true });
  } catch (error) {
    console.error(`tally: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command] = parsed.positionals;
  if (parsed.values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !parsed.values.help ? 2 : 0;
  }
  if (command !== 'start') {
    console.error(`tally: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  const started = performance.now();
  let config: ReturnType<typeof resolveConfig>;
  try {
    config = resolveConfig(
      {
        ...(parsed.values.port === undefined ? {} : { port: parsed.values.port }),
        ...(parsed.values.host === undefined ? {} : { host: parsed.values.host }),
        ...(parsed.values['data-dir'] === undefined ? {} : { dataDir: parsed.values['data-dir'] }),
      },
      env,
    );
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`tally: ${error.message}`);
      return 2;
    }
    throw error;
  }
  let tally: Awaited<ReturnType<typeof openTally>>;
  try {
    tally = await openTally(config);
  } catch (error) {
    if (error instanceof StoreError && error.code === 'locked') {
      console.error(
        `tally: the data dir ${config.dataDir} is in use by another Tally process. Stop it, or start with another --data-dir.`,
      );
      return 1;
    }
    throw error;
  }
  const { server, url } = await listen(tally.app, config.port, config.host).catch(
    async (error: NodeJS.ErrnoException) => {
      await tally.close();
      console.error(
        `tally: cannot listen on ${config.host}:${config.port}: ${error.code ?? error.message}`,
      );
      process.exit(1);
    },
  );
  const b = tally.bootstrapped;
  if (b !== undefined) {
    console.log(
      [
        `New data dir ${config.dataDir}: created project ${b.projectId}.`,
        `  write token (for SDKs):       ${b.token}`,
        `  personal API key (for /api):  ${b.apiKey}`,
        `  admin login:                  ${b.adminEmail}${b.generatedPassword === undefined ? '' : ` / ${b.generatedPassword}`}`,
        `  dashboard:                    ${url}/`,
        'Keep the API key and password: they are stored hashed and not shown again.',
      ].join('\n'),
    );
  }
  console.log(
    `Tally is ready at ${url} (data dir ${config.dataDir}, started in ${Math.round(performance.now() - started)} ms)`,
  );

  return new Promise<number>((resolveExit) => {
    const stop = (signal: string) => {
      console.log(`tally: ${signal}: finishing pending writes`);
      server.close();
      tally
        .close()
        .then(() => resolveExit(0))
        .catch((error) => {
          console.error('tally: could not close cleanly', error);
          resolveExit(1);
        });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
