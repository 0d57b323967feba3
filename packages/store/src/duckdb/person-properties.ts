// Person property changes, in PostHog's order: $set_once fills missing keys, $set overwrites,
// $unset removes. A person loaded from the cache shares its properties object with the cache,
// so it is copied on the first write (copy on write keeps a batch of unchanged persons cheap).

/** The part of a person the property changes touch. */
export interface PropertyHolder {
  properties: Record<string, unknown>;
  /** `properties` is shared with the cache: copy before the first write. */
  isShared: boolean;
  isDirty: boolean;
}

function writable(person: PropertyHolder): Record<string, unknown> {
  if (person.isShared) {
    person.properties = bag(person.properties);
    person.isShared = false;
  }
  person.isDirty = true;
  return person.properties;
}

export function setOnce(person: PropertyHolder, values: Readonly<Record<string, unknown>>): void {
  for (const key in values) {
    const value = values[key];
    if (value !== undefined && Object.hasOwn(values, key) && !Object.hasOwn(person.properties, key))
      writable(person)[key] = value;
  }
}

export function set(person: PropertyHolder, values: Readonly<Record<string, unknown>>): void {
  for (const key in values) {
    const value = values[key];
    if (value === undefined || !Object.hasOwn(values, key)) continue;
    if (Object.hasOwn(person.properties, key) && sameValue(person.properties[key], value)) continue;
    writable(person)[key] = value;
  }
}

export function unset(person: PropertyHolder, keys: readonly string[]): void {
  for (const key of keys) if (Object.hasOwn(person.properties, key)) delete writable(person)[key];
}

/**
 * A property bag without a prototype: a `__proto__` or `toString` key from a client is an
 * ordinary key here, neither a prototype write nor an inherited "already set".
 */
export function bag(...sources: Array<Readonly<Record<string, unknown>>>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const source of sources) for (const [key, value] of Object.entries(source)) out[key] = value;
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
