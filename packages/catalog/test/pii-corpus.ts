// PII corpus for the scrub: realistic samples of every kind, and values that must stay untouched.
// Secrets (API keys, JWTs, session ids) are assembled at load time from a seeded generator, so the
// repository holds no literal that a secret scanner would flag, and every run sees the same text.
import type { PiiKind } from '../src/scrub/kinds.js';

export interface PiiSample {
  readonly kind: PiiKind;
  readonly text: string;
  /** Parts that must not survive besides the text itself (names in a query, a URL's host). */
  readonly secrets?: readonly string[];
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fixed-seed stand-in for a random secret (a 31-bit LCG; not for cryptography). */
function fakeSecret(seed: number, length: number, alphabet = BASE62): string {
  let state = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    out += alphabet.charAt(Math.floor((state / 2 ** 31) * alphabet.length));
  }
  return out;
}

const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (payload: object, seed: number, alg = 'HS256'): string => {
  const signature = alg === 'none' ? '' : fakeSecret(seed, 43, `${BASE62}-_`);
  return `${b64url({ alg, typ: 'JWT' })}.${b64url(payload)}.${signature}`;
};
const key = (...parts: string[]): string => parts.join('');

// biome-ignore format: a data table, several samples to a line
const EMAILS = [
  'jane.doe@example.com', 'JANE.DOE@EXAMPLE.COM', 'Jane.Doe@Example.COM',
  'jane.doe+invoices@example.com', 'j.doe+tag+more@mail.example.co.uk',
  'first_last@sub.domain.example.org', "o'brien@example.ie", 'x@example.io',
  '12345@numbers.example.net', 'firstname-lastname@example-company.com',
  'user.name@xn--bcher-kva.example', 'björn.müller@exämple.de', '"helpdesk@example.com"',
  '<support-team@acme-msp.com>', 'mailto:billing@acme-msp.com', 'jane.doe%40example.com',
  'jane.doe%2Bsales%40example.com', 'sysadmin.ops@192-168-1-1.example.com',
  'a.b.c.d.e@deep.sub.domain.example.travel', 'helpdesk@client-portal.acme-msp.services',
  'noreply+ticket-4821@notifications.example.com', 'ceo@globex.corporation',
  'first.last@company.co.jp', 'info@example.museum', 'photo.buyer@mail.example.photography',
  'test.user@gmail.com', 't.nguyen@outlook.de', 'm_rossi@libero.it', 'k.schmidt@web.de',
  'pierre.dupont@orange.fr', 'maria.garcia@empresa.es', 'j.smith@contoso.onmicrosoft.com',
  'sales@fabrikam.com.au', 'ops-team@tailspin-toys.io', 'JaneDoe1985@hotmail.com',
  'Contact: jane.roe@example.com',
];

// biome-ignore format: a data table, several samples to a line
const PHONES = [
  '+1 (555) 123-4567', '(555) 123-4567', '555-123-4567', '555.123.4567', '555 123 4567',
  '1-800-555-0199', '+1-416-555-0123', '+15551234567', '+4915112345678', '+49 151 12345678',
  '+49 (0)30 1234 5678', '030 12345678', '0151 12345678', '01511234567', '0049 151 12345678',
  '+44 20 7946 0958', '020 7946 0958', '07700 900123', '+44 7700 900123', '+33 1 23 45 67 89',
  '01 23 45 67 89', '+31 20 123 4567', '06-12345678', '+34 912 345 678', '+39 06 1234 5678',
  '+41 44 668 18 00', '+61 2 9876 5432', '(02) 9876 5432', '+91 98765 43210',
  '+81 3-1234-5678', '03-1234-5678', '+55 11 91234-5678', '555-123-4567 ext. 89',
  '+1 555 123 4567 x89', '(555) 123-4567 #12', 'tel:+4915112345678', '+43 1 234567890',
  '+48 22 123 45 67',
];

// biome-ignore format: a data table, several samples to a line
const IPS = [
  '192.168.1.20', '10.0.0.1', '172.16.254.1', '8.8.8.8', '203.0.113.195', '198.51.100.42',
  '127.0.0.1', '100.64.12.7', '255.255.255.255', '1.1.1.1', '81.2.69.160',
  '2001:0db8:85a3:0000:0000:8a2e:0370:7334', '2001:db8:85a3::8a2e:370:7334', '2001:db8::1',
  '::1', 'fe80::1%eth0', 'fe80::a00:27ff:fe4e:66a1', '::ffff:192.0.2.128',
  '2a00:1450:4001:81c::200e', '2606:4700:4700::1111', '[2001:db8::2]:8080',
  '192.168.1.21:3000', '10.10.10.10/24', 'FE80::0202:B3FF:FE1E:8329', '64:ff9b::192.0.2.33',
];

