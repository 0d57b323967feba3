import { describe, expect, it } from 'vitest';
import { isCardNumber } from './card.js';
import { isIpv6 } from './ip.js';
import { scanText } from './scanners.js';

function scan(text: string): { text: string; found: string[] } {
  const { text: out, found } = scanText(text);
  return { text: out, found };
}

describe('e-mail', () => {
  it.each([
    ['jane.doe@example.com', '[email]'],
    ['JANE.DOE+invoices@Mail.Example.CO.UK', '[email]'],
    ['"jane@example.com"', '"[email]"'],
    ["<o'brien@example.ie>", '<[email]>'],
    ['jane%40example.com', '[email]'],
    ['jane%2Btag%40example.com', '[email]'],
    ['mailto:jane@example.com', 'mailto:[email]'],
    ['björn@exämple.de', '[email]'],
  ])('replaces %s', (input, expected) => {
    expect(scan(input)).toEqual({ text: expected, found: ['email'] });
  });

  it.each(['react@18.2.0', '@tally/catalog', 'user@localhost', 'a @ b.com', '@mention'])(
    'leaves %s alone',
    (input) => {
      expect(scan(input).text).toBe(input);
    },
  );
});

describe('IP addresses', () => {
  it.each([
    '192.168.1.20',
    '8.8.8.8',
    '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
    '2001:db8::1',
    '::1',
    'fe80::1%eth0',
    '::ffff:192.0.2.1',
  ])('replaces %s whole', (ip) => {
    expect(scan(`from ${ip}, retry`).text).toBe('from [ip], retry');
  });

  it.each([
    '256.1.1.1',
    '1.42.0',
    '10.0.19045.2364',
    'Chrome/120.0.0.0',
    '0.0.0.0',
    '12:30:45',
    '00:1a:2b:3c:4d:5e',
    'std::vector',
    'ABC::DEF',
  ])('leaves %s alone', (input) => {
    expect(scan(input).text).toBe(input);
  });

  it('parses the RFC 4291 forms exactly', () => {
    expect(isIpv6('1:2:3:4:5:6:7:8')).toBe(true);
    expect(isIpv6('1:2:3:4:5:6:7')).toBe(false);
    expect(isIpv6('1::2::3')).toBe(false);
    expect(isIpv6('1:2:3:4:5:6:7::8')).toBe(false);
    expect(isIpv6('::ffff:999.0.2.1')).toBe(false);
  });
});

describe('card numbers', () => {
  it.each([
    '4111 1111 1111 1111',
    '4111-1111-1111-1111',
    '4111111111111111',
    '3782 822463 10005',
    '5555 5555 5555 4444',
    '2223 0031 2200 3222',
    '3056 9309 0259 04',
  ])('replaces %s', (card) => {
    expect(scan(`paid with ${card}.`)).toEqual({ text: 'paid with [card].', found: ['card'] });
  });

  it('takes the card out of a longer run and leaves the rest', () => {
    expect(scan('4111 1111 1111 1111 20').text).toBe('[card] 20');
  });

  it('does not report digit runs that fail Luhn or have no issuer prefix', () => {
    expect(isCardNumber('4111111111111112')).toBe(false);
    expect(isCardNumber('1732530000000')).toBe(false); // a millisecond timestamp
    expect(scan('4111-1111-1111-1112').found).toEqual([]);
  });
});

describe('IBAN', () => {
  it.each([
    'DE89 3704 0044 0532 0130 00',
    'DE89370400440532013000',
    'gb29 nwbk 6016 1331 9268 19',
    'FR14 2004 1010 0505 0001 3M02 606',
    'NO93 8601 1117 947',
  ])('replaces %s', (iban) => {
    expect(scan(`IBAN: ${iban} (main)`)).toEqual({ text: 'IBAN: [iban] (main)', found: ['iban'] });
  });

  it('rejects a wrong check digit, a wrong length and an unknown country', () => {
    expect(scan('DE88 3704 0044 0532 0130 00').found).not.toContain('iban');
    expect(scan('DE89 3704 0044 0532 0130 0').found).not.toContain('iban');
    expect(scan('ZZ89 3704 0044 0532 0130 00').found).not.toContain('iban');
  });
});

describe('national ids', () => {
  it.each(['123-45-6789', '123 45 6789', 'AB123456C', 'AB 12 34 56 C'])('replaces %s', (id) => {
    expect(scan(`id ${id}`)).toEqual({ text: 'id [national_id]', found: ['national_id'] });
  });

  it.each(['000-12-3456', '666-12-3456', '123-00-4567', '123-45-0000', 'GB123456A', 'AB123456E'])(
    'leaves the never-issued %s alone',
    (input) => {
      expect(scan(input).found).not.toContain('national_id');
    },
  );
});

describe('scanText', () => {
  it('counts matches and lists each kind once, in the order found', () => {
    const result = scanText('a@example.com b@example.com 10.0.0.1');
    expect(result).toEqual({ text: '[email] [email] [ip]', found: ['email', 'ip'], count: 3 });
  });
});
