import { z } from 'zod';
import { CatalogError } from '../errors.js';
import {
  booleanCheck,
  eitherCheck,
  enumCheck,
  numberCheck,
  stringCheck,
  withFastCheck,
} from './fast-check.js';

/**
 * How a property may leave the host process.
 * - `safe`: an enum, boolean, number or a pattern-constrained token; sent as is everywhere.
 * - `pseudonymous_id`: an opaque record id; sent as is when hosted, keyed-hashed (HMAC-SHA256
 *   under the install secret) on-premise.
 * - `bucketed`: a sensitive magnitude (money, counts that identify a customer); the caller passes
 *   the number and only its bucket label leaves the process.
 * Free text has no class: the catalog cannot express it.
 */
export type PrivacyClass = 'safe' | 'pseudonymous_id' | 'bucketed';

export type PropertyKind =
  | 'enum'
  | 'boolean'
  | 'integer'
  | 'number'
  | 'id'
  | 'bucket'
  | 'enum_list'
  | 'flags'
  | 'pattern';

/** One property of an event (or of a person or tenant), with its input type `In`. */
export interface PropertyDefinition<In = unknown, IsOptional extends boolean = boolean> {
  readonly kind: PropertyKind;
  readonly privacy: PrivacyClass;
  readonly description: string;
  readonly isOptional: IsOptional;
  /** Validates the value the caller passes (before bucketing or hashing). */
  readonly schema: z.ZodType<In>;
  /** `enum` and `enum_list`: the allowed values; `flags`: the allowed keys. */
  readonly values?: readonly string[];
  /** `bucket`: ascending lower bounds; a value v gets the label of the last bound <= v. */
  readonly bounds?: readonly number[];
  /** `integer`, `number`, `bucket`: the unit, e.g. `minutes` or `USD cents`. */
  readonly unit?: string;
  /** `pattern`: the regular expression every value matches, and an example. */
  readonly pattern?: RegExp;
  readonly example?: string;
}

export type PropertyInput<P> = P extends PropertyDefinition<infer In, boolean> ? In : never;

/** A property builder result: a required definition that can be made optional. */
export interface RequiredProperty<In> extends PropertyDefinition<In, false> {
  optional(): PropertyDefinition<In, true>;
}

export const MAX_ID_LENGTH = 200;
/**
 * What an id may look like: uuids, numeric and prefixed ids, slugs. No spaces or `@`, so a
 * name or an email cannot pass as an id.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_:.-]{0,199}$/;
export const MAX_LIST_LENGTH = 64;

type Extra = Omit<PropertyDefinition, 'kind' | 'privacy' | 'description' | 'isOptional' | 'schema'>;

function build<In>(
  kind: PropertyKind,
  privacy: PrivacyClass,
  description: string,
  schema: z.ZodType<In>,
  extra: Extra = {},
): RequiredProperty<In> {
  const base = { kind, privacy, description, schema, ...extra };
  return Object.freeze({
    ...base,
    isOptional: false as const,
    optional: () => Object.freeze({ ...base, isOptional: true as const }),
  });
}

interface RangeOptions {
  min?: number;
  max?: number;
  unit?: string;
}

function ranged(schema: z.ZodNumber, options: RangeOptions): z.ZodNumber {
  let s = schema;
  if (options.min !== undefined) s = s.min(options.min);
  if (options.max !== undefined) s = s.max(options.max);
  return s;
}

/**
 * Property builders. Each returns a required property; call `.optional()` for an optional one.
 * @example
 * const priority = prop.enum(['low', 'medium', 'high', 'urgent'], 'Priority of the ticket');
 */
