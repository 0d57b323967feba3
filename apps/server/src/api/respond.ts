import { isQueryError } from '@tally/query';
import type { Context } from 'hono';
import type { z } from 'zod';
import { ServerError } from '../errors.js';

/** API errors in PostHog's shape: `{type, code, detail, attr}`. */
export function apiError(c: Context, error: unknown): Response {
  if (error instanceof ServerError) {
    if (error.retryAfterSeconds !== undefined)
      c.header('Retry-After', String(error.retryAfterSeconds));
    const type =
      error.status === 401 || error.status === 403
        ? 'authentication_error'
        : error.status >= 500
          ? 'server_error'
          : 'validation_error';
    return c.json(
      { type, code: error.code, detail: error.message, attr: error.field ?? null },
      error.status,
    );
  }
  console.error('[tally] api failed', error);
  return c.json(
    { type: 'server_error', code: 'internal', detail: 'internal error', attr: null },
    500,
  );
}

/** {@link apiError}, with the query engine's validation errors as a 400 naming the field. */
export function apiErrorNamingQueryPath(c: Context, error: unknown): Response {
  if (isQueryError(error, 'invalid_query'))
    return apiError(c, new ServerError('invalid_body', error.path ?? 'body'));
  return apiError(c, error);
}

/** A query parameter parsed by `parse`; a bad value is a 400 naming the parameter. */
export function param<T>(
  c: Context,
  name: string,
  parse: (raw: string) => T | undefined,
): T | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  const value = parse(raw);
  if (value === undefined) throw new ServerError('invalid_query', name);
  return value;
}

export const parseLimit = (max: number) => (raw: string) => {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : undefined;
};

/** ISO-8601 date or date-time, or epoch milliseconds. */
export function parseTime(raw: string): number | undefined {
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(ms) ? ms : undefined;
}

export const parseCursor = (raw: string) => (/^[A-Za-z0-9_-]{1,200}$/.test(raw) ? raw : undefined);

/** The path of the next page: the same query with `cursor` replaced. */
export function nextPath(c: Context, cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  const url = new URL(c.req.url);
  url.searchParams.set('cursor', cursor);
  return `${url.pathname}?${url.searchParams.toString()}`;
}

/** The request's JSON object body; anything else is a 400 naming `body`. */
export async function bodyOf(c: Context): Promise<Record<string, unknown>> {
  const body: unknown = await c.req.json().catch(() => undefined);
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new ServerError('invalid_body', 'body');
  return body as Record<string, unknown>;
}

/** `body` through `schema`; a 400 names the first field at fault. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ServerError('invalid_body', issue?.path.map(String).join('.') || 'body');
}
