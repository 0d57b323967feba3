import { describe, expect, it } from 'vitest';
import { scanText } from './scanners.js';
import { isRandomToken } from './tokens.js';

// Built by concatenation so that secret scanners on the repository do not flag test fixtures.
const STRIPE = ['sk', 'live', 'Xk9mP2vL8qR4tY7wZ3nB6cF1'].join('_');
const GITHUB = `gh${'p'}_${'aB3dE5gH7jK9mN1pQ3sT5vW7xY9zA1bC3dE5'}`;
const SLACK = ['xoxb', '123456789012', '1234567890123', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('-');
const AWS = `AKIA${'IOSFODNN7EXAMPLE'}`;
const JWT = [
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUifQ',
  'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
].join('.');

describe('tokens', () => {
  it.each([
    ['a JWT', JWT, '[token]'],
    ['a JWT with an empty signature', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.', '[token]'],
    ['a Stripe key', STRIPE, '[token]'],
    ['a GitHub token', GITHUB, '[token]'],
    ['a Slack token', SLACK, '[token]'],
    ['an AWS key id', AWS, '[token]'],
    [
      'a Bearer credential',
      'Authorization: Bearer abc123def456ghi',
      'Authorization: Bearer [token]',
    ],
    ['a Bearer JWT', `Bearer ${JWT}`, 'Bearer [token]'],
    ['a Basic credential', 'Basic dXNlcjpodW50ZXIy', 'Basic [token]'],
    ['a random base62 string', 'Xk9mP2vL8qR4tY7wZ3nB6cF1hJ5', '[token]'],
    ['a random base64 string', 'q3Jx/9Kd+Lm2Pz8Rw4Tn6Vb1Yc5Hf7Ga==', '[token]'],
  ])('replaces %s', (_, input, expected) => {
    expect(scanText(input)).toMatchObject({ text: expected, found: ['token'] });
  });

  it.each([
    'the Bearer token is missing',
    'Bearer authentication failed',
    'Basic plan',
    'Basic authentication',
    '550e8400-e29b-41d4-a716-446655440000',
    '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    '9F86D081884C7D659A2FEAA0C55AD015',
    'cjld2cjxh0000qzrmn831i7rn',
    '01ARZ3NDEKTSV4RRFFQ69G5FAV',
    'snake_case_identifiers_that_are_long_but_low_entropy',
    'CONSTANT_CASE_ENVIRONMENT_VARIABLE_NAME',
    'getTicketsByClientId2024Report',
    'TimeEntryManualCreated2024Q3Export',
    'ValidationErrorHandlerFactory',
    'aaaaAAAAaaaaAAAA1111aaaaAAAA',
    'sk-learn-compatible-preprocessing-pipeline',
    'xoxo-hugs-and-kisses-from-the-team',
  ])('leaves %s alone', (input) => {
    expect(scanText(input).text).toBe(input);
  });

  it('treats single-case runs as ids, whatever their entropy', () => {
    expect(isRandomToken('k3j4h5g6f7d8s9a0p1o2i3u4y5')).toBe(false);
    expect(isRandomToken('K3J4H5G6F7D8S9A0P1O2I3U4Y5')).toBe(false);
  });
});
