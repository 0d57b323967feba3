import type { PropertyMap } from '../define/event.js';
import { isValidValue } from '../define/fast-check.js';
import { bucketLabel, bucketLabels, type PropertyDefinition } from '../define/property.js';
import { scrubString } from '../scrub/scrub.js';

/**
 * Turns an id into what may leave the process. On-premise this is the keyed hash; hosted it is
 * the id itself, unless the id looks like PII (an email used as a user id), which is then
 * keyed-hashed too so it still joins.
 */
export type IdTransform = (id: string) => string;

export interface SanitizedProperties {
  readonly properties: Record<string, unknown>;
  /** Keys the definition does not have: dropped. */
  readonly unknown: readonly string[];
  /**
   * Keys whose value broke the schema, tokens in which a PII scanner found something, and
   * required keys that were missing: dropped (the rest of the event is kept).
   */
  readonly invalid: readonly string[];
  /** Tokens dropped because a PII scanner found something in them. */
  readonly redactions: number;
}

/**
 * Applies a property map to what a caller passed: the allowlist (unknown keys dropped), the
 * schema of each property (invalid values dropped), then the property's privacy class (buckets
 * become labels, ids go through `transformId`, a token with PII in it is dropped). Values of
 * `undefined` count as absent. With `isWire` the input is what a client sent, the server's side:
 * a bucketed property may arrive as its label already (Tally's SDK sends only labels) and is kept
 * when it is one of the property's labels; a raw number is bucketed as on the SDK.
 * With `isPartial` (person and tenant updates) a missing required
 * key is not an error. Never throws on plain data.
 */
export function sanitizeProperties(
  definitions: PropertyMap,
  input: Readonly<Record<string, unknown>>,
  transformId: IdTransform,
  options: { isPartial?: boolean; isWire?: boolean } = {},
): SanitizedProperties {
  const properties: Record<string, unknown> = {};
  const unknown: string[] = [];
  const invalid: string[] = [];
  let redactions = 0;
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (value === undefined) continue;
    const definition = Object.hasOwn(definitions, key) ? definitions[key] : undefined;
    if (definition === undefined) {
      unknown.push(key);
      continue;
    }
    if (options.isWire && isBucketLabel(definition, value)) {
      properties[key] = value;
      continue;
    }
    if (!isValidValue(definition.schema, value)) {
      invalid.push(key);
      continue;
    }
    if (definition.kind === 'pattern' && typeof value === 'string' && holdsPii(value)) {
      // A token that matched its pattern yet holds PII: drop it rather than send a rewritten
      // value that no longer matches the schema.
      redactions++;
      invalid.push(key);
      continue;
    }
    properties[key] = toWire(definition, value, transformId);
  }
  if (options.isPartial) return { properties, unknown, invalid, redactions };
  for (const key of requiredKeys(definitions)) {
    if (properties[key] === undefined && !invalid.includes(key)) invalid.push(key);
  }
  return { properties, unknown, invalid, redactions };
}

const requiredOf = new WeakMap<PropertyMap, readonly string[]>();

/**
 * The keys of the required properties, in the map's order. Kept per map only when the map and
 * its definitions are frozen (as `defineEvent` and the builders make them), so a hand-built map
 * that changes later is read afresh each time.
 */
function requiredKeys(definitions: PropertyMap): readonly string[] {
  const cached = requiredOf.get(definitions);
  if (cached !== undefined) return cached;
  const keys = Object.keys(definitions).filter((key) => !definitions[key]?.isOptional);
  const isFixed =
    Object.isFrozen(definitions) && Object.values(definitions).every((d) => Object.isFrozen(d));
  if (isFixed) requiredOf.set(definitions, keys);
  return keys;
}

function toWire(definition: PropertyDefinition, value: unknown, transformId: IdTransform): unknown {
  switch (definition.kind) {
    case 'bucket':
      return bucketLabel(definition.bounds ?? [], value as number);
    case 'id':
      return transformId(String(value));
    case 'enum_list':
      return [...(value as string[])];
    case 'flags':
      return { ...(value as object) };
    default:
      return value;
  }
}

const MAX_CACHED_TOKENS = 1_000;
const tokenVerdicts = new Map<string, boolean>();

/**
 * Whether the PII scrub finds anything in a pattern token. The scrub is a pure function of the
 * string, and tokens (route templates, error class names, operation names) repeat on nearly
 * every event, so recent verdicts are kept; the map is cleared when full, so memory is bounded.
 */
function holdsPii(token: string): boolean {
  let verdict = tokenVerdicts.get(token);
  if (verdict === undefined) {
    verdict = scrubString(token).found.length > 0;
    if (tokenVerdicts.size >= MAX_CACHED_TOKENS) tokenVerdicts.clear();
    tokenVerdicts.set(token, verdict);
  }
  return verdict;
}

const labelsOf = new WeakMap<PropertyDefinition, ReadonlySet<string>>();

function isBucketLabel(definition: PropertyDefinition, value: unknown): boolean {
  if (definition.kind !== 'bucket' || typeof value !== 'string') return false;
  let labels = labelsOf.get(definition);
  if (labels === undefined) {
    labels = new Set(bucketLabels(definition.bounds ?? []));
    labelsOf.set(definition, labels);
  }
  return labels.has(value);
}
