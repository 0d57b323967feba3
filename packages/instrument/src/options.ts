import { z } from 'zod';
import { InstrumentError } from './errors.js';

/** Parses options once with `schema`; the first problem becomes an error naming its key. */
export function parseOptions<S extends z.ZodType>(schema: S, options: unknown): z.output<S> {
  const result = schema.safeParse(options ?? {});
  if (result.success) return Object.freeze(result.data) as z.output<S>;
  const [issue] = result.error.issues;
  const key = issue?.path.map(String).join('.') || '(options)';
  throw new InstrumentError('invalid_option', `${key}: ${issue?.message ?? 'invalid'}`);
}

export const hook = <F extends (...args: never[]) => unknown>(what: string) =>
  z.custom<F>((v) => typeof v === 'function', `expected a function (${what})`);

/** A millisecond threshold: the catalog's `threshold_ms` is a non-negative integer. */
export const thresholdMs = () => z.number().int().nonnegative();
