// @tally/catalog: the typed, privacy-classified event catalog and the shared privacy scrub.

/// Defining events
export type { PrivacyClass, PropertyDefinition, PropertyInput, PropertyKind, RequiredProperty } from './define/property.js';
export { bucketLabel, bucketLabels, MAX_ID_LENGTH, MAX_LIST_LENGTH, prop } from './define/property.js';
export type { EventCategory, EventDefinition, PropertiesInput, PropertyMap } from './define/event.js';
export { defineEvent } from './define/event.js';
export type { Catalog, EventInput, EventMap, EventName, PersonInput, TenantInput } from './define/catalog.js';
export { defineCatalog, EVENT_NAME_PATTERN, extendCatalog } from './define/catalog.js';
export type { Deployment, Environment } from './define/envelope.js';
export { DEPLOYMENTS, ENVELOPE, ENVIRONMENTS } from './define/envelope.js';

/// Errors
export type { CatalogErrorCode } from './errors.js';
export { CatalogError } from './errors.js';
