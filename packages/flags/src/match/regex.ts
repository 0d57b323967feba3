import { Inconclusive } from './inconclusive.js';

// PostHog's flags service matches with Rust's `regex` crate. Locally we only answer for the
// ASCII subset both engines read alike (the same subset posthog-node accepts); anything else is
// inconclusive and marked regex-uncertain so the caller defers to the server.

// Escaped space and ASCII punctuation are literals in both engines (Rust's \< and \> are not).
const LITERAL_ESCAPE = /[\x20-\x2f:;=?@\x5b-\x60\x7b-\x7e]/;
const CLASS_ESCAPES = 'dDsSwWbBfnrtv';
const REPETITION = /^\{(\d+)(?:,(\d*))?\}/;
const MAX_REPETITION = 0xffffffff;

/** The pattern's character classes, or null when the pattern leaves the portable subset. */
function portableClasses(pattern: string): string[] | null {
  const classes: string[] = [];
  let classStart = -1;
  let previous = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charAt(i);
    if (ch.charCodeAt(0) > 0x7f) return null;
    if (ch === '\\') {
      i++;
      const escaped = pattern.charAt(i);
      if (escaped === '') break;
      if (escaped === 'x') {
        if (!/^[\da-f]{2}$/i.test(pattern.slice(i + 1, i + 3))) return null;
        i += 2;
      } else if (!CLASS_ESCAPES.includes(escaped) && !LITERAL_ESCAPE.test(escaped)) {
        return null;
      }
      // Word boundaries can exhaust the service's backtracking budget even on short values.
      if (classStart === -1 && (escaped === 'b' || escaped === 'B')) return null;
      previous = 'literal';
      continue;
    }
    if (ch === '[') {
      if (classStart !== -1) return null;
      classStart = i;
    } else if (ch === ']' && classStart !== -1) {
      const contentStart = classStart + (pattern.charAt(classStart + 1) === '^' ? 2 : 1);
      if (i === contentStart) return null;
      classes.push(pattern.slice(classStart, i + 1));
      classStart = -1;
      previous = 'literal';
      continue;
    } else if (classStart !== -1) {
      const pair = pattern.slice(i, i + 2);
      if (pair === '&&' || pair === '--' || pair === '~~') return null;
      continue;
    } else if (ch === '(' && pattern.charAt(i + 1) === '?') {
      // Only non-capturing groups; lookarounds and named groups differ between engines.
      if (pattern.charAt(i + 2) !== ':') return null;
      i += 2;
    } else if (ch === '{') {
      const repetition = REPETITION.exec(pattern.slice(i));
      if (
        repetition === null ||
        previous === '' ||
        previous === '|' ||
        previous === '(' ||
        repetition.slice(1).some((count) => Number(count) > MAX_REPETITION)
      ) {
        return null;
      }
    } else if ('*+?}'.includes(ch) && '+{'.includes(pattern.charAt(i + 1) || 'x')) {
      // Possessive and stacked quantifiers.
      return null;
    }
    if (
      '*+?{'.includes(ch) &&
      (previous === '^' || previous === '$' || previous === 'empty group')
    ) {
      return null;
    }
    previous = ch === ')' && (previous === '(' || previous === 'empty group') ? 'empty group' : ch;
  }
  return classes;
}

function uncertain(message: string): Inconclusive {
  return new Inconclusive(message, 'unsupported_definition', false, true);
}

/** True/false when both engines agree; null when the pattern does not compile (no match). */
export function matchRegex(pattern: string, value: string): boolean | null {
  if (pattern === '') return true;
  const classes = portableClasses(pattern);
  if (classes === null) throw uncertain('Regex syntax needs the server');
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw uncertain('Regex compilation needs the server');
  }
  for (const characterClass of classes) {
    try {
      // Unicode mode rejects legacy ranges such as [\s-9], which Rust rejects too.
      new RegExp(characterClass, 'u');
    } catch {
      throw uncertain('Regex character class needs the server');
    }
  }
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit > 0x7f || unit === 0x0d) throw uncertain('Regex on non-ASCII text needs the server');
  }
  try {
    return regex.test(value);
  } catch {
    throw uncertain('Regex execution needs the server');
  }
}
