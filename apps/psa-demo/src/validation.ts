import type { z } from 'zod';
import type { PsaContext } from './context.js';
import { fieldError } from './errors.js';

/** Parses a value with a schema; the first issue becomes a 400 naming its field. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? 'body' : issue.path.join('.');
  throw fieldError(field);
}

/** Reads a JSON body; a missing or malformed body is a validation error on `body`. */
export async function readBody<T extends z.ZodType>(
  c: PsaContext,
  schema: T,
): Promise<z.output<T>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw fieldError('body');
  }
  return parseWith(schema, body);
}

/** Parses a path parameter that must be a UUID; anything else cannot exist, so 404. */
export function uuidParam(value: string | undefined): string | null {
  return value !== undefined &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
    ? value.toLowerCase()
    : null;
}