/**
 * Published test numbers of Visa, Mastercard, Amex, Discover, Diners, JCB, UnionPay, Maestro
 * and Mir, with and without separators.
 */
// biome-ignore format: a data table, several samples to a line
const CARDS = [
  '4111 1111 1111 1111', '4012-8888-8888-1881', '4222222222222', '4242 4242 4242 4242',
  '4000 0566 5566 5556', '5555 5555 5555 4444', '5105-1051-0510-5100', '2223 0031 2200 3222',
  '5200828282828210', '3782 822463 10005', '3714-496353-98431', '378734493671000',
  '6011 1111 1111 1117', '6011-0009-9013-9424', '6445 6445 6445 6445', '3056 9309 0259 04',
  '3852 0000 0232 37', '36227206271667', '3530 1113 3330 0000', '3566-0020-2036-0505',
  '6200 0000 0000 0005', '6250941006528599', '6759 6498 2643 8453', '6799 9901 0000 0000 019',
  '5019 7170 1010 3742', '2200 0000 0000 0004', '4035 5010 0000 0008', '5425 2334 3010 9903',
  '4263 9826 4026 9299', '3742 454554 00126', '4571 0000 0000 0001',
];

// biome-ignore format: a data table, several samples to a line
const IBANS = [
  'DE89 3704 0044 0532 0130 00', 'GB29 NWBK 6016 1331 9268 19', 'FR14 2004 1010 0505 0001 3M02 606',
  'ES91 2100 0418 4502 0005 1332', 'IT60 X054 2811 1010 0000 0123 456', 'NL91ABNA0417164300',
  'BE68539007547034', 'CH93 0076 2011 6238 5295 7', 'AT611904300234573201',
  'PL61 1090 1014 0000 0712 1981 2874', 'SE45 5000 0000 0583 9825 7466', 'DK5000400440116243',
  'NO93 8601 1117 947', 'FI2112345600000785', 'PT50 0002 0123 1234 5678 9015 4',
  'IE29AIBK93115212345678', 'LU28 0019 4006 4475 0000', 'CZ6508000000192000145399',
  'HU42 1177 3016 1111 1018 0000 0000', 'RO49AAAA1B31007593840000', 'SA03 8000 0000 6080 1016 7519',
  'TR330006100519786457841326', 'GR16 0110 1250 0000 0001 2300 695',
  'MT84MALT011000012345MTLCAST001S',
  'BR1800360305000010009795493C1', 'de89370400440532013000',
];

// biome-ignore format: a data table, several samples to a line
const NATIONAL_IDS = [
  '123-45-6789', '078-05-1120', '219-09-9999', '457-55-5462', '536 22 1234', '772-12-3456',
  '001-01-0001', '899-01-2345', 'AB123456C', 'JG103759A', 'AB 12 34 56 C', 'CE 12 34 56 D',
  'NY123456B', 'ZA987654A', 'PW112233C',
];

