import {
  type Catalog,
  type PersonInput,
  sanitizeProperties,
  type TenantInput,
} from '@tally/catalog';
import type { FlagInput } from '@tally/flags';

/** Who a flag is evaluated for: Tally's context object, not PostHog's positional ids. */
export interface FlagContext<C extends Catalog = Catalog> {
  readonly userId?: string;
  /** Sent as the group `{[tenantGroupType]: tenantId}`: tenant-bucketed flags need it. */
  readonly tenantId?: string;
  /** Catalogued person properties for release conditions; others are dropped. */
  readonly personProperties?: Partial<PersonInput<C>>;
  /** Catalogued tenant properties for release conditions; others are dropped. */
  readonly tenantProperties?: Partial<TenantInput<C>>;
}

/** The `/flags` request body (wire protocol §2.1). */
export interface FlagRequestBody {
  token: string;
  distinct_id: string;
  groups: Record<string, string>;
  person_properties: Record<string, unknown>;
  group_properties: Record<string, Record<string, unknown>>;
  geoip_disable: true;
  flag_keys_to_evaluate?: string[];
}

/** A caller as it leaves the process: the same facts for local and remote evaluation. */
export interface FlagCaller {
  readonly input: FlagInput;
  /** Dedup key of exposures: the raw user id, else the raw tenant id. */
  readonly exposureKey: string;
}

/**
 * Turns a context into what evaluation sees, applying exactly what capture applies: ids go
 * through the deployment's id transform (keyed-hashed on-premise) and properties through the
 * catalog's person and tenant maps (unknown dropped, buckets to labels). Local evaluation and
 * the server then bucket by the same values and see the same properties, so they agree, and
 * the server sees no raw id on-premise. Without a user, the distinct id is the tenant's
 * (`$<type>_<key>`, as `group()` names it). Undefined when there is neither.
 */
export function toFlagCaller(
  context: FlagContext,
  catalog: Catalog,
  tenantGroupType: string,
  id: (raw: string) => string,
): FlagCaller | undefined {
  const { userId, tenantId } = context;
  if (userId === undefined && tenantId === undefined) return undefined;
  const tenantKey = tenantId === undefined ? undefined : id(tenantId);
  const distinctId = userId === undefined ? `$${tenantGroupType}_${tenantKey}` : id(userId);
  const personProperties = sanitized(catalog.person, context.personProperties, id);
  const input: FlagInput = {
    distinctId,
    groups: tenantKey === undefined ? {} : { [tenantGroupType]: tenantKey },
    personProperties,
    groupProperties:
      tenantKey === undefined
        ? {}
        : { [tenantGroupType]: sanitized(catalog.tenant, context.tenantProperties, id) },
  };
  return { input, exposureKey: userId ?? `tenant:${tenantId}` };
}

function sanitized(
  map: Catalog['person'],
  properties: Readonly<Record<string, unknown>> | undefined,
  id: (raw: string) => string,
): Record<string, unknown> {
  if (properties === undefined) return {};
  return sanitizeProperties(map, properties, id, { isPartial: true }).properties;
}

export function requestBody(
  token: string,
  input: FlagInput,
  keys: readonly string[] | undefined,
): FlagRequestBody {
  return {
    token,
    distinct_id: input.distinctId,
    groups: { ...input.groups },
    person_properties: { ...input.personProperties },
    group_properties: Object.fromEntries(
      Object.entries(input.groupProperties ?? {}).map(([type, props]) => [type, { ...props }]),
    ),
    geoip_disable: true,
    ...(keys === undefined ? {} : { flag_keys_to_evaluate: [...keys] }),
  };
}