export const prop = {
  enum<const V extends readonly [string, ...string[]]>(values: V, description: string) {
    const schema = withFastCheck(z.enum(values), enumCheck(values));
    return build<V[number]>('enum', 'safe', description, schema, { values });
  },
  boolean(description: string) {
    const schema = withFastCheck(z.boolean(), booleanCheck());
    return build<boolean>('boolean', 'safe', description, schema);
  },
  integer(description: string, options: RangeOptions = {}) {
    const schema = withFastCheck(
      ranged(z.number().int(), options),
      numberCheck(true, options.min, options.max),
    );
    return build<number>('integer', 'safe', description, schema, unitOf(options));
  },
  number(description: string, options: RangeOptions = {}) {
    const schema = withFastCheck(
      ranged(z.number(), options).refine(Number.isFinite, 'must be finite'),
      numberCheck(false, options.min, options.max),
    );
    return build<number>('number', 'safe', description, schema, unitOf(options));
  },
  /** An opaque record id (uuid, numeric id, slug). Keyed-hashed on-premise. */
  id(description: string) {
    const schema = withFastCheck(
      z.union([z.string().regex(ID_PATTERN), z.number().int().nonnegative()]),
      eitherCheck(stringCheck(ID_PATTERN), numberCheck(true, 0)),
    );
    return build<string | number>('id', 'pseudonymous_id', description, schema);
  },
  /** A sensitive magnitude: the caller passes the number, only the bucket label is sent. */
  bucket(description: string, options: { bounds: readonly number[]; unit: string }) {
    const { bounds, unit } = options;
    if (bounds.length < 2 || bounds.some((b, i) => i > 0 && b <= (bounds[i - 1] as number))) {
      throw new CatalogError('invalid_property', `bucket bounds must be ascending: ${description}`);
    }
    const schema = withFastCheck(
      z.number().refine(Number.isFinite, 'must be finite'),
      numberCheck(false),
    );
    return build<number>('bucket', 'bucketed', description, schema, { bounds, unit });
  },
  enumList<const V extends readonly [string, ...string[]]>(values: V, description: string) {
    const schema = z.array(z.enum(values)).max(MAX_LIST_LENGTH);
    return build<V[number][]>('enum_list', 'safe', description, schema, { values });
  },
  /** An object of booleans with a fixed set of keys, e.g. which search filters were used. */
  flags<const K extends readonly [string, ...string[]]>(keys: K, description: string) {
    const shape = Object.fromEntries(keys.map((k) => [k, z.boolean().optional()]));
    const schema = z.strictObject(shape) as unknown as z.ZodType<
      Partial<Record<K[number], boolean>>
    >;
    return build('flags', 'safe', description, schema, { values: keys });
  },
  /**
   * A short machine token that is not an enum (a route template, an error class name, a
   * version). Values must match `pattern` in full; PII scanners still run on them.
   */
  pattern(pattern: RegExp, description: string, options: { maxLength: number; example: string }) {
    const anchored = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace('g', ''));
    if (!anchored.test(options.example)) {
      throw new CatalogError('invalid_property', `example does not match pattern: ${description}`);
    }
    const schema = withFastCheck(
      z.string().max(options.maxLength).regex(anchored),
      stringCheck(anchored, options.maxLength),
    );
    return build<string>('pattern', 'safe', description, schema, {
      pattern: anchored,
      example: options.example,
    });
  },
};

function unitOf(options: RangeOptions): Extra {
  return options.unit === undefined ? {} : { unit: options.unit };
}

/** The label of the bucket `value` falls in, e.g. `1000-5000` or `100000+` or `<0`. */
export function bucketLabel(bounds: readonly number[], value: number): string {
  const first = bounds[0] as number;
  if (value < first) return `<${first}`;
  for (let i = bounds.length - 1; i >= 0; i--) {
    const lower = bounds[i] as number;
    if (value >= lower) {
      const upper = bounds[i + 1];
      return upper === undefined ? `${lower}+` : `${lower}-${upper}`;
    }
  }
  return `<${first}`;
}

/** Every label a bucket property can produce, in order. */
export function bucketLabels(bounds: readonly number[]): string[] {
  const first = bounds[0] as number;
  return [`<${first}`, ...bounds.map((b) => bucketLabel(bounds, b))];
}
