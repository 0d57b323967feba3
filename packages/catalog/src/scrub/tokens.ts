import { shannonEntropy } from './checksums.js';
import { regexFinder, type Scanner, type Span } from './scanner.js';

/**
 * Credentials with a recognisable shape: JWTs (`eyJ` header, three base64url parts; the signature
 * may be empty for `alg: none`) and vendor keys by prefix (Stripe, PostHog, GitHub, Slack, AWS,
 * Google, GitLab, npm, SendGrid, OpenAI). Where a prefix could start a word (`xoxo-`, `sk-`),
 * the pattern also needs what the real keys always have: Slack's numeric ids, OpenAI's mixed case
 * and digits.
 */
const KNOWN_TOKEN = new RegExp(
  `(?<![\\w-])(?:${[
    'eyJ[\\w-]{5,}\\.[\\w-]{5,}\\.[\\w-]*',
    '(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}',
    'whsec_[A-Za-z0-9]{20,}',
    'ph[cx]_[A-Za-z0-9]{20,}',
    'gh[pousr]_[A-Za-z0-9]{30,}',
    'github_pat_\\w{40,}',
    'xox[abposre]-\\d+-[A-Za-z0-9-]{8,}',
    'xapp-\\d+-[A-Za-z0-9-]{8,}',
    '(?:AKIA|ASIA)[0-9A-Z]{16}',
    'AIza[\\w-]{35}',
    'glpat-[\\w-]{20,}',
    'npm_[A-Za-z0-9]{36}',
    'SG\\.[\\w-]{16,}\\.[\\w-]{16,}',
    'sk-(?:proj-|ant-)?(?=[\\w-]*[A-Z])(?=[\\w-]*\\d)[\\w-]{20,}', // not `sk-learn-...`
  ].join('|')})(?![\\w-])`,
  'g',
);

/** The credential after an HTTP `Bearer` scheme (RFC 6750 b64token). */
const BEARER = /(?<=\bbearer +)[\w.~+/-]{8,}=*/gi;
/** The credential after an HTTP `Basic` scheme (RFC 7617): base64 of `user:password`. */
const BASIC = /(?<=\bbasic +)[A-Za-z0-9+/]{8,}={0,2}(?![\w+/=])/gi;
/**
 * A run of the base64(url) alphabet, the raw material of a generic secret. `=` only as trailing
 * padding: inside a run it is an assignment (`api_key=...`), and the value is the secret.
 */
const TOKEN_RUN = /(?<![\w+/-])[\w+/-]{24,}={0,2}/g;

/** "Bearer token is missing" must not lose the word `token`: a credential has a digit or symbol. */
function isBearerCredential(credential: string): boolean {
  return (
    /[\d.~+/=_-]/.test(credential) ||
    (/[A-Z]/.test(credential.slice(1)) && /[a-z]/.test(credential))
  );
}

/** `Basic plan` is not a credential: only base64 that decodes to printable `user:password` is. */
function isBasicCredential(credential: string): boolean {
  try {
    const decoded = atob(credential);
    return /^[\x20-\x7e]+$/.test(decoded) && decoded.includes(':');
  } catch {
    return false;
  }
}

const HEX_PIECE = /^(?:[0-9a-f]+|[0-9A-F]+)$/;
const LOWER_WORD = /[a-z]{3,}/g;

/**
 * Whether a base64(url)-alphabet run is a random secret rather than an identifier. All of:
 * - 24 or more characters with both lower and upper case. Single-case runs are ids by rule:
 *   UUIDs, lower-case hex (an on-premise HMAC-SHA256 id is 64 lower-case hex characters), cuid
 *   (lower-case base36), ULID (upper-case base32), `snake_case` and `CONSTANT_CASE` names.
 * - Shannon entropy >= 3.5 bits per character (rules out padding like `aaaaAAAA1111...`).
 * - Less than 45% of the letters and digits in lower-case runs of three or more: identifiers are
 *   made of words (`getTicketsByClientId2024` ~63%), random base62 has a median of ~13%.
 * - The class (lower/upper/digit) changes between >= 30% of adjacent characters (random ~62%).
 * Pieces between `_ + / = -` that are plain hex (UUID parts) are left out of both ratios.
 * Measured on random base62/base64url strings: ~3% of 24-character, ~1% of 32-character and
 * ~0.6% of 40-character secrets are missed.
 */
export function isRandomToken(run: string): boolean {
  if (run.length < 24 || !/[a-z]/.test(run) || !/[A-Z]/.test(run)) return false;
  if (shannonEntropy(run) < 3.5) return false;
  let chars = 0;
  let wordChars = 0;
  let pairs = 0;
  let changes = 0;
  for (const piece of run.split(/[_+/=-]/)) {
    if (HEX_PIECE.test(piece)) continue;
    chars += piece.length;
    for (const word of piece.matchAll(LOWER_WORD)) wordChars += word[0].length;
    for (let i = 1; i < piece.length; i++) {
      pairs++;
      if (classOf(piece.charCodeAt(i)) !== classOf(piece.charCodeAt(i - 1))) changes++;
    }
  }
  return chars >= 16 && wordChars / chars < 0.45 && changes / pairs >= 0.3;
}

function classOf(c: number): number {
  if (c <= 57) return 0; // digit
  return c <= 90 ? 1 : 2; // upper : lower
}

export const knownTokenScanner: Scanner = {
  kind: 'token',
  // every known shape is 16+ characters of the run alphabet, and its random part has a digit or
  // an upper-case letter (`AKIA`, `AIza`, `SG.`, a JWT's `eyJ`); `time_entry_submitted` has neither
  applies: (p) => p.longestRun >= 16 && (p.digits > 0 || p.upper > 0),
  find: regexFinder(KNOWN_TOKEN),
};

const findBearer = regexFinder(BEARER, (c) => (isBearerCredential(c) ? c.length : 0));
const findBasic = regexFinder(BASIC, (c) => (isBasicCredential(c) ? c.length : 0));

/** `Authorization` header values: only the credential is replaced, `Bearer [token]` stays. */
export const authHeaderScanner: Scanner = {
  kind: 'token',
  // a credential has a digit, a symbol or inner upper case (see isBearerCredential)
  applies: (p) =>
    p.hasSpace && p.longestRun >= 8 && (p.digits > 0 || p.upper > 1 || p.hasDot || p.hasRunSymbol),
  find: (text) => {
    const bearer = findBearer(text);
    const basic = findBasic(text);
    if (basic.length === 0) return bearer;
    if (bearer.length === 0) return basic;
    return [...bearer, ...basic].sort((a, b) => a.start - b.start);
  },
};

/**
 * Random runs, whole; in a run that is not random as a whole (`/api/keys/<secret>`, where the
 * route words dilute the ratios), each `/`-separated part of 24+ characters on its own.
 */
function findRandomTokens(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(TOKEN_RUN)) {
    const run = m[0];
    if (isRandomToken(run)) {
      spans.push({ start: m.index, end: m.index + run.length });
      continue;
    }
    let at = m.index;
    for (const part of run.split('/')) {
      if (part.length >= 24 && isRandomToken(part))
        spans.push({ start: at, end: at + part.length });
      at += part.length + 1;
    }
  }
  return spans;
}

export const genericTokenScanner: Scanner = {
  kind: 'token',
  applies: (p) => p.longestRun >= 24 && p.upper > 0 && p.lower > 0,
  find: findRandomTokens,
};
