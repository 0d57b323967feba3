/**
 * Why a flag could not be decided from the definitions and the supplied context (posthog-node's
 * names): the definition itself (`experience_continuity`, `unsupported_definition`), a flag it
 * depends on (`unresolved_dependency`), or the call's context (`missing_context`).
 */
export type UnresolvedReason =
  | 'experience_continuity'
  | 'unsupported_definition'
  | 'unresolved_dependency'
  | 'missing_context';

// When several causes apply, the first in this order is reported (posthog-node's precedence).
const PRECEDENCE: readonly UnresolvedReason[] = [
  'experience_continuity',
  'unsupported_definition',
  'unresolved_dependency',
  'missing_context',
];

export function pickReason(
  current: UnresolvedReason | undefined,
  next: UnresolvedReason,
): UnresolvedReason {
  if (current === undefined) return next;
  return PRECEDENCE.indexOf(next) < PRECEDENCE.indexOf(current) ? next : current;
}

/**
 * Thrown inside evaluation when a filter cannot be decided locally. `serverOnly` marks data only
 * the server has (a static cohort, an unsupported cohort group): it stops the flag at once,
 * where an ordinary inconclusive filter lets later conditions still decide. `regexUncertain`
 * marks a regex whose semantics may differ from the server's (PostHog's service uses Rust
 * regexes), which also blocks a later condition from choosing a different value.
 */
export class Inconclusive extends Error {
  constructor(
    message: string,
    readonly reason: UnresolvedReason = 'unsupported_definition',
    readonly serverOnly = false,
    readonly regexUncertain = false,
  ) {
    super(message);
    this.name = 'Inconclusive';
  }

  withReason(reason: UnresolvedReason): Inconclusive {
    return new Inconclusive(this.message, reason, this.serverOnly, this.regexUncertain);
  }
}

/** Values read from the call's context turn a failure into `missing_context`. */
export function fromContext<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof Inconclusive) throw error.withReason('missing_context');
    throw error;
  }
}
