import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import type { HttpCore } from '../core.js';
import type { Identify } from '../options.js';

export interface FastifyAdapterOptions {
  /** Overrides the instrumentation's `identify` for this app, typed for Fastify. */
  identify?: Identify<FastifyRequest>;
}

interface RequestState {
  start: number;
  thrown?: { error: unknown };
}

/**
 * Fastify plugin (`app.register(http.fastify)`): `onRequest` starts the clock, `onError` notes
 * the error, `onResponse` records with `request.routeOptions.url`, which is undefined when no
 * route matched. Marked `skip-override` (what fastify-plugin does) so the hooks apply to the
 * whole app rather than an encapsulated child context.
 */
export function fastifyPlugin(
  core: HttpCore,
  options: FastifyAdapterOptions = {},
): FastifyPluginCallback {
  const { identify } = options;
  const { now } = core.options;
  const states = new WeakMap<FastifyRequest, RequestState>();
  function record(request: FastifyRequest, status: number, state: RequestState): void {
    const durationMs = now() - state.start;
    const emits = core.emits(status, durationMs, state.thrown !== undefined);
    if (emits === 0) return;
    core.record(
      {
        method: request.method,
        template: request.routeOptions.url,
        rawPath: request.url,
        status,
        durationMs,
        request,
        identify,
        hasError: state.thrown !== undefined,
        error: state.thrown?.error,
      },
      emits,
    );
  }
  const plugin: FastifyPluginCallback = (app, _options, done) => {
    app.addHook('onRequest', (request, _reply, next) => {
      states.set(request, { start: now() });
      next();
    });
    app.addHook('onError', (request, _reply, error, next) => {
      const state = states.get(request);
      if (state !== undefined) state.thrown = { error };
      next();
    });
    app.addHook('onResponse', (request, reply, next) => {
      const state = states.get(request);
      if (state !== undefined) record(request, reply.statusCode, state);
      next();
    });
    done();
  };
  Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'tally-http',
  });
  return plugin;
}
