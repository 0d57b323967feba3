import { describe, expect, it } from 'vitest';
import { CaptureError } from './errors.js';

describe('CaptureError', () => {
  it('takes its status from the code', () => {
    expect(new CaptureError('missing_distinct_id').status).toBe(400);
    expect(new CaptureError('invalid_token').status).toBe(401);
    expect(new CaptureError('inconsistent_tokens').status).toBe(401);
    expect(new CaptureError('payload_too_large').status).toBe(413);
  });

  it('names the problem, the reason and the field in a plain message', () => {
    const error = new CaptureError('invalid_token', {
      reason: 'personal_api_key',
      field: 'batch[3].token',
    });
    expect(error.message).toBe(
      'API key is not valid (a personal API key (phx_) cannot send events): batch[3].token',
    );
    expect(error.field).toBe('batch[3].token');
    expect(error.reason).toBe('personal_api_key');
    expect(error.name).toBe('CaptureError');
    expect(error).toBeInstanceOf(Error);
  });

  it('leaves field and reason absent when not given', () => {
    const error = new CaptureError('empty_batch');
    expect(error.message).toBe('request holds no events');
    expect('field' in error).toBe(false);
    expect('reason' in error).toBe(false);
  });
});
