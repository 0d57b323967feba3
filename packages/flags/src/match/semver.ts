import { Inconclusive } from './inconclusive.js';

export type Semver = [major: number, minor: number, patch: number];

export interface SemverBounds {
  lower: Semver;
  /** Exclusive. */
  upper: Semver;
}

// Strict numeric identifiers: digits only, no leading zero (posthog-node's default policy).
function parseIdentifier(part: string): number {
  if (!/^\d+$/.test(part) || (part.length > 1 && part.startsWith('0'))) {
    throw new Inconclusive('Invalid semver');
  }
  return Number.parseInt(part, 10);
}

/**
 * `major.minor.patch` with a leading `v`/`V`, pre-release and build suffixes dropped, missing or
 * empty parts read as 0 and parts beyond the third ignored (as posthog-node parses).
 */
export function parseSemver(value: string): Semver {
  const text = value.trim().replace(/^[vV]/, '');
  const base = (text.split('-')[0] ?? '').split('+')[0] ?? '';
  if (base === '' || base.startsWith('.')) throw new Inconclusive('Invalid semver');
  const parts = base.split('.');
  const part = (raw: string | undefined): number =>
    raw === undefined || raw === '' ? 0 : parseIdentifier(raw);
  return [part(parts[0]), part(parts[1]), part(parts[2])];
}

export function compareSemver(a: Semver, b: Semver): number {
  for (let i = 0; i < 3; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff < 0 ? -1 : 1;
  }
  return 0;
}

/** `~1.2.3` = [1.2.3, 1.3.0). */
export function tildeBounds(value: string): SemverBounds {
  const [major, minor, patch] = parseSemver(value);
  return { lower: [major, minor, patch], upper: [major, minor + 1, 0] };
}

/** `^1.2.3` = [1.2.3, 2.0.0); `^0.2.3` = [0.2.3, 0.3.0); `^0.0.3` = [0.0.3, 0.0.4). */
export function caretBounds(value: string): SemverBounds {
  const [major, minor, patch] = parseSemver(value);
  const upper: Semver =
    major > 0 ? [major + 1, 0, 0] : minor > 0 ? [0, minor + 1, 0] : [0, 0, patch + 1];
  return { lower: [major, minor, patch], upper };
}

/** `1.*` = [1.0.0, 2.0.0); `1.2.*` = [1.2.0, 1.3.0); parts after the second are ignored. */
export function wildcardBounds(value: string): SemverBounds {
  const text = value.trim().replace(/^[vV]/, '');
  const cleaned = text.replace(/\.\*$/, '').replace(/\*$/, '');
  if (cleaned === '') throw new Inconclusive('Invalid wildcard semver');
  const parts = cleaned.split('.');
  const part = (raw: string): number => {
    try {
      return parseIdentifier(raw);
    } catch {
      throw new Inconclusive('Invalid wildcard semver');
    }
  };
  const major = part(parts[0] ?? '');
  if (parts.length === 1) return { lower: [major, 0, 0], upper: [major + 1, 0, 0] };
  const minor = part(parts[1] ?? '');
  return { lower: [major, minor, 0], upper: [major, minor + 1, 0] };
}

export function isWithin(version: Semver, bounds: SemverBounds): boolean {
  return compareSemver(version, bounds.lower) >= 0 && compareSemver(version, bounds.upper) < 0;
}
