import { describe, expect, it } from 'vitest';
import { isPhoneNumber, phoneScanner } from './phone.js';

function replaced(text: string): string {
  let out = text;
  for (const span of [...phoneScanner.find(text)].reverse()) {
    out = `${out.slice(0, span.start)}[phone]${out.slice(span.end)}`;
  }
  return out;
}

describe('phone numbers', () => {
  it.each([
    '+4915112345678',
    '+1 (555) 123-4567',
    '(555) 123-4567',
    '555-123-4567',
    '555.123.4567',
    '555 123 4567',
    '1-800-555-0199',
    '555-1234',
    '020 7946 0958',
    '+44 20 7946 0958',
    '030 12345678',
    '+49 (0)30 1234 5678',
    '0151 12345678',
    '01511234567',
    '0049 151 12345678',
    '+33 1 23 45 67 89',
    '01 23 45 67 89',
    '06-12345678',
    '+81 3-1234-5678',
  ])('replaces %s', (phone) => {
    expect(replaced(`call ${phone} today`)).toBe('call [phone] today');
  });

  it.each(['555-123-4567 ext. 89', '+1 555 123 4567 x89', '(555) 123-4567 #12'])(
    'takes the extension with %s',
    (phone) => {
      expect(replaced(`call ${phone}`)).toBe('call [phone]');
    },
  );

  it('splits two numbers separated by a space', () => {
    expect(replaced('030 1234567 0151 2345678')).toBe('[phone] [phone]');
  });

  it('finds E.164 after `tel:` and inside parentheses', () => {
    expect(replaced('tel:+4915112345678')).toBe('tel:[phone]');
    expect(replaced('(+49 30 1234567)')).toBe('([phone])');
  });

  it.each([
    '2026-11-25',
    '2026-11-25T10:30:00.000Z',
    '2026-11-25 10:30:00',
    '25.11.2026',
    '11-25-2026',
    '11/25/2026',
    '1.42.0',
    '3.14159265',
    '1234567.89',
    '1500ms',
    '1732530000000',
    '1732530000',
    '1234567',
    '1 234 567',
    '12.345.678',
    '1990-2024',
    '1024 768',
    '1 2 3 4 5 6 7 8',
    'ISBN 978-3-16-148410-0',
    'v2.3.4-beta.1',
    '00:15:30',
    '+42',
  ])('leaves %s alone', (text) => {
    expect(replaced(text)).toBe(text);
  });

  it('needs 7 to 15 digits', () => {
    expect(isPhoneNumber('+123456')).toBe(false);
    expect(isPhoneNumber('+1234567')).toBe(true);
    expect(isPhoneNumber('+1234567890123456')).toBe(false);
  });
});
