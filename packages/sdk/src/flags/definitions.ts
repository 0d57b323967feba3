import {
  type FlagDefinition,
  type FlagEnvironment,
  flagDefinitionSchema,
  type PropertyGroup,
} from '@tally/flags';

/** Local-evaluation definitions, parsed, with what exposures need that the evaluator drops. */
export interface LoadedDefinitions {
  readonly env: FlagEnvironment;
  /** Flag key -> definition version (`$feature_flag_version`). */
  readonly versions: ReadonlyMap<string, number>;
  /** The payload as the server sent it: what the cache file keeps. */
  readonly raw: unknown;
  readonly etag: string | undefined;
  /** When the payload was fetched, epoch ms. */
  readonly fetchedAtMs: number;
}

/**
 * Parses a `/flags/definitions` payload (wire protocol §2.2). Throws on a payload without a
 * `flags` array; a single flag that does not parse is left out (the server then decides it).
 */
export function parseDefinitions(
  raw: unknown,
  etag: string | undefined,
  fetchedAtMs: number,
  now: () => number,
): LoadedDefinitions {
  if (raw === null || typeof raw !== 'object' || !Array.isArray((raw as { flags?: unknown }).flags))
    throw new TypeError('definitions without a flags array');
  const body = raw as { flags: unknown[]; group_type_mapping?: unknown; cohorts?: unknown };
  const flags: FlagDefinition[] = [];
  const versions = new Map<string, number>();
  for (const item of body.flags) {
    const parsed = flagDefinitionSchema.safeParse(item);
    if (!parsed.success) continue;
    flags.push(parsed.data);
    const version = (item as { version?: unknown }).version;
    if (typeof version === 'number') versions.set(parsed.data.key, version);
  }
  return {
    env: {
      flags,
      groupTypeMapping: stringRecord(body.group_type_mapping),
      cohorts: (isRecord(body.cohorts) ? body.cohorts : {}) as Record<string, PropertyGroup>,
      now: () => new Date(now()),
    },
    versions,
    raw,
    etag,
    fetchedAtMs,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}
