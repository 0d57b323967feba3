import { CatalogError } from '../errors.js';
import { ENVELOPE } from './envelope.js';
import type { EventDefinition, PropertiesInput, PropertyMap } from './event.js';

export type EventMap = Readonly<Record<string, EventDefinition>>;

/** The whole catalog: events, plus the person and tenant (group type 0) properties. */
export interface Catalog<
  E extends EventMap = EventMap,
  Person extends PropertyMap = PropertyMap,
  Tenant extends PropertyMap = PropertyMap,
> {
  readonly version: string;
  readonly events: E;
  readonly person: Person;
  readonly tenant: Tenant;
}

export type EventName<C extends Catalog> = keyof C['events'] & string;
export type EventInput<C extends Catalog, N extends EventName<C>> = PropertiesInput<
  C['events'][N]['properties']
>;
export type PersonInput<C extends Catalog> = PropertiesInput<C['person']>;
export type TenantInput<C extends Catalog> = PropertiesInput<C['tenant']>;

/** Event names are snake_case; `$`-prefixed names belong to the wire protocol, not the catalog. */
export const EVENT_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

export function defineCatalog<
  const E extends EventMap,
  const Person extends PropertyMap,
  const Tenant extends PropertyMap,
>(catalog: Catalog<E, Person, Tenant>): Catalog<E, Person, Tenant> {
  for (const [name, event] of Object.entries(catalog.events)) {
    assertName(name, 'event');
    const isValid =
      Number.isInteger(event.version) &&
      event.version > 0 &&
      event.description.trim() !== '' &&
      event.firesWhen.trim() !== '';
    if (!isValid) throw new CatalogError('invalid_event', name);
    for (const key of Object.keys(event.properties)) {
      assertName(key, 'property');
      // The SDK owns the envelope; an event property of the same name would be overwritten.
      if (Object.hasOwn(ENVELOPE, key)) throw new CatalogError('reserved_name', `${name}.${key}`);
    }
  }
  for (const map of [catalog.person, catalog.tenant]) {
    for (const key of Object.keys(map)) assertName(key, 'property');
  }
  return Object.freeze({ ...catalog });
}

/**
 * Adds a vendor's own events (and person or tenant properties) to a catalog, keeping every
 * type. A name that already exists is an error: a vendor cannot redefine a built-in event.
 * @example
 * const catalog = extendCatalog(psaCatalog, {
 *   events: { report_exported: defineEvent({ ... }) },
 * });
 */
export function extendCatalog<
  C extends Catalog,
  const E extends EventMap,
  const Person extends PropertyMap = Record<never, never>,
  const Tenant extends PropertyMap = Record<never, never>,
>(
  base: C,
  extension: { version?: string; events: E; person?: Person; tenant?: Tenant },
): Catalog<C['events'] & E, C['person'] & Person, C['tenant'] & Tenant> {
  assertDisjoint(base.events, extension.events, 'event');
  assertDisjoint(base.person, extension.person ?? {}, 'person property');
  assertDisjoint(base.tenant, extension.tenant ?? {}, 'tenant property');
  return defineCatalog({
    version: extension.version ?? base.version,
    events: { ...base.events, ...extension.events },
    person: { ...base.person, ...(extension.person ?? {}) },
    tenant: { ...base.tenant, ...(extension.tenant ?? {}) },
  }) as Catalog<C['events'] & E, C['person'] & Person, C['tenant'] & Tenant>;
}

function assertName(name: string, what: string): void {
  if (!EVENT_NAME_PATTERN.test(name)) {
    throw new CatalogError('invalid_name', `${what} ${name}`);
  }
}

function assertDisjoint(a: object, b: object, what: string): void {
  for (const key of Object.keys(b)) {
    if (Object.hasOwn(a, key)) throw new CatalogError('duplicate_name', `${what} ${key}`);
  }
}
