import type { PropertyDefinition, PropertyInput } from './property.js';

export type PropertyMap = Readonly<Record<string, PropertyDefinition>>;

export type EventCategory =
  | 'tickets'
  | 'auth'
  | 'performance'
  | 'time_tracking'
  | 'billing'
  | 'product_usage'
  | (string & {});

/** One catalogued event. `version` is sent as `schema_version` in the envelope. */
export interface EventDefinition<P extends PropertyMap = PropertyMap> {
  readonly category: EventCategory;
  readonly description: string;
  /** When the host app fires it, in one sentence (shown in docs/events.md). */
  readonly firesWhen: string;
  readonly version: number;
  readonly properties: P;
}

type OptionalKeys<P extends PropertyMap> = {
  [K in keyof P]: P[K] extends PropertyDefinition<unknown, true> ? K : never;
}[keyof P];
type RequiredKeys<P extends PropertyMap> = Exclude<keyof P, OptionalKeys<P>>;

/** The property bag a caller passes for a property map. */
export type PropertiesInput<P extends PropertyMap> = {
  [K in RequiredKeys<P>]: PropertyInput<P[K]>;
} & {
  [K in OptionalKeys<P>]?: PropertyInput<P[K]>;
};

/**
 * Defines one event.
 * @example
 * const ticketDeleted = defineEvent({
 *   category: 'tickets', version: 1,
 *   description: 'A ticket was deleted.', firesWhen: 'After the delete commits.',
 *   properties: { age_days: prop.integer('Days since the ticket was created', { min: 0 }) },
 * });
 */
export function defineEvent<const P extends PropertyMap>(
  definition: EventDefinition<P>,
): EventDefinition<P> {
  return Object.freeze({ ...definition, properties: Object.freeze({ ...definition.properties }) });
}
