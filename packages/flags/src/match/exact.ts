import { fromContext, Inconclusive } from './inconclusive.js';

// `exact` / `is_not` compare the lower-cased string form of both sides. PostHog's flags service
// (Rust) stringifies JSON values; a JavaScript number cannot say whether it was `5` or `5.0`
// there, so integral numbers are inconclusive rather than guessed (posthog-node does the same).

function isBooleanLike(value: unknown): boolean {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    return lower === 'true' || lower === 'false';
  }
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) {
    if (!isBooleanLike(i in value ? value[i] : null)) return false;
  }
  return true;
}

// An empty list is "truthy" here, as in posthog-node (every element is true).
function isTruthy(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) {
    if (!isTruthy(i in value ? value[i] : null)) return false;
  }
  return true;
}

function isSurrogate(unit: number): 'high' | 'low' | null {
  if (unit >= 0xd800 && unit <= 0xdbff) return 'high';
  if (unit >= 0xdc00 && unit <= 0xdfff) return 'low';
  return null;
}

function assertScalarString(value: string): void {
  for (let i = 0; i < value.length; i++) {
    const kind = isSurrogate(value.charCodeAt(i));
    if (kind === 'low') throw new Inconclusive('Unpaired surrogate');
    if (kind === 'high') {
      if (i + 1 >= value.length || isSurrogate(value.charCodeAt(i + 1)) !== 'low') {
        throw new Inconclusive('Unpaired surrogate');
      }
      i++;
    }
  }
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function assertJson(value: unknown, seen: Set<object> = new Set()): void {
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'string') {
    assertScalarString(value);
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Inconclusive('Non-finite number');
    return;
  }
  if (typeof value !== 'object') throw new Inconclusive('Not a JSON value');
  if (!Array.isArray(value) && !isPlainObject(value)) throw new Inconclusive('Not a JSON object');
  if (seen.has(value)) throw new Inconclusive('Circular value');
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (i in value) assertJson(value[i], seen);
    } else {
      for (const [key, item] of Object.entries(value)) {
        assertScalarString(key);
        assertJson(item, seen);
      }
    }
  } finally {
    seen.delete(value);
  }
}

// Object keys sort by code point, as Rust's BTreeMap orders them (not by UTF-16 unit).
function byCodePoint(left: string, right: string): number {
  const a = Array.from(left, (ch) => ch.codePointAt(0) ?? 0);
  const b = Array.from(right, (ch) => ch.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

function serialize(value: unknown, seen: Set<object> = new Set()): string {
  if (value === null) return 'null';
  if (typeof value === 'string') {
    assertScalarString(value);
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Inconclusive('Non-finite number');
    if (Number.isInteger(value)) throw new Inconclusive('Integral number is ambiguous');
    return String(value);
  }
  if (typeof value !== 'object') throw new Inconclusive('Not a JSON value');
  if (!Array.isArray(value) && !isPlainObject(value)) throw new Inconclusive('Not a JSON object');
  if (seen.has(value)) throw new Inconclusive('Circular value');
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const items: string[] = [];
      for (let i = 0; i < value.length; i++)
        items.push(i in value ? serialize(value[i], seen) : 'null');
      return `[${items.join(',')}]`;
    }
    const keys = Object.keys(value);
    keys.forEach(assertScalarString);
    const record = value as Record<string, unknown>;
    const entries = keys
      .sort(byCodePoint)
      .map((key) => `${JSON.stringify(key)}:${serialize(record[key], seen)}`);
    return `{${entries.join(',')}}`;
  } finally {
    seen.delete(value);
  }
}

/** Strings as they are; anything else as the flags service's JSON text. */
export function exactString(value: unknown): string {
  if (typeof value === 'string') {
    assertScalarString(value);
    return value;
  }
  return serialize(value);
}

/**
 * `exact`: boolean-like filters ('true', false, ['TRUE']) compare truthiness (unless
 * `propertyMatchingVersion` is 2); lists match any element; otherwise a case-insensitive
 * comparison of the string forms.
 */
export function exactMatch(target: unknown, actual: unknown, matchingVersion?: number): boolean {
  if (
    (matchingVersion !== 2 && isBooleanLike(target)) ||
    (Array.isArray(target) && target.length === 0)
  ) {
    fromContext(() => assertJson(actual));
    return isTruthy(target) === isTruthy(actual);
  }
  if (matchingVersion === 2 && typeof actual === 'number' && isBooleanLike(target)) {
    fromContext(() => assertJson(actual));
    return false;
  }
  if (Array.isArray(target)) {
    const actualText = fromContext(() => exactString(actual)).toLowerCase();
    return target.some((item) => exactString(item).toLowerCase() === actualText);
  }
  const targetText = exactString(target).toLowerCase();
  return targetText === fromContext(() => exactString(actual)).toLowerCase();
}
