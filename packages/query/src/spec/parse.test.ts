import { describe, expect, it } from 'vitest';
import { QueryError } from '../errors.js';
import { parseQuery } from './parse.js';

const trends = (extra: Record<string, unknown> = {}, node: Record<string, unknown> = {}) => ({
  kind: 'TrendsQuery',
  series: [{ kind: 'EventsNode', event: 'ticket_created', ...node }],
  ...extra,
});

function errorOf(input: unknown): QueryError {
  try {
    parseQuery(input);
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
  throw new Error('expected a QueryError');
}

describe('parseQuery', () => {
  it('accepts a PostHog TrendsQuery and fills defaults', () => {
    const query = parseQuery(trends({ version: 2, response: null }, { math: 'dau' }));
    expect(query.kind).toBe('TrendsQuery');
    if (query.kind !== 'TrendsQuery') return;
    expect(query.interval).toBe('day');
    expect(query.series[0]?.math).toBe('dau');
    expect('version' in query).toBe(false);
  });

  it.each([
    [trends({}, { math: 'median_of_everything' }), 'series[0].math'],
    [trends({}, { math: 'sum' }), 'series[0].math_property'],
    [trends({}, { math: 'unique_group' }), 'series[0].math_group_type_index'],
    [trends({ interval: 'minute' }), 'interval'],
    [trends({ series: [] }), 'series'],
    [
      trends({ properties: [{ type: 'event', key: 'n', operator: 'gt', value: 'abc' }] }),
      'properties[0].value',
    ],
    [
      trends({ properties: [{ type: 'event', key: 'n', operator: 'regex', value: '(' }] }),
      'properties[0].value',
    ],
    [
      trends({ properties: [{ type: 'group', key: 'plan', value: 'pro' }] }),
      'properties[0].group_type_index',
    ],
    [
      trends({
        properties: {
          type: 'AND',
          values: [{ type: 'OR', values: [{ type: 'person', key: 'x' }] }],
        },
      }),
      'properties.values[0].values[0].value',
    ],
    [trends({ breakdownFilter: { breakdown_limit: 0 } }), 'breakdownFilter.breakdown_limit'],
    [{ kind: 'PathsQuery' }, 'kind'],
    [{ kind: 'FunnelsQuery', series: [{ kind: 'EventsNode', event: 'a' }] }, 'series'],
  ])('names the field of an invalid query: %#', (input, path) => {
    const error = errorOf(input);
    expect(error.code).toBe('invalid_query');
    expect(error.status).toBe(400);
    expect(error.path).toBe(path);
    expect(error.message).toContain(path);
  });

  it('never echoes the value sent', () => {
    const error = errorOf(trends({}, { math: 'secret-value-123' }));
    expect(error.message).not.toContain('secret-value-123');
  });

  it('validates every insight kind', () => {
    expect(parseQuery({ kind: 'RetentionQuery', retentionFilter: { period: 'Week' } }).kind).toBe(
      'RetentionQuery',
    );
    expect(
      parseQuery({ kind: 'LifecycleQuery', series: [{ kind: 'EventsNode', event: 'a' }] }).kind,
    ).toBe('LifecycleQuery');
    expect(
      parseQuery({ kind: 'ActorsQuery', source: { kind: 'InsightActorsQuery', source: trends() } })
        .kind,
    ).toBe('ActorsQuery');
  });
});
