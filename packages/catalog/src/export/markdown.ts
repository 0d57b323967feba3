import type { Catalog } from '../define/catalog.js';
import { ENVELOPE } from '../define/envelope.js';
import type { EventDefinition, PropertyMap } from '../define/event.js';
import { bucketLabels, type PropertyDefinition } from '../define/property.js';
import { propertyJsonSchema } from './json-schema.js';

// Renders docs/events.md: header -> intro (privacy classes, envelope) -> contents -> one
// section per category -> person, tenant, taxonomy. Output is deterministic (no dates) so CI
// can regenerate it and diff.

export const GENERATED_MARKER = 'generated from packages/catalog by npm run gen; do not edit';

export interface MarkdownOptions {
  /** Feature taxonomy (category -> feature keys) to list at the end, e.g. `FEATURE_TAXONOMY`. */
  readonly featureTaxonomy?: Readonly<Record<string, readonly string[]>>;
}

const PRIVACY_CLASSES = [
  [
    'safe',
    'Sent as passed: an enum value, a boolean, a number, a list of enum values, a set of boolean flags, or a short token that must match a pattern (a route template, an error class name).',
  ],
  [
    'pseudonymous_id',
    'An opaque record id, sent as a string. Hosted: the id itself. On-premise: an HMAC-SHA256 of the id under the install secret, so records can be counted and joined but not looked up.',
  ],
  [
    'bucketed',
    'A sensitive magnitude such as money. The caller passes the number; only the label of its bucket is sent. `a-b` means a <= value < b; `<a` is below the first bound; `b+` is b or more.',
  ],
] as const;

/**
 * The complete event reference for a catalog, as Markdown (docs/events.md).
 * @example
 * writeFileSync('docs/events.md', catalogMarkdown(psaCatalog, { featureTaxonomy: FEATURE_TAXONOMY }));
 */
