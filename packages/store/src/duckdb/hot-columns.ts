/**
 * Properties copied out of `properties` JSON into real VARCHAR columns of `events` at write time.
 * Breakdowns and filters on a column are 3-4x faster than on JSON (reference/storage-engines.md
 * §9), so the set is the properties most insights filter or break down by:
 *
 * - `app_version`, `environment`, `deployment`: the envelope Tally's SDK puts on every event.
 *   "production only", "hosted vs on-premise" and "since release X" apply to nearly every chart.
 * - `$lib`: which client sent it (Tally SDK, posthog-node, posthog-js), to tell server-side
 *   product events from browser traffic.
 * - `$browser`, `$os`, `$pathname`: what posthog-js puts on every web event; the classic
 *   web-analytics breakdowns.
 *
 * Not here: the tenant is `group_0` already; per-event catalog properties such as a ticket's
 * `priority` exist on one or two events only, so they stay in JSON. The JSON keeps every property,
 * hot ones included, so a query is correct without knowing this list; only non-empty string
 * values are copied (anything else is NULL in the column).
 *
 * Adding a column needs a migration (ALTER TABLE + backfill) and an entry here, at the end.
 */
export const HOT_COLUMNS = Object.freeze([
  { column: 'lib', property: '$lib' },
  { column: 'app_version', property: 'app_version' },
  { column: 'environment', property: 'environment' },
  { column: 'deployment', property: 'deployment' },
  { column: 'browser', property: '$browser' },
  { column: 'os', property: '$os' },
  { column: 'pathname', property: '$pathname' },
] as const);

export type HotColumn = (typeof HOT_COLUMNS)[number]['column'];
