import type { RequestListener } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { FastifyPluginCallback } from 'fastify';
import type { MiddlewareHandler } from 'hono';
import type { CaptureClient } from '../analytics.js';
import {
  type ExpressAdapterOptions,
  expressErrorRecorder,
  expressMiddleware,
} from './adapters/express.js';
import { type FastifyAdapterOptions, fastifyPlugin } from './adapters/fastify.js';
import { type HonoAdapterOptions, honoMiddleware } from './adapters/hono.js';
import {
  type NextAdapterOptions,
  nextRouteHandler,
  type RouteHandler,
  type WrappedRouteHandler,
} from './adapters/next.js';
import { type NodeAdapterOptions, nodeListener } from './adapters/node.js';
import { createHttpCore, type HttpCore } from './core.js';
import { type HttpInstrumentationOptions, resolveHttpOptions } from './options.js';

export interface HttpInstrumentation {
  /** The core the adapters share, for a framework without an adapter. */
  readonly core: HttpCore;
  /** Hono middleware: `app.use(http.hono())`, before the routes. */
  hono(options?: HonoAdapterOptions): MiddlewareHandler;
  /** Express middleware: `app.use(http.express())` before the routes. */
  express(options?: ExpressAdapterOptions): RequestHandler;
  /** Express error middleware: `app.use(http.expressErrors())` after the routes. */
  expressErrors(): ErrorRequestHandler;
  /** Fastify plugin: `app.register(http.fastify)`. */
  readonly fastify: FastifyPluginCallback;
  /** A Fastify plugin with adapter options: `app.register(http.fastifyWith({ identify }))`. */
  fastifyWith(options: FastifyAdapterOptions): FastifyPluginCallback;
  /** Next.js App Router: `export const GET = http.next('/api/tickets/[id]', handler)`. */
  next<Ctx>(
    template: string,
    handler: RouteHandler<Ctx>,
    options?: NextAdapterOptions,
  ): WrappedRouteHandler<Ctx>;
  /** node:http: `createServer(http.node(listener, { route }))`. */
  node<L extends RequestListener>(listener: L, options?: NodeAdapterOptions): L;
}

/**
 * HTTP instrumentation: one core that turns a request into `api_request`, `api_error` and
 * `slow_query`, and an adapter per framework. Options are validated here; a bad one throws an
 * InstrumentError naming it.
 * @example
 * const http = createHttpInstrumentation(analytics, {
 *   sampleRate: 0.1,
 *   identify: (c: Context) => {
 *     const user = c.get('user');
 *     return user && { distinctId: user.id, tenantId: user.tenantId };
 *   },
 * });
 * app.use(http.hono());
 */
export function createHttpInstrumentation<R = never>(
  analytics: CaptureClient,
  options: HttpInstrumentationOptions<R> = {},
): HttpInstrumentation {
  const core = createHttpCore(analytics, resolveHttpOptions(options as HttpInstrumentationOptions));
  return Object.freeze({
    core,
    hono: (adapterOptions?: HonoAdapterOptions) => honoMiddleware(core, adapterOptions),
    express: (adapterOptions?: ExpressAdapterOptions) => expressMiddleware(core, adapterOptions),
    expressErrors: () => expressErrorRecorder(),
    fastify: fastifyPlugin(core),
    fastifyWith: (adapterOptions: FastifyAdapterOptions) => fastifyPlugin(core, adapterOptions),
    next: <Ctx>(
      template: string,
      handler: RouteHandler<Ctx>,
      adapterOptions?: NextAdapterOptions,
    ) => nextRouteHandler(core, template, handler, adapterOptions),
    node: <L extends RequestListener>(listener: L, adapterOptions?: NodeAdapterOptions) =>
      nodeListener(core, listener, adapterOptions) as unknown as L,
  });
}
