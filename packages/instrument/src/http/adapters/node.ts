import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { HttpCore } from '../core.js';
import type { Identify } from '../options.js';

export interface NodeAdapterOptions {
  /** The route template of a request, when the app routes by itself; else the raw path is templated. */
  route?: (request: IncomingMessage) => string | undefined;
  /** Overrides the instrumentation's `identify`, typed for node:http. */
  identify?: Identify<IncomingMessage>;
}

/**
 * Wraps a node:http request listener. Records at the response's `finish` (or `close`); a listener that
 * throws or rejects is recorded as `api_error` (status 500 unless it had set an error status)
 * and its error is re-thrown as it was.
 */
export function nodeListener(
  core: HttpCore,
  listener: RequestListener,
  options: NodeAdapterOptions = {},
): RequestListener {
  const { identify } = options;
  const { now } = core.options;
  return function tallyHttp(req: IncomingMessage, res: ServerResponse) {
    const start = now();
    let thrown: { error: unknown } | undefined;
    let isRecorded = false;
    const outcome = (status: number, durationMs: number) => ({
      method: req.method ?? 'GET',
      template: options.route?.(req),
      rawPath: req.url ?? '/',
      status,
      durationMs,
      request: req,
      identify,
      hasError: thrown !== undefined,
      error: thrown?.error,
    });
    const statusNow = () => (thrown !== undefined && res.statusCode < 400 ? 500 : res.statusCode);
    // `close` too: a listener that threw may never end the response.
    const record = () => {
      if (isRecorded) return;
      isRecorded = true;
      const status = statusNow();
      const durationMs = now() - start;
      const emits = core.emits(status, durationMs, thrown !== undefined);
      if (emits !== 0) core.record(outcome(status, durationMs), emits);
    };
    // An error after the response was sent (the listener ended it, then rejected).
    const fail = (error: unknown) => {
      thrown = { error };
      if (isRecorded) core.recordError(outcome(statusNow(), now() - start));
    };
    res.once('finish', record);
    res.once('close', record);
    let result: unknown;
    try {
      result = (listener as (req: IncomingMessage, res: ServerResponse) => unknown)(req, res);
    } catch (error) {
      fail(error);
      throw error;
    }
    if (result instanceof Promise) {
      return result.catch((error: unknown) => {
        fail(error);
        throw error;
      });
    }
    return result;
  } as RequestListener;
}
