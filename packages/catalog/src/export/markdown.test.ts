import { describe, expect, it } from 'vitest';
import { ENVELOPE } from '../define/envelope.js';
import { prop } from '../define/property.js';
import { FEATURE_TAXONOMY } from '../events/product-usage.js';
import { psaCatalog } from '../events/psa-catalog.js';
import { catalogMarkdown, describeType } from './markdown.js';

const markdown = catalogMarkdown(psaCatalog, { featureTaxonomy: FEATURE_TAXONOMY });
const lines = markdown.split('\n');

/** The cells of a table row, trimmed, with `\|` unescaped. */
function cellsOf(line: string): string[] {
  return line
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((cell) => cell.trim().replaceAll('\\|', '|'));
}

/** The row of a table whose first cell is `` `name` ``, as cells. */
function rowOf(lines: readonly string[], name: string): string[] | undefined {
  const line = lines.find((l) => l.startsWith('|') && cellsOf(l)[0] === `\`${name}\``);
  return line === undefined ? undefined : cellsOf(line);
}

/** The lines of one `### \`name\`` section, up to the next heading of level 2 or 3. */
function section(heading: string): string[] {
  const start = lines.indexOf(heading);
  expect(start, heading).toBeGreaterThan(-1);
  const end = lines.findIndex((line, i) => i > start && /^##/.test(line));
  return lines.slice(start, end === -1 ? undefined : end);
}

describe('catalogMarkdown', () => {
  it('says on its first line that it is generated', () => {
    expect(lines[0]).toBe('<!-- generated from packages/catalog by npm run gen; do not edit -->');
    expect(markdown.endsWith('\n')).toBe(true);
  });

  it('explains the privacy classes and lists the envelope', () => {
    for (const name of ['safe', 'pseudonymous_id', 'bucketed']) {
      expect(rowOf(section('## Privacy classes'), name), name).toBeDefined();
    }
    for (const name of Object.keys(ENVELOPE)) {
      expect(rowOf(section('## Envelope'), name), name).toBeDefined();
    }
  });

  it.each(Object.entries(psaCatalog.events))(
    'documents %s and every one of its properties',
    (name, event) => {
      const body = section(`### \`${name}\``);
      expect(markdown).toContain(`[\`${name}\`](#${name})`);
      expect(body).toContain(event.description);
      expect(body).toContain(`- **Fires:** ${event.firesWhen}`);
      expect(body).toContain(`- **Version:** ${event.version}`);
      for (const [key, definition] of Object.entries(event.properties)) {
        expect(rowOf(body, key), `${name}.${key}`).toEqual([
          `\`${key}\``,
          describeType(definition),
          definition.isOptional ? 'optional' : 'required',
          definition.privacy,
          definition.description,
        ]);
      }
    },
  );

  it('documents person and tenant properties and the feature taxonomy', () => {
    for (const key of Object.keys(psaCatalog.person)) {
      expect(rowOf(section('## Person properties'), key), key).toBeDefined();
    }
    for (const key of Object.keys(psaCatalog.tenant)) {
      expect(rowOf(section('## Tenant properties'), key), key).toBeDefined();
    }
    expect(rowOf(section('## Feature taxonomy'), 'ticketing')?.[1]).toBe(
      FEATURE_TAXONOMY.ticketing.map((feature) => `\`${feature}\``).join(', '),
    );
  });

  it('escapes pipes and pads every row of a table to the same width', () => {
    let previous: string | undefined;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        previous = undefined;
        continue;
      }
      if (previous !== undefined) expect(line.length, line).toBe(previous.length);
      expect(cellsOf(line).length, line).toBe(cellsOf(previous ?? line).length);
      previous = line;
    }
  });

  it('is deterministic', () => {
    expect(catalogMarkdown(psaCatalog, { featureTaxonomy: FEATURE_TAXONOMY })).toBe(markdown);
  });
});

describe('describeType', () => {
  it.each([
    [prop.enum(['low', 'medium', 'high'], 'd'), 'enum: low | medium | high'],
    [prop.integer('d', { min: 0, unit: 'minutes' }), 'integer (minutes), >= 0'],
    [prop.integer('d', { min: 100, max: 599 }), 'integer, 100 to 599'],
    [prop.integer('d', { unit: 'days' }), 'integer (days)'],
    [prop.number('d', { max: 1 }), 'number, <= 1'],
    [prop.bucket('d', { bounds: [0, 1000], unit: 'cents' }), 'bucket (cents): <0 | 0-1000 | 1000+'],
    [prop.id('d'), 'id'],
    [prop.enumList(['a', 'b'], 'd'), 'list of: a | b'],
    [prop.flags(['status', 'board'], 'd'), 'flags (booleans): status, board'],
    [
      prop.pattern(/[A-Z]{3}/, 'd', { maxLength: 3, example: 'USD' }),
      'pattern `^(?:[A-Z]{3})$`, max 3 chars, e.g. `USD`',
    ],
  ])('describes %#', (definition, expected) => {
    expect(describeType(definition)).toBe(expected);
  });
});
