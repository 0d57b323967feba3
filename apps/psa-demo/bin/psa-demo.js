#!/usr/bin/env node
// The `psa-demo` command: psa-demo [--data <dir>] [--port <n>]. Runs the compiled app (tsc -b).
import { parseArgs } from 'node:util';
import { servePsaDemo } from '../dist/serve.js';

const { values } = parseArgs({
  options: { data: { type: 'string' }, port: { type: 'string' } },
});
const port = values.port === undefined ? undefined : Number(values.port);
const started = await servePsaDemo({
  ...(values.data === undefined ? {} : { dataDir: values.data }),
  ...(port === undefined ? {} : { port }),
});
console.log(
  `PSA demo listening on http://localhost:${started.port} (${values.data ?? 'in-memory database'})`,
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    void started.close().then(() => process.exit(0));
  });
}
