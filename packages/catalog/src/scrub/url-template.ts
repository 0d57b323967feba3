import { type PiiKind, placeholderOf } from './kinds.js';
import { percentDecode } from './percent-decode.js';
import { scanText } from './scanners.js';

export interface UrlTemplate {
  readonly path: string;
  /** `url` when a host, userinfo, query, fragment or matrix parameter was removed, plus every
   * kind found in the removed parts or in replaced segments. */
  readonly found: readonly PiiKind[];
}

const SCHEME_AND_AUTHORITY = /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#]*/i;
/** Route parameters of Express (`:id`, `:id?`), OpenAPI (`{id}`), Next.js (`[id]`, `[...slug]`). */
const PLACEHOLDER =
  /^(?::[A-Za-z_]\w*\??|\{[A-Za-z_]\w*\}|\[{1,2}(?:\.\.\.)?[A-Za-z_]\w*\]{1,2}|\*{1,2}|\.{1,2})$/;
const NUMBER = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Hex ids (Mongo ObjectId, hashes, short git shas): 8+ hex characters with at least one digit. */
const HEX_ID = /^(?=[a-f]*\d)[0-9a-f]{8,}$/i;
/**
 * A route word: lower case or camelCase letters with at most one trailing digit (`oauth2`,
 * `ipv4`), a version (`v1`, `v10`) or digit-led unit (`2fa`). Up to four of them joined by `-`
 * or `_` (`time-entries`); longer slugs are usually generated from titles and may hold names.
 */
const PIECE = '(?:v\\d{1,3}|\\d[a-z]{2,}|[a-z]+(?:[A-Z][a-z]+)*\\d?)';
const ROUTE_WORD = new RegExp(`^\\.?${PIECE}(?:[-_]${PIECE}){0,3}$`);
const MAX_ROUTE_WORD_LENGTH = 48;
const FILE_EXTENSION =
  /\.(?:html?|m?js|cjs|css|json|xml|txt|ico|png|jpe?g|gif|svg|webp|pdf|csv|map|woff2?|md|zip)$/i;

function note(found: PiiKind[], kind: PiiKind): void {
  if (!found.includes(kind)) found.push(kind);
}

/** Removed parts are scanned only to report what they held. */
function noteRemoved(found: PiiKind[], removed: string): void {
  note(found, 'url');
  for (const kind of scanText(percentDecode(removed)).found) note(found, kind);
}

/**
 * One decoded path segment -> itself or a placeholder. Existing placeholders stay (also before
 * an extension: `:id.json`). Then, in order: e-mail and token (the most
 * sensitive); a number is `:id` even if it passes a card or phone check, so route templates stay
 * stable; then any other scanner kind (an upper-case IBAN is also hex, so this comes before the
 * hex-id rule), UUIDs and hex ids, route words; anything else (a name, a ticket number like
 * `TIC-1234`, free text) becomes `:id`.
 */
function templateName(name: string, found: PiiKind[]): string {
  if (PLACEHOLDER.test(name)) return name;
  const scan = scanText(name);
  for (const kind of ['email', 'token'] as const) {
    if (scan.found.includes(kind)) {
      note(found, kind);
      return placeholderOf(kind);
    }
  }
  if (NUMBER.test(name)) return ':id';
  const [kind] = scan.found;
  if (kind !== undefined) {
    note(found, kind);
    return placeholderOf(kind);
  }
  if (UUID.test(name) || HEX_ID.test(name)) return ':id';
  return name.length <= MAX_ROUTE_WORD_LENGTH && ROUTE_WORD.test(name) ? name : ':id';
}

function templateSegment(segment: string, found: PiiKind[]): string {
  if (segment === '') return '';
  let raw = segment;
  const semicolon = segment.indexOf(';');
  if (semicolon >= 0) {
    // matrix parameters, e.g. `;jsessionid=...`
    noteRemoved(found, segment.slice(semicolon + 1));
    raw = segment.slice(0, semicolon);
  }
  const name = percentDecode(raw);
  const extension = FILE_EXTENSION.exec(name);
  if (extension !== null && extension.index > 0) {
    return templateName(name.slice(0, extension.index), found) + extension[0].toLowerCase();
  }
  return templateName(name, found);
}

/** {@link templatePath} with the kinds it removed or replaced. */
export function templateUrl(urlOrPath: string): UrlTemplate {
  const found: PiiKind[] = [];
  let rest = urlOrPath;
  const authority = SCHEME_AND_AUTHORITY.exec(rest);
  if (authority !== null) {
    noteRemoved(found, authority[0]);
    rest = rest.slice(authority[0].length);
  }
  const cut = rest.search(/[?#]/);
  if (cut >= 0) {
    noteRemoved(found, rest.slice(cut));
    rest = rest.slice(0, cut);
  }
  const path = rest
    .split('/')
    .map((segment) => templateSegment(segment, found))
    .join('/');
  return { path: authority !== null && path === '' ? '/' : path, found };
}

/**
 * A URL or path as a route template: scheme, userinfo, host, port, query, fragment and matrix
 * parameters removed; numbers, UUIDs, hex ids and other non-word segments become `:id`, e-mail
 * addresses `:email`, tokens `:token`, other PII `:phone`, `:ip`, `:card`, `:iban` or
 * `:national_id`. Route words and existing placeholders stay.
 *
 * @example
 * templatePath('https://acme.example.com/api/v1/tickets/TIC-1234?q=printer')
 * // '/api/v1/tickets/:id'
 */
export function templatePath(urlOrPath: string): string {
  return templateUrl(urlOrPath).path;
}

/** Any `scheme://`: http(s), ws(s), ftp, and connection strings (`postgres://user:pw@host`). */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s<>"`]+/gi;
/** A path with a query string, alone or after whitespace, a quote, `(`, `[`, `=` or `,`. */
const PATH_WITH_QUERY = /(?<![^\s(["'=,])\/[^\s?#"<>]*\?[^\s"<>]*/g;
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}]+$/;

export interface UrlReplacement {
  readonly text: string;
  readonly found: PiiKind[];
  readonly count: number;
}

/**
 * Replaces each URL in free text (`scheme://...`, or a `/path?query`) by its template.
 * Punctuation that ends a sentence is not part of the URL; an apostrophe inside one is
 * (`/people/o'brien%40example.ie`).
 */
export function replaceUrls(text: string): UrlReplacement {
  const found: PiiKind[] = [];
  let count = 0;
  const replace = (match: string): string => {
    const url = match.replace(TRAILING_PUNCTUATION, '');
    const template = templateUrl(url);
    if (template.path === url) return match; // `/tickets/new?` lost only its sentence's `?`
    count++;
    note(found, 'url');
    for (const kind of template.found) note(found, kind);
    return template.path + match.slice(url.length);
  };
  const out = text.replace(URL_IN_TEXT, replace).replace(PATH_WITH_QUERY, replace);
  return { text: out, found, count };
}
