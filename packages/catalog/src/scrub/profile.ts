/**
 * One pass over a string's characters that every scanner's prefilter reads, so the common clean
 * string (an enum value, a route template) costs one loop and no regular expression.
 * The counts are over-approximations the scanners may rely on: a scanner whose trigger characters
 * are absent cannot match.
 */
export interface Profile {
  readonly digits: number;
  readonly lower: number;
  readonly upper: number;
  readonly colons: number;
  /** Longest run of `[A-Za-z0-9_+/=-]`, the alphabet of base64(url) tokens. */
  readonly longestRun: number;
  readonly hasAt: boolean;
  readonly hasPercent: boolean;
  readonly hasDot: boolean;
  readonly hasSlash: boolean;
  readonly hasQuestion: boolean;
  readonly hasSpace: boolean;
  /** One of `_ - + = /` (a credential's symbols). */
  readonly hasRunSymbol: boolean;
  /** `:/`, as in `scheme://`. */
  readonly hasSchemeMark: boolean;
}

export function profileOf(text: string): Profile {
  let digits = 0;
  let lower = 0;
  let upper = 0;
  let colons = 0;
  let run = 0;
  let longestRun = 0;
  let hasAt = false;
  let hasPercent = false;
  let hasDot = false;
  let hasSlash = false;
  let hasQuestion = false;
  let hasSpace = false;
  let hasRunSymbol = false;
  let hasSchemeMark = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      run++;
      continue;
    }
    if (c >= 97 && c <= 122) {
      lower++;
      run++;
      continue;
    }
    if (c >= 65 && c <= 90) {
      upper++;
      run++;
      continue;
    }
    // _ - + = keep a token run going; / does too but is also recorded
    if (c === 95 || c === 45 || c === 43 || c === 61) {
      hasRunSymbol = true;
      run++;
      continue;
    }
    if (c === 47) {
      hasSlash = true;
      hasRunSymbol = true;
      run++;
      continue;
    }
    if (run > longestRun) longestRun = run;
    run = 0;
    if (c === 64) hasAt = true;
    else if (c === 37) hasPercent = true;
    else if (c === 46) hasDot = true;
    else if (c === 58) {
      colons++;
      if (text.charCodeAt(i + 1) === 47) hasSchemeMark = true;
    } else if (c === 63) hasQuestion = true;
    else if (c === 32 || c === 9 || c === 0xa0) hasSpace = true;
    else if (c > 127) lower++; // a non-ASCII letter may start an internationalised e-mail address
  }
  if (run > longestRun) longestRun = run;
  return {
    digits,
    lower,
    upper,
    colons,
    longestRun,
    hasAt,
    hasPercent,
    hasDot,
    hasSlash,
    hasQuestion,
    hasSpace,
    hasRunSymbol,
    hasSchemeMark,
  };
}

/** Whether a string can hold a URL the scrub rewrites: `scheme://...` or `/path?query`. */
export function mayHoldUrl(p: Profile): boolean {
  return p.hasSchemeMark || (p.hasSlash && p.hasQuestion);
}

/**
 * Whether any stage of the scrub can change the string: the union of every scanner's `applies`,
 * written out as one expression because it runs on every string (an `Array.some` over the
 * scanners' gates costs ten times more). `profile.test.ts` checks it against the gates.
 */
export function mayHoldPii(p: Profile): boolean {
  return (
    p.digits >= 6 ||
    p.hasAt ||
    p.hasPercent ||
    p.colons >= 2 ||
    (p.hasDot && p.digits >= 4) ||
    (p.longestRun >= 16 && (p.digits > 0 || p.upper > 0)) ||
    (p.hasSpace &&
      p.longestRun >= 8 &&
      (p.digits > 0 || p.upper > 1 || p.hasDot || p.hasRunSymbol)) ||
    (p.longestRun >= 24 && p.upper > 0 && p.lower > 0) ||
    mayHoldUrl(p)
  );
}
