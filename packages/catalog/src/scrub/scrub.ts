// The PII scrub, run by the SDK before an event leaves the process and again by the server.
// A string goes: prefilter (character profile) -> URLs to path templates -> scanners, on the
// percent-decoded text if it hides anything, else on the raw text. Deep values get that for every
// string value and object key, within fixed bounds.
import type { PiiKind } from './kinds.js';
import { hasPercentEscape, percentDecode } from './percent-decode.js';
import { mayHoldPii, mayHoldUrl, type Profile, profileOf } from './profile.js';
import { scanText } from './scanners.js';
import { replaceUrls } from './url-template.js';

export interface StringScrub {
  readonly value: string;
  /** Kinds replaced, in the order found; empty (and `value` is the input) when nothing was. */
  readonly found: readonly PiiKind[];
}

/** Nesting below this many levels is dropped: event properties are flat or nearly so. */
export const MAX_SCRUB_DEPTH = 16;
/** Values (strings, numbers, objects, arrays...) visited per call; the rest are dropped. */
export const MAX_SCRUB_NODES = 10_000;
/** Longer strings are dropped, not scanned: no analytics property is 64 KiB of text. */
export const MAX_SCRUB_STRING_LENGTH = 65_536;
/** `%2540` is `@` encoded twice; three rounds cover what a client plausibly produces. */
const MAX_DECODE_ROUNDS = 3;

const NOTHING: readonly PiiKind[] = Object.freeze([]);

interface Pass {
  readonly text: string;
  readonly found: readonly PiiKind[];
  readonly count: number;
}

function union(a: readonly PiiKind[], b: readonly PiiKind[]): PiiKind[] {
  const out = [...a];
  for (const kind of b) if (!out.includes(kind)) out.push(kind);
  return out;
}

function merge(a: Pass, b: Pass): Pass {
  if (b.count === 0) return a;
  return { text: b.text, found: union(a.found, b.found), count: a.count + b.count };
}

function urlStage(text: string, profile: Profile): Pass {
  return mayHoldUrl(profile) ? replaceUrls(text) : { text, found: NOTHING, count: 0 };
}

/**
 * Decodes URL-encoded text one round at a time, templating the URLs each round reveals before
 * the next round can split them (in a twice-encoded `/search?q=Jane%2520Doe`, the space appears
 * only in round two), then runs the scanners on the result.
 */
function decodedStages(text: string): Pass {
  let pass: Pass = { text, found: NOTHING, count: 0 };
  for (let round = 0; round < MAX_DECODE_ROUNDS && hasPercentEscape(pass.text); round++) {
    const decoded = percentDecode(pass.text);
    if (decoded === pass.text) break;
    pass = merge({ ...pass, text: decoded }, urlStage(decoded, profileOf(decoded)));
  }
  return pass.text === text ? pass : merge(pass, scanText(pass.text, profileOf(pass.text)));
}

/**
 * Shapes that are common property values and can hold no PII, tested before the scanners
 * because their digits would otherwise wake most of them: a UUID, an ISO-8601 date or timestamp,
 * a lower-case hex id of 32+ characters (an on-premise HMAC id; no IBAN, card or phone is
 * lower-case hex of that length).
 */
const CLEAN_SHAPE = new RegExp(
  `^(?:${[
    '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
    '[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}',
    '\\d{4}-\\d\\d-\\d\\d', // a date, or a date and time:
    '\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d(?::\\d\\d(?:\\.\\d{1,9})?)?(?:Z|[+-]\\d\\d:?\\d\\d)?',
    '(?=\\d*[a-f])[0-9a-f]{32,}',
  ].join('|')})$`,
);

/**
 * The scrub of one string with the number of replacements, or undefined when it is clean.
 * URLs are templated first, on the raw text: a URL's own encoding (`/clients/Acme%20Corp`) keeps
 * it in one piece. What is still URL-encoded after that (`%2B4915112345678`,
 * `Bearer%20eyJ...`, an encoded URL) is decoded and scanned whole; the decoded text is kept only
 * if it held something, so clean encoded strings come through byte for byte.
 */
function scrubCounted(value: string): Pass | undefined {
  const profile = profileOf(value);
  if (!mayHoldPii(profile)) return undefined;
  if (profile.digits >= 6 && CLEAN_SHAPE.test(value)) return undefined;
  const urls = urlStage(value, profile);
  if (hasPercentEscape(urls.text)) {
    const decoded = decodedStages(urls.text);
    if (decoded.count > 0) return merge(urls, decoded);
  }
  const pass = merge(urls, scanText(urls.text, profile));
  return pass.count > 0 ? pass : undefined;
}

/**
 * Replaces PII inside one string: e-mail addresses, phone numbers, IP addresses, card numbers,
 * IBANs, national ids and tokens by `[email]`, `[phone]`, `[ip]`, `[card]`, `[iban]`,
 * `[national_id]`, `[token]`; a URL (or a `/path?query`) by its path template.
 *
 * @example
 * scrubString('mail jane.doe@example.com from https://acme.example.com/tickets/42?q=printer')
 * // { value: 'mail [email] from /tickets/:id', found: ['url', 'email'] }
 */
export function scrubString(value: string): StringScrub {
  const pass = scrubCounted(value);
  return pass === undefined ? { value, found: NOTHING } : { value: pass.text, found: pass.found };
}

const DROP: unique symbol = Symbol('drop');

