import { prop } from './property.js';

export const DEPLOYMENTS = ['hosted', 'on-premise'] as const;
export type Deployment = (typeof DEPLOYMENTS)[number];
export const ENVIRONMENTS = ['production', 'staging', 'development', 'test'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * Properties the SDK adds to every event. A caller cannot set them: the SDK owns them, and a
 * caller key with the same name is dropped as unknown.
 */
export const ENVELOPE = {
  app_version: prop.pattern(/[0-9A-Za-z.+-]{1,40}/, 'Version of the host application', {
    maxLength: 40,
    example: '1.42.0',
  }),
  deployment: prop.enum(
    DEPLOYMENTS,
    'Whether the host app runs hosted by the vendor or on-premise',
  ),
  environment: prop.enum(ENVIRONMENTS, 'Environment the host app runs in'),
  schema_version: prop.integer('Version of this event definition in the catalog', { min: 1 }),
} as const;
