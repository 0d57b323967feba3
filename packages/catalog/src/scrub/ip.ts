import { regexFinder, type Scanner } from './scanner.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4_SOURCE = `${OCTET}(?:\\.${OCTET}){3}`;
const IPV4_EXACT = new RegExp(`^${IPV4_SOURCE}$`);

/**
 * Dotted quad with valid octets (no leading zeros). Not preceded by a word character or a dot and
 * not followed by `.digit`, so it does not match inside `v1.2.3.4.5` or a longer dotted number.
 * Known miss-fire: a bare four-part version like `1.2.3.4` is flagged.
 */
const IPV4 = new RegExp(`(?<![\\w.])${IPV4_SOURCE}(?![\\w]|\\.\\d)`, 'g');
/**
 * `N.0.0.0` is a network, not a host (and `0.0.0.0` means "any"); it is also how user agents
 * write versions since UA reduction (`Chrome/120.0.0.0`), which must stay readable.
 */
const NETWORK = /\.0\.0\.0$/;

/**
 * Candidate IPv6 text: 2..7 colon-terminated groups, then a last group or an embedded IPv4, then
 * an optional zone (`%eth0`). `isIpv6` decides; the regex only bounds the search.
 */
const IPV6 = new RegExp(
  [
    '(?<![\\w:.%])(?:[0-9a-f]{0,4}:){2,7}',
    `(?:${IPV4_SOURCE}|[0-9a-f]{1,4})?`,
    '(?:%[\\w.-]+)?(?![\\w:]|\\.\\d)',
  ].join(''),
  'gi',
);
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

export function isIpv4(text: string): boolean {
  return IPV4_EXACT.test(text);
}

/**
 * RFC 4291 text forms: eight groups, or fewer with exactly one `::`; the last 32 bits may be
 * dotted IPv4; a zone id may follow `%`. We also require a decimal digit somewhere so that
 * `ABC::DEF` (an enum path in some languages) is not an address; every real address but the
 * all-letter documentation examples has one.
 */
export function isIpv6(text: string): boolean {
  const zone = text.indexOf('%');
  let addr = zone >= 0 ? text.slice(0, zone) : text;
  if (!/\d/.test(addr)) return false;
  const lastColon = addr.lastIndexOf(':');
  const tail = addr.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIpv4(tail)) return false;
    addr = `${addr.slice(0, lastColon + 1)}0:0`;
  }
  const halves = addr.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (!groups.every((g) => HEX_GROUP.test(g))) return false;
  return halves.length === 2 ? groups.length >= 1 && groups.length <= 7 : groups.length === 8;
}

const findIpv6 = regexFinder(IPV6, (candidate) => (isIpv6(candidate) ? candidate.length : 0));
const findIpv4 = regexFinder(IPV4, (candidate) => (NETWORK.test(candidate) ? 0 : candidate.length));

/** IPv6 runs first so that `::ffff:192.0.2.1` is replaced whole, not as `::ffff:[ip]`. */
export const ipv6Scanner: Scanner = {
  kind: 'ip',
  applies: (p) => p.colons >= 2,
  find: findIpv6,
};

export const ipv4Scanner: Scanner = {
  kind: 'ip',
  applies: (p) => p.hasDot && p.digits >= 4,
  find: findIpv4,
};
