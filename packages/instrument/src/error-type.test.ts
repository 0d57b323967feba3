import { describe, expect, it } from 'vitest';
import { errorTypeOf, NON_ERROR_TYPE } from './error-type.js';

class NamedError extends Error {
  override readonly name = 'NamedError';
}
class UnnamedError extends Error {}

describe('errorTypeOf', () => {
  it('uses error.name when it is an identifier', () => {
    expect(errorTypeOf(new TypeError('x'))).toBe('TypeError');
    expect(errorTypeOf(new NamedError('x'))).toBe('NamedError');
  });

  it('uses the constructor of a subclass that kept the name Error', () => {
    expect(errorTypeOf(new UnnamedError('x'))).toBe('UnnamedError');
    expect(errorTypeOf(new Error('x'))).toBe('Error');
  });

  it('never returns a name that is not an identifier (a name built from user input)', () => {
    const error = new Error('x');
    error.name = 'Failed for dana@example.com';
    expect(errorTypeOf(error)).toBe('Error');
    expect(errorTypeOf(Object.create(null))).toBe('Error');
  });

  it('gives thrown non-objects one type', () => {
    expect(errorTypeOf('boom')).toBe(NON_ERROR_TYPE);
    expect(errorTypeOf(undefined)).toBe(NON_ERROR_TYPE);
  });
});
