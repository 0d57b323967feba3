// @tally/catalog: the typed, privacy-classified event catalog and the shared privacy scrub.

/// Applying the catalog
export type { IdTransform, SanitizedProperties } from './apply/sanitize.js';
export { sanitizeProperties } from './apply/sanitize.js';
export type {
  Catalog,
  EventInput,
  EventMap,
  EventName,
  PersonInput,
  TenantInput,
} from './define/catalog.js';
export { defineCatalog, EVENT_NAME_PATTERN, extendCatalog } from './define/catalog.js';
export type { Deployment, Environment } from './define/envelope.js';
export { DEPLOYMENTS, ENVELOPE, ENVIRONMENTS } from './define/envelope.js';
export type {
  EventCategory,
  EventDefinition,
  PropertiesInput,
  PropertyMap,
} from './define/event.js';
export { defineEvent } from './define/event.js';
/// Defining events
export type {
  PrivacyClass,
  PropertyDefinition,
  PropertyInput,
  PropertyKind,
  RequiredProperty,
} from './define/property.js';
export {
  bucketLabel,
  bucketLabels,
  ID_PATTERN,
  MAX_ID_LENGTH,
  MAX_LIST_LENGTH,
  prop,
} from './define/property.js';
/// Errors
export type { CatalogErrorCode } from './errors.js';
export { CatalogError } from './errors.js';
export { HTTP_METHODS, ROUTE_TEMPLATE_PATTERN, STATUS_CLASSES } from './events/performance.js';
export type { UserType } from './events/person.js';
export { USER_TYPES } from './events/person.js';
export type { Feature, FeatureCategory } from './events/product-usage.js';
export {
  FEATURE_CATEGORIES,
  FEATURE_TAXONOMY,
  FEATURES,
  featureCategory,
} from './events/product-usage.js';
/// Protocol events the SDK emits (`$feature_flag_called`)
export type { ProtocolEventName } from './events/protocol.js';
export {
  FEATURE_FLAG_PROPERTY_PREFIX,
  FLAG_KEY_TOKEN_PATTERN,
  FLAG_REASON_CODES,
  protocolEvents,
} from './events/protocol.js';
/// PSA catalog
export type { PsaCatalog } from './events/psa-catalog.js';
export { psaCatalog } from './events/psa-catalog.js';

/// Exports (JSON Schema, docs)
export type { JsonSchema } from './export/json-schema.js';
export { catalogJsonSchema, eventJsonSchema, propertyJsonSchema } from './export/json-schema.js';
export type { MarkdownOptions } from './export/markdown.js';
export { catalogMarkdown, describeType, GENERATED_MARKER } from './export/markdown.js';

/// PII scrub (the SDK and the server run the same one)
export type { PiiKind } from './scrub/kinds.js';
export { PII_KINDS } from './scrub/kinds.js';
export type { StringScrub } from './scrub/scrub.js';
export {
  findPii,
  MAX_SCRUB_DEPTH,
  MAX_SCRUB_NODES,
  MAX_SCRUB_STRING_LENGTH,
  scrubDeep,
  scrubString,
} from './scrub/scrub.js';
export type { UrlTemplate } from './scrub/url-template.js';
export { templatePath, templateUrl } from './scrub/url-template.js';
