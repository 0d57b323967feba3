import { randomBytes } from 'node:crypto';
import type { Store } from '@tally/store';
import type { ServerConfig } from './config.js';

export interface Bootstrapped {
  readonly projectId: number;
  readonly token: string;
  readonly apiKey: string;
  readonly adminEmail: string;
  /** Set only when it was generated (so it can be shown once). */
  readonly generatedPassword: string | undefined;
}

const DEFAULT_ADMIN_EMAIL = 'admin@tally.local';

function randomKey(prefix: string): string {
  return prefix + randomBytes(24).toString('base64url');
}

/**
 * First start on a new data dir: project 1, its write token, a personal API key for all
 * projects, and an admin user. Values from `TALLY_BOOTSTRAP_*` are taken as given, so existing
 * PostHog client configs (`phc_...`, `phx_...`) carry over. Returns undefined when the data
 * dir already has a project.
 */
export async function bootstrap(
  store: Store,
  config: ServerConfig,
): Promise<Bootstrapped | undefined> {
  const existing = await store.metadata.listProjects();
  if (existing.length > 0) return undefined;
  const token = config.bootstrap.token ?? randomKey('phc_');
  const apiKey = config.bootstrap.apiKey ?? randomKey('phx_');
  const adminEmail = config.bootstrap.adminEmail ?? DEFAULT_ADMIN_EMAIL;
  const generatedPassword =
    config.bootstrap.adminPassword === undefined
      ? randomBytes(12).toString('base64url')
      : undefined;
  const project = await store.metadata.createProject({ name: 'Default project', token });
  await store.metadata.createApiKey({ key: apiKey, label: 'bootstrap', projectIds: 'all' });
  await store.metadata.createUser({
    email: adminEmail,
    password: config.bootstrap.adminPassword ?? (generatedPassword as string),
  });
  return { projectId: project.id, token, apiKey, adminEmail, generatedPassword };
}