interface Walk {
  redactions: number;
  nodes: number;
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key !== '__proto__') {
    target[key] = value;
    return;
  }
  // an assignment to `__proto__` (a key JSON.parse creates) would set the prototype instead
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function hasToJson(value: object): value is { toJSON(): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

function scrubNode(value: unknown, depth: number, walk: Walk): unknown {
  if (walk.nodes++ >= MAX_SCRUB_NODES || depth > MAX_SCRUB_DEPTH) {
    walk.redactions++;
    return DROP;
  }
  if (typeof value === 'string') {
    if (value.length > MAX_SCRUB_STRING_LENGTH) {
      walk.redactions++;
      return DROP;
    }
    const pass = scrubCounted(value);
    if (pass === undefined) return value;
    walk.redactions += pass.count;
    return pass.text;
  }
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return scrubArray(value, depth, walk);
  if (hasToJson(value)) {
    // URL, Buffer, a class with its own JSON form: scrub what JSON.stringify would send (one
    // level deeper, so a toJSON that returns `this` ends at the depth bound)
    const json: unknown = value.toJSON();
    const scrubbed = scrubNode(json, depth + 1, walk);
    return scrubbed === json ? value : scrubbed;
  }
  return scrubObject(value as Record<string, unknown>, depth, walk);
}

function scrubArray(value: readonly unknown[], depth: number, walk: Walk): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    const scrubbed = scrubNode(item, depth + 1, walk);
    if (out === undefined && scrubbed !== item) out = value.slice(0, i);
    if (out !== undefined && scrubbed !== DROP) out.push(scrubbed);
  }
  return out ?? (value as unknown[]);
}

/** Keys are scrubbed like values; when two keys scrub to the same text, the first one wins. */
function scrubObject(value: Record<string, unknown>, depth: number, walk: Walk): unknown {
  const keys = Object.keys(value);
  let out: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const item = value[key];
    let scrubbedKey: string | typeof DROP = key;
    if (key.length > MAX_SCRUB_STRING_LENGTH) {
      walk.redactions++;
      scrubbedKey = DROP;
    } else {
      const pass = scrubCounted(key);
      if (pass !== undefined) {
        walk.redactions += pass.count;
        scrubbedKey = pass.text;
      }
    }
    const scrubbed = scrubbedKey === DROP ? DROP : scrubNode(item, depth + 1, walk);
    if (out === undefined && (scrubbedKey !== key || scrubbed !== item)) {
      out = {};
      for (const earlier of keys.slice(0, i)) setOwn(out, earlier, value[earlier]);
    }
    if (out === undefined || scrubbedKey === DROP || scrubbed === DROP) continue;
    if (Object.hasOwn(out, scrubbedKey)) walk.redactions++;
    else setOwn(out, scrubbedKey, scrubbed);
  }
  return out ?? value;
}

/**
 * {@link scrubString} applied to every string in a value: object values, array items, nested
 * objects and object keys. Returns the same value (by identity) where nothing changed and new
 * objects and arrays where something did. Structure deeper than {@link MAX_SCRUB_DEPTH}, past
 * {@link MAX_SCRUB_NODES} values or strings over {@link MAX_SCRUB_STRING_LENGTH} is dropped.
 * `redactions` counts replaced matches plus dropped values.
 *
 * @example
 * scrubDeep({ note: 'call +4915112345678', 'jane@example.com': true })
 * // { value: { note: 'call [phone]', '[email]': true }, redactions: 2 }
 */
export function scrubDeep(value: unknown): { value: unknown; redactions: number } {
  const walk: Walk = { redactions: 0, nodes: 0 };
  try {
    const scrubbed = scrubNode(value, 0, walk);
    return { value: scrubbed === DROP ? undefined : scrubbed, redactions: walk.redactions };
  } catch {
    // a throwing getter or toJSON: nothing of the value is trusted
    return { value: undefined, redactions: walk.redactions + 1 };
  }
}

function findInString(value: string, found: PiiKind[]): void {
  if (value.length > MAX_SCRUB_STRING_LENGTH) return;
  for (const kind of scrubCounted(value)?.found ?? NOTHING) {
    if (!found.includes(kind)) found.push(kind);
  }
}

function findNode(value: unknown, depth: number, walk: Walk, found: PiiKind[]): void {
  if (walk.nodes++ >= MAX_SCRUB_NODES || depth > MAX_SCRUB_DEPTH) return;
  if (typeof value === 'string') {
    findInString(value, found);
    return;
  }
  if (value === null || typeof value !== 'object' || value instanceof Date) return;
  if (Array.isArray(value)) {
    for (const item of value) findNode(item, depth + 1, walk, found);
    return;
  }
  if (hasToJson(value)) {
    findNode(value.toJSON(), depth + 1, walk, found);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (depth + 1 <= MAX_SCRUB_DEPTH) findInString(key, found);
    findNode(item, depth + 1, walk, found);
  }
}

/**
 * Every kind of PII in a value, searched like {@link scrubDeep} (within the same bounds) but
 * changing nothing. For test kits: `expect(findPii(payload)).toEqual([])`.
 *
 * @example
 * findPii({ q: 'jane@example.com', ip: '10.0.0.1' }) // ['email', 'ip']
 */
export function findPii(value: unknown): PiiKind[] {
  const found: PiiKind[] = [];
  try {
    findNode(value, 0, { redactions: 0, nodes: 0 }, found);
  } catch {
    // a throwing getter or toJSON: report what was found before it
  }
  return found;
}
