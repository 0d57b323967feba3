import { describe, expect, it } from 'vitest';
import { isQueryError } from '../errors.js';
import { parseCohortDefinition } from './spec.js';

const multiple = {
  type: 'behavioral',
  value: 'performed_event_multiple',
  key: 'ticket_created',
  operator: 'gte',
  operator_value: 3,
  time_value: 30,
  time_interval: 'day',
  negation: false,
};
const dynamic = (values: unknown[]) => ({ filters: { properties: { type: 'AND', values } } });

function pathOf(input: unknown): string | undefined {
  try {
    parseCohortDefinition(input);
  } catch (error) {
    if (isQueryError(error, 'invalid_query')) return error.path;
    throw error;
  }
  return undefined;
}

describe('parseCohortDefinition', () => {
  it("accepts PostHog's behavioural, person, tenant and cohort leaves in nested groups", () => {
    const parsed = parseCohortDefinition(
      dynamic([
        multiple,
        {
          type: 'OR',
          values: [
            { type: 'person', key: 'plan', value: 'pro', operator: 'exact', negation: true },
            { type: 'group', key: 'plan', value: 'enterprise', operator: 'exact' },
            { type: 'cohort', key: 'id', value: 4 },
          ],
        },
      ]),
    );
    expect(parsed.is_static).toBe(false);
    expect(parsed.filters?.properties.values[1]).toMatchObject({
      type: 'OR',
      values: [{ negation: true }, { group_type_index: 0 }, { value: 4 }],
    });
  });

  it('accepts a static list of person ids and distinct ids', () => {
    expect(
      parseCohortDefinition({ is_static: true, distinct_ids: ['user-1'], person_ids: [] }),
    ).toMatchObject({ is_static: true, distinct_ids: ['user-1'] });
  });

  it('names the bad field, however deep', () => {
    expect(pathOf(dynamic([{ ...multiple, time_interval: 'fortnight' }]))).toBe(
      'filters.properties.values[0].time_interval',
    );
    expect(pathOf(dynamic([{ ...multiple, operator_value: undefined }]))).toBe(
      'filters.properties.values[0].operator_value',
    );
    expect(
      pathOf(dynamic([{ type: 'OR', values: [{ type: 'person', key: 'plan', operator: 'gt' }] }])),
    ).toBe('filters.properties.values[0].values[0].value');
    expect(pathOf(dynamic([{ type: 'nonsense' }]))).toBe('filters.properties.values[0].type');
    expect(pathOf({})).toBe('filters');
    expect(pathOf({ filters: dynamic([]).filters, distinct_ids: ['a'] })).toBe('distinct_ids');
    expect(pathOf({ is_static: true, person_ids: [''] })).toBe('person_ids[0]');
  });

  it('refuses actions, which Tally does not have', () => {
    expect(pathOf(dynamic([{ ...multiple, event_type: 'actions' }]))).toBe(
      'filters.properties.values[0].event_type',
    );
  });
});
