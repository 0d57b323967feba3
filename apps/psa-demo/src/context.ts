import type { PGlite } from '@electric-sql/pglite';
import type { Context } from 'hono';
import type { AccountingService } from './accounting.js';
import type { PsaHooks } from './hooks.js';
import type { IdSource } from './ids.js';
import type { FlagReader } from './ticket-form.js';

export const ROLES = [
  'admin',
  'dispatcher',
  'technician',
  'billing_admin',
  'client_contact',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: read from the bearer token on every authenticated request. */
export interface Session {
  readonly userId: string;
  readonly tenantId: string;
  readonly role: Role;
  readonly clientId: string | null;
  readonly tokenHash: string;
  readonly startedAt: Date;
}

/**
 * What every route module gets: the database, the clock, ids, hooks, feature flags and external
 * services.
 */
export interface PsaDeps {
  readonly db: PGlite;
  readonly now: () => Date;
  readonly ids: IdSource;
  readonly hooks: PsaHooks;
  readonly flags: FlagReader;
  readonly accounting: AccountingService;
  readonly sessionTtlMs: number;
}

export type PsaEnv = { Variables: { session: Session } };
export type PsaContext = Context<PsaEnv>;

/** The calendar day (UTC) of an instant, as PostgreSQL's `date` text. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
