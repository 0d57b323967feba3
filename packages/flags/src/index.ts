// @tally/flags: feature-flag definitions and their evaluation, answering as PostHog does.

/// Definitions
export { resolveFlagDependencies } from './definition/dependencies.js';
export type { PropertyOperator } from './definition/operators.js';
export {
  COHORT_OPERATORS,
  FLAG_DEPENDENCY_OPERATOR,
  PROPERTY_OPERATORS,
} from './definition/operators.js';
export type {
  FlagCondition,
  FlagDefinition,
  FlagDefinitionInput,
  FlagFilters,
  FlagVariant,
  PropertyFilter,
  PropertyGroup,
} from './definition/schema.js';
export {
  FLAG_KEY_PATTERN,
  flagDefinitionSchema,
  MAX_FLAG_KEY_LENGTH,
  propertyFilterSchema,
  propertyGroupSchema,
} from './definition/schema.js';
export type { FlagIssue, FlagParseResult } from './definition/validate.js';
export { parseFlagDefinition } from './definition/validate.js';

/// Evaluation
export { evaluateFlag, evaluateFlags } from './evaluate/flag.js';
export { flagReason, reasonCodeOf } from './evaluate/reasons.js';
export type {
  FlagEnvironment,
  FlagEvaluation,
  FlagInput,
  FlagReason,
  FlagReasonCode,
  FlagResult,
  InconclusiveFlagResult,
} from './evaluate/types.js';
/// Hashing
export type { VariantRange } from './hash.js';
export { flagHash, pickVariant, variantRanges } from './hash.js';
export type { UnresolvedReason } from './match/inconclusive.js';
export type { MatchableFilter, MatchOptions } from './match/property.js';
export { matchProperty } from './match/property.js';
