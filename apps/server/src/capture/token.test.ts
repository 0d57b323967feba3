import { describe, expect, it } from 'vitest';
import { CaptureError } from './errors.js';
import { resolveToken, type TokenCandidate } from './token.js';

const at = (token: string, field = 'api_key'): TokenCandidate => ({ token, field });

function errorOf(run: () => unknown): CaptureError {
  try {
    run();
  } catch (error) {
    if (error instanceof CaptureError) return error;
    throw error;
  }
  throw new Error('expected a CaptureError');
}

describe('resolveToken', () => {
  it('takes the envelope token over any event token', () => {
    expect(resolveToken(at('phc_envelope'), [at('phc_other', 'batch[0].token')])).toBe(
      'phc_envelope',
    );
  });

  it('takes the one token the events agree on, ignoring events without one', () => {
    expect(
      resolveToken(undefined, [
        at('phc_a', 'batch[0].token'),
        undefined,
        at('phc_a', 'batch[2].properties.token'),
      ]),
    ).toBe('phc_a');
  });

  it('trims surrounding whitespace, before comparing too', () => {
    expect(resolveToken(at('  phc_a\n'), [])).toBe('phc_a');
    expect(resolveToken(undefined, [at('phc_a', 'batch[0].token'), at('phc_a\n', 'x')])).toBe(
      'phc_a',
    );
  });

  it('answers 401 inconsistent_tokens naming the first disagreeing event', () => {
    const error = errorOf(() =>
      resolveToken(undefined, [at('phc_a', 'batch[0].token'), at('phc_b', 'batch[1].token')]),
    );
    expect(error.code).toBe('inconsistent_tokens');
    expect(error.status).toBe(401);
    expect(error.field).toBe('batch[1].token');
  });

  it('answers 401 missing_token when nothing carries a token', () => {
    const error = errorOf(() => resolveToken(undefined, [undefined, undefined]));
    expect(error.code).toBe('missing_token');
    expect(error.status).toBe(401);
  });

  it.each([
    ['empty', '', 'empty'],
    ['whitespace only', '  \n', 'empty'],
    ['longer than 64 characters', 'x'.repeat(65), 'too_long'],
    ['non-ASCII', 'phc_🦀', 'not_ascii'],
    ['a personal API key', 'phx_secret', 'personal_api_key'],
    ['a NUL byte', 'phc_a\0b', 'null_byte'],
  ] as const)('refuses a token that is %s', (_name, token, reason) => {
    const error = errorOf(() => resolveToken(at(token, 'token'), []));
    expect(error.code).toBe('invalid_token');
    expect(error.status).toBe(401);
    expect(error.reason).toBe(reason);
    expect(error.field).toBe('token');
    expect(error.message).not.toContain(token.trim() || '\u0000never');
  });

  it('accepts 64 characters', () => {
    expect(resolveToken(at('x'.repeat(64)), [])).toHaveLength(64);
  });
});