export function catalogMarkdown(catalog: Catalog, options: MarkdownOptions = {}): string {
  const byCategory = groupByCategory(catalog);
  const eventCount = Object.keys(catalog.events).length;
  const out: string[] = [
    `<!-- ${GENERATED_MARKER} -->`,
    '',
    '# Event catalog',
    '',
    `Catalog version **${catalog.version}**: ${eventCount} events in ${byCategory.size} categories, plus person and tenant properties.`,
    '',
    'This is every event the host application can send, with every property. The SDK validates each capture against the catalog and drops keys it does not know, so nothing else leaves the application. The machine-readable wire schema is [events.schema.json](events.schema.json).',
    '',
    '## Privacy classes',
    '',
    ...table(
      ['Class', 'What is sent'],
      PRIVACY_CLASSES.map(([name, text]) => [code(name), text]),
    ),
    '',
    'Free text (names, titles, comments, search queries, error messages, email addresses, domains) has no class: the catalog cannot express it, so it is never sent.',
    '',
    '## Envelope',
    '',
    "The SDK adds these properties to every event; a caller cannot set them. `schema_version` is the version of the event definition listed below. PostHog's own `$`-prefixed properties (`$lib`, `$groups`) are added too and are not listed.",
    '',
    ...propertyTable(ENVELOPE),
    '',
    '## Contents',
    '',
    ...[...byCategory].map(
      ([category, names]) =>
        `- [${categoryTitle(category)}](#${anchor(categoryTitle(category))}): ${names.map((n) => `[${code(n)}](#${n})`).join(', ')}`,
    ),
    '- [Person properties](#person-properties)',
    '- [Tenant properties](#tenant-properties)',
    ...(options.featureTaxonomy ? ['- [Feature taxonomy](#feature-taxonomy)'] : []),
  ];
  for (const [category, names] of byCategory) {
    out.push('', `## ${categoryTitle(category)}`);
    for (const name of names)
      out.push('', ...eventSection(name, catalog.events[name] as EventDefinition));
  }
  out.push('', '## Person properties', '');
  out.push('Sent with `$identify` as `$set`. There is no email, name or username property.', '');
  out.push(...propertyTable(catalog.person));
  out.push('', '## Tenant properties', '');
  out.push('Sent with `$groupidentify` for the `tenant` group (group type 0).', '');
  out.push(...propertyTable(catalog.tenant));
  if (options.featureTaxonomy) out.push('', ...taxonomySection(options.featureTaxonomy));
  return `${out.join('\n')}\n`;
}

function eventSection(name: string, event: EventDefinition): string[] {
  const lines = [`### ${code(name)}`, '', event.description, ''];
  lines.push(`- **Fires:** ${event.firesWhen}`, `- **Version:** ${event.version}`, '');
  if (Object.keys(event.properties).length === 0) {
    lines.push('No properties besides the envelope.');
  } else {
    lines.push(...propertyTable(event.properties));
  }
  return lines;
}

function propertyTable(map: PropertyMap): string[] {
  return table(
    ['Property', 'Type', 'Required', 'Privacy', 'Description'],
    Object.entries(map).map(([name, definition]) => [
      code(name),
      describeType(definition),
      definition.isOptional ? 'optional' : 'required',
      definition.privacy,
      definition.description,
    ]),
  );
}

function taxonomySection(taxonomy: Readonly<Record<string, readonly string[]>>): string[] {
  return [
    '## Feature taxonomy',
    '',
    '`feature_used` takes a `feature` from this table and its `feature_category`. Every feature belongs to exactly one category.',
    '',
    ...table(
      ['Category', 'Features'],
      Object.entries(taxonomy).map(([category, features]) => [
        code(category),
        features.map(code).join(', '),
      ]),
    ),
  ];
}

/** A one-line human description of a property's wire type, e.g. `integer (minutes), >= 0`. */
export function describeType(definition: PropertyDefinition): string {
  const unit = definition.unit === undefined ? '' : ` (${definition.unit})`;
  switch (definition.kind) {
    case 'enum':
      return `enum: ${(definition.values ?? []).join(' | ')}`;
    case 'enum_list':
      return `list of: ${(definition.values ?? []).join(' | ')}`;
    case 'flags':
      return `flags (booleans): ${(definition.values ?? []).join(', ')}`;
    case 'bucket':
      return `bucket${unit}: ${bucketLabels(definition.bounds ?? []).join(' | ')}`;
    case 'id':
      return 'id';
    case 'boolean':
      return 'boolean';
    case 'pattern': {
      const schema = propertyJsonSchema(definition);
      return `pattern ${code(String(schema.pattern))}, max ${String(schema.maxLength)} chars, e.g. ${code(definition.example ?? '')}`;
    }
    case 'integer':
    case 'number':
      return `${definition.kind}${unit}${range(propertyJsonSchema(definition))}`;
  }
}

function range(schema: Readonly<Record<string, unknown>>): string {
  // zod reports an unbounded integer as the safe-integer range; that is not worth printing.
  const bound = (v: unknown) =>
    typeof v === 'number' && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : undefined;
  const min = bound(schema.minimum);
  const max = bound(schema.maximum);
  if (min !== undefined && max !== undefined) return `, ${min} to ${max}`;
  if (min !== undefined) return `, >= ${min}`;
  if (max !== undefined) return `, <= ${max}`;
  return '';
}

function groupByCategory(catalog: Catalog): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [name, event] of Object.entries(catalog.events)) {
    const names = groups.get(event.category) ?? [];
    names.push(name);
    groups.set(event.category, names);
  }
  return groups;
}

function categoryTitle(category: string): string {
  const words = category.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** GitHub's heading anchor: lower case, spaces to `-`, punctuation other than `-` and `_` dropped. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replaceAll(' ', '-')
    .replace(/[^a-z0-9_-]/g, '');
}

/** An inline code span whose fence is longer than any run of backticks inside it. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return longest > 0 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/**
 * A GFM table with padded columns, exactly as Biome formats Markdown, so `biome check` passes
 * on the generated file. `|` is escaped (GFM honours `\|` inside code spans in tables too).
 */
function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const cells = [header, ...rows].map((r) => r.map(escapeCell));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    `| ${widths.map((w, i) => (r[i] ?? '').padEnd(w)).join(' | ')} |`;
  const [head = [], ...body] = cells;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}
