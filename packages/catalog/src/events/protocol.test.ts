import { describe, expect, it } from 'vitest';
import { sanitizeProperties } from '../apply/sanitize.js';
import { protocolEvents } from './protocol.js';

const definitions = protocolEvents.$feature_flag_called.properties;
const keep = (id: string) => id;

describe('$feature_flag_called', () => {
  it.each([true, false, 'new-form'])('keeps the response %s', (response) => {
    const result = sanitizeProperties(
      definitions,
      {
        $feature_flag: 'new-ticket-form',
        $feature_flag_response: response,
        locally_evaluated: true,
      },
      keep,
    );
    expect(result.invalid).toEqual([]);
    expect(result.properties.$feature_flag_response).toBe(response);
  });

  it('drops free text, unknown reasons and keys that are not flag keys', () => {
    const result = sanitizeProperties(
      definitions,
      {
        $feature_flag: 'jane@example.com',
        $feature_flag_response: 'Jane Doe',
        $feature_flag_reason: 'Matched condition set 1',
        locally_evaluated: false,
        $feature_flag_error: 'x',
      },
      keep,
    );
    expect(result.invalid).toEqual([
      '$feature_flag',
      '$feature_flag_response',
      '$feature_flag_reason',
    ]);
    expect(result.unknown).toEqual(['$feature_flag_error']);
    expect(result.properties).toEqual({ locally_evaluated: false });
  });
});
