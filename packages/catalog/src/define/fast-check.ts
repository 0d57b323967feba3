import type { z } from 'zod';

// Zod's `safeParse` allocates a result (and an issue list on failure) for every property of every
// event. For the primitive schemas the property builders make, the same accept/reject decision is
// a few comparisons. Each checker below restates, for one builder, the checks zod 4 runs for the
// schema built next to it (fast-check.test.ts compares both on a table of values). A schema with
// no checker registered (hand-built definitions, lists, flags) is always validated by zod.

/** Accept/reject exactly as `schema.safeParse(value).success`. */
export type FastCheck = (value: unknown) => boolean;

const checks = new WeakMap<z.ZodType, FastCheck>();

/** Registers `check` as the fast path of `schema`; returns the schema. */
export function withFastCheck<S extends z.ZodType>(schema: S, check: FastCheck): S {
  checks.set(schema, check);
  return schema;
}

/** The fast path registered for `schema`, if any. */
export function fastCheckOf(schema: z.ZodType): FastCheck | undefined {
  return checks.get(schema);
}

/** Whether `value` passes `schema`: the registered fast check, else zod. */
export function isValidValue(schema: z.ZodType, value: unknown): boolean {
  const check = checks.get(schema);
  return check === undefined ? schema.safeParse(value).success : check(value);
}

/** `z.enum(values)`: membership in the set of values. */
export function enumCheck(values: readonly string[]): FastCheck {
  const set = new Set<unknown>(values);
  return (value) => set.has(value);
}

export function booleanCheck(): FastCheck {
  return (value) => typeof value === 'boolean';
}

/**
 * `z.number()` (a finite number: NaN and +-Infinity fail) with `.int()` (a safe integer) when
 * `isInteger`, then `.min()`/`.max()` (inclusive, compared as zod compares them).
 */
export function numberCheck(isInteger: boolean, min?: number, max?: number): FastCheck {
  return (value) =>
    typeof value === 'number' &&
    (isInteger ? Number.isSafeInteger(value) : Number.isFinite(value)) &&
    (min === undefined || value >= min) &&
    (max === undefined || value <= max);
}

/**
 * `z.string().max(maxLength).regex(pattern)`: zod measures the length in code points (a
 * surrogate pair counts once) and resets `lastIndex` before testing.
 */
export function stringCheck(pattern: RegExp, maxLength?: number): FastCheck {
  return (value) => {
    if (typeof value !== 'string') return false;
    if (maxLength !== undefined && value.length > maxLength && codePoints(value) > maxLength)
      return false;
    pattern.lastIndex = 0;
    return pattern.test(value);
  };
}

/** `z.union([a, b])`: either passes. */
export function eitherCheck(a: FastCheck, b: FastCheck): FastCheck {
  return (value) => a(value) || b(value);
}

/** Zod's `codePointLength`: UTF-16 units minus one per well-formed surrogate pair. */
function codePoints(value: string): number {
  let count = value.length;
  for (let i = 0; i < value.length - 1; i++) {
    if (
      (value.charCodeAt(i) & 0xfc00) === 0xd800 &&
      (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      count--;
      i++;
    }
  }
  return count;
}