const TOKENS = [
  jwt({ sub: '1234567890', name: 'Jane Doe', iat: 1516239022 }, 1),
  jwt({ sub: 'usr_42', tenant: 'acme', exp: 1893456000 }, 2, 'RS256'),
  jwt({ email: 'jane@example.com', roles: ['admin'] }, 3),
  jwt({ sub: 'anonymous' }, 4, 'none'),
  `Bearer ${fakeSecret(5, 40)}`,
  `Authorization: Bearer ${jwt({ sub: 'svc' }, 6)}`,
  `Basic ${Buffer.from('jane:hunter2').toString('base64')}`,
  `Authorization: Basic ${Buffer.from('api:Tally-2026!').toString('base64')}`,
  key('sk_', 'live_', fakeSecret(7, 24)),
  key('sk_', 'test_', fakeSecret(8, 24)),
  key('pk_', 'live_', fakeSecret(9, 24)),
  key('rk_', 'live_', fakeSecret(10, 24)),
  key('whsec_', fakeSecret(11, 32)),
  key('phc_', fakeSecret(12, 43)),
  key('phx_', fakeSecret(13, 43)),
  key('ghp_', fakeSecret(14, 36)),
  key('gho_', fakeSecret(15, 36)),
  key('github_', 'pat_', fakeSecret(16, 22), '_', fakeSecret(17, 59)),
  key('xoxb-', '123456789012-1234567890123-', fakeSecret(18, 24)),
  key('xoxp-', '123456789012-1234567890123-1234567890123-', fakeSecret(19, 32, '0123456789abcdef')),
  key('AKIA', fakeSecret(20, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')),
  key('AIza', fakeSecret(21, 35, `${BASE62}-_`)),
  key('glpat-', fakeSecret(22, 20, `${BASE62}-_`)),
  key('npm_', fakeSecret(23, 36)),
  key('SG.', fakeSecret(24, 22), '.', fakeSecret(25, 43)),
  key('sk-', 'proj-', fakeSecret(26, 48)),
  fakeSecret(27, 40),
  fakeSecret(28, 43, `${BASE62}-_`),
  fakeSecret(29, 44, `${BASE62}+/`),
  `api_key=${fakeSecret(30, 32)}`,
  `session ${fakeSecret(31, 32)} expired`,
];

const URLS: PiiSample[] = [
  ['https://app.acme-msp.com/tickets?searchQuery=john+smith', 'acme-msp', 'john', 'smith'],
  [
    'https://psa.contoso.com/clients/Contoso%20Ltd/contacts?email=jane%40contoso.com',
    'contoso',
    'jane',
  ],
  ['/tickets?searchQuery=printer+broken+in+room+12', 'printer', 'broken'],
  ['/search?q=Jane%20Doe%20overdue', 'Jane', 'overdue'],
  [`https://portal.example.org/reset-password?token=${fakeSecret(40, 32)}`, fakeSecret(40, 32)],
  ['https://user:hunter2@git.example.com/repo.git', 'hunter2', 'git.example'],
  ['http://192.168.1.20:8080/admin?session=abc123', '192.168', 'abc123'],
  ['https://app.example.com/#/tickets/123?assignee=bob.jones', 'bob.jones'],
  ['https://example.com/users/jane.doe@example.com/settings', 'jane.doe'],
  ['https://app.example.com/api/v1/tickets/TIC-20231?q=Smith%20invoice', 'TIC-20231', 'Smith'],
  [
    'https://app.example.com/invoices/INV2024-001/download?customer=Globex%20Corporation',
    'INV2024',
    'Globex',
  ],
  [
    `https://app.example.com/track;jsessionid=${fakeSecret(41, 32, '0123456789ABCDEF')}`,
    fakeSecret(41, 32, '0123456789ABCDEF'),
  ],
  [
    `wss://realtime.acme.io/socket?token=${fakeSecret(42, 40)}`,
    'realtime.acme',
    fakeSecret(42, 40),
  ],
  ['https://maps.example.com/search/221B+Baker+Street+London', 'Baker', 'London'],
  [
    `https://hooks.example.com/services/T0000AAAA/B0000BBBB/${fakeSecret(43, 24)}`,
    fakeSecret(43, 24),
    'T0000AAAA',
  ],
  [
    'postgres://tally:s3cretPassw0rd@db.internal.acme.io:5432/tally',
    's3cretPassw0rd',
    'db.internal',
  ],
  ['https://www.google.com/search?q=how+to+fire+john+smith', 'fire', 'john'],
  [
    `https://app.example.com/callback?code=${fakeSecret(44, 32)}&state=${fakeSecret(45, 16)}`,
    fakeSecret(44, 32),
  ],
  ['/api/v1/contacts?phone=%2B4915112345678&name=Max+Mustermann', '4915112345678', 'Mustermann'],
  ['https://crm.example.com/leads/export.csv?email=ceo%40globex.com', 'globex'],
  ['https://app.example.com/unsubscribe?e=amFuZUBleGFtcGxlLmNvbQ==', 'amFuZUBleGFtcGxlLmNvbQ'],
  ['HTTPS://APP.EXAMPLE.COM/Tickets?Q=JOHN', 'APP.EXAMPLE', 'JOHN'],
  ['https://acme.atlassian.net/browse/PSA-4821?focusedCommentId=99812', 'atlassian', 'PSA-4821'],
  ['ftp://backup:Backup2024!@files.acme-msp.com/exports/clients.zip', 'Backup2024', 'files.acme'],
  ['https://app.example.com/reports?from=2026-01-01&to=2026-01-31&client=Initech', 'Initech'],
  ['/tickets/new?title=Printer%20on%20fire%20in%20Sarah%27s%20office', 'Sarah', 'fire'],
].map(([text = '', ...secrets]) => ({ kind: 'url' as const, text, secrets }));

const of = (kind: PiiKind, texts: readonly string[]): PiiSample[] =>
  texts.map((text) => ({ kind, text }));

export const PII_SAMPLES: readonly PiiSample[] = [
  ...of('email', EMAILS),
  ...of('phone', PHONES),
  ...of('ip', IPS),
  ...of('card', CARDS),
  ...of('iban', IBANS),
  ...of('national_id', NATIONAL_IDS),
  ...of('token', TOKENS),
  ...URLS,
];

/** Values analytics needs verbatim: none of them is PII, and each has fooled a naive scanner. */
// biome-ignore format: a data table, several samples to a line
export const NEGATIVE_SAMPLES: readonly string[] = [
  '550e8400-e29b-41d4-a716-446655440000', 'F47AC10B-58CC-4372-A567-0E02B2C3D479', '1.42.0',
  'v2.3.4-beta.1', '2026-11-25', '2026-11-25T10:30:00Z', '2026-11-25T10:30:00.123+01:00',
  '2026-11-25 10:30:00', '25.11.2026', '/api/v1/tickets/:id', '/api/v2/time-entries/{entryId}',
  'in_progress', 'time_entry_manual', 'ticket_created', 'ValidationError', 'TypeError',
  'ERR_INVALID_ARG_TYPE', '42', '3.14', '-17', '1e6', '1500ms', '00:15:30', 'PT15M', 'GET',
  'POST', 'DELETE', '2xx', '5xx', '404', 'en-US', 'de_DE', 'EUR', 'USD', 'ok', 'n/a',
  'snake_case_identifiers_that_are_long_but_low_entropy',
  '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', '507f1f77bcf86cd799439011',
  'a1b2c3d4', '1732530000000', '1732530000', '1234567', 'Chrome/120.0.0.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 'application/json', 'text/html; charset=utf-8',
  'HTTP/1.1', '@tally/catalog', 'react@18.2.0', 'localhost:3000', 'getTicketsByClientId',
  'TimeEntryManualCreated2024Q3Export', '#ff6600', '1920x1080', '100%', 'Q3 2026',
  'Europe/Berlin', 'UTC+01:00', '$pageview', '$feature_flag_called', 'cjld2cjxh0000qzrmn831i7rn',
  '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'the Bearer token is missing', 'Basic plan',
  'ISBN 978-3-16-148410-0', 'sha256', 'HS256', 'true', 'null', 'std::vector', '1990-2024',
  '4111-1111-1111-1112',
];

/** The sample, and the pieces of it that would still identify someone if they survived. */
export function fragmentsOf(sample: PiiSample): string[] {
  const { kind, text } = sample;
  const out = [text, encodeURIComponent(text), ...(sample.secrets ?? [])];
  const digits = text.replace(/\D/g, '');
  switch (kind) {
    case 'email': {
      const decoded = decodeURIComponent(text).replace(/^.*?[\s<"]|^mailto:|[>"]$/g, '');
      const [local = '', domain = ''] = decoded.split('@');
      out.push(local, domain);
      break;
    }
    case 'phone':
    case 'card':
    case 'national_id':
      out.push(digits, ...(text.match(/\d{4,}/g) ?? []));
      break;
    case 'iban':
      out.push(text.replace(/ /g, ''), ...(text.match(/[A-Z0-9]{4,}/gi) ?? []).slice(1));
      break;
    case 'ip':
      out.push(text.replace(/^\[|\](:\d+)?$|:\d+$|\/\d+$/g, ''));
      break;
    case 'token':
      out.push(...(text.match(/[\w+/=-]{8,}/g) ?? []).filter((p) => !/^Authorization$/.test(p)));
      break;
    case 'url':
      break;
  }
  // the shortest identifying fragment we check: shorter ones (`x`, `::1`'s `1`) occur by chance
  return [...new Set(out)].filter((f) => f.length >= 3);
}
