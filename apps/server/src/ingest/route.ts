import type { Catalog } from '@tally/catalog';
import { type GroupCommitter, StoreError } from '@tally/store';
import type { Context, Hono } from 'hono';
import { decodeCapture } from '../capture/decode.js';
import { CaptureError } from '../capture/errors.js';
import { CAPTURE_PATHS, maxBodyBytesFor } from '../capture/paths.js';
import { ServerError } from '../errors.js';
import { readBodyLimited } from './body.js';
import type { IngestCounts } from './counts.js';
import { processCapture } from './process.js';
import type { ProjectCache } from './projects.js';
import type { RateLimiter } from './rate-limit.js';

export interface CaptureDeps {
  readonly catalog: Catalog;
  readonly committer: GroupCommitter;
  readonly projects: ProjectCache;
  readonly counts: IngestCounts;
  readonly rateLimiter: RateLimiter;
  readonly hashId: (id: string) => string;
  readonly mintUuid: (nowMs: number) => string;
  readonly now: () => number;
  /** Limit on a body after decompression (the decompression-bomb guard). */
  readonly maxDecompressedBytes: number;
}

/**
 * PostHog-compatible capture: decode -> authenticate by project token -> rate limit ->
 * validate and scrub -> enrich -> group commit. Answers 200 only after the commit that holds
 * the request's events is durable; errors are plain text, as PostHog's capture answers them.
 */
export function mountCapture(app: Hono, deps: CaptureDeps): void {
  const handler = async (c: Context) => {
    const url = new URL(c.req.url);
    try {
      const body =
        c.req.method === 'POST'
          ? await readBodyLimited(c.req.raw, maxBodyBytesFor(url.pathname))
          : new Uint8Array();
      const decoded = await decodeCapture(
        {
          path: url.pathname,
          method: c.req.method === 'GET' ? 'GET' : 'POST',
          query: url.searchParams,
          contentType: c.req.header('content-type'),
          contentEncoding: c.req.header('content-encoding'),
          body,
        },
        {
          maxBodyBytes: maxBodyBytesFor(url.pathname),
          maxDecompressedBytes: deps.maxDecompressedBytes,
        },
      );
      const project = await deps.projects.byTokenCached(decoded.token);
      if (project === undefined) throw new ServerError('unknown_token', 'api_key');
      const wait = deps.rateLimiter.take(decoded.token, decoded.events.length);
      if (wait > 0) throw new ServerError('rate_limited', undefined, wait);
      const nowMs = deps.now();
      const batch = await processCapture(decoded, project, {
        catalog: deps.catalog,
        counts: deps.counts,
        hashId: deps.hashId,
        mintUuid: deps.mintUuid,
        groupTypeIndex: (projectId, type) => deps.projects.groupTypeIndex(projectId, type),
        nowMs,
      });
      if (batch.events.length > 0 || batch.changes.length > 0) {
        await deps.committer.submit(batch.events, batch.changes);
      }
      if (decoded.isBeacon) return c.body(null, 204);
      return c.json({ status: 'Ok' });
    } catch (error) {
      return captureErrorResponse(c, error);
    }
  };
  for (const path of CAPTURE_PATHS) {
    app.on(['GET', 'POST'], path, handler);
  }
}

function captureErrorResponse(c: Context, error: unknown): Response {
  return plainTextError(c, error, {
    log: '[tally] capture failed',
    body: 'internal error: nothing was stored',
  });
}

/**
 * A refused or failed request on PostHog's SDK endpoints (capture, flags), answered as PostHog
 * does: plain text, with Retry-After when the client should come back. `failure` is the log line
 * and body of an unexpected error.
 */
export function plainTextError(
  c: Context,
  error: unknown,
  failure: { readonly log: string; readonly body: string },
): Response {
  if (error instanceof CaptureError) return c.text(error.message, error.status);
  if (error instanceof ServerError) {
    if (error.retryAfterSeconds !== undefined)
      c.header('Retry-After', String(error.retryAfterSeconds));
    return c.text(error.message, error.status);
  }
  if (error instanceof StoreError && error.code === 'overloaded') {
    c.header('Retry-After', '1');
    return c.text(new ServerError('overloaded').message, 503);
  }
  console.error(failure.log, error);
  return c.text(failure.body, 500);
}
