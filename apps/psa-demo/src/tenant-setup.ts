import type { Queryable } from './db/database.js';
import type { IdSource } from './ids.js';

// A new tenant starts with the reference data every PSA ships: boards, categories, and the four
// priority levels. Names are tenant data (editable); the level is what analytics may see.
const BOARDS = ['Service Desk', 'Projects', 'Onboarding'];
const CATEGORIES = ['Hardware', 'Software', 'Network', 'Accounts & Access', 'Email'];
const PRIORITIES: Array<[string, string]> = [
  ['P4 - Low', 'low'],
  ['P3 - Medium', 'medium'],
  ['P2 - High', 'high'],
  ['P1 - Critical', 'urgent'],
];

export async function seedTenantReferenceData(
  tx: Queryable,
  ids: IdSource,
  tenantId: string,
): Promise<void> {
  for (const name of BOARDS) {
    await tx.query('INSERT INTO boards (id, tenant_id, name) VALUES ($1, $2, $3)', [
      ids.id(),
      tenantId,
      name,
    ]);
  }
  for (const name of CATEGORIES) {
    await tx.query('INSERT INTO categories (id, tenant_id, name) VALUES ($1, $2, $3)', [
      ids.id(),
      tenantId,
      name,
    ]);
  }
  for (const [name, level] of PRIORITIES) {
    await tx.query('INSERT INTO priorities (id, tenant_id, name, level) VALUES ($1, $2, $3, $4)', [
      ids.id(),
      tenantId,
      name,
      level,
    ]);
  }
}
