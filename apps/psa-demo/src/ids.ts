import { randomBytes, randomUUID } from 'node:crypto';

/** Makes ids for new rows and secrets for tokens; injected so a simulator run is reproducible. */
export interface IdSource {
  id(): string;
  token(): string;
}

export const randomIds: IdSource = Object.freeze({
  id: () => randomUUID(),
  token: () => randomBytes(24).toString('base64url'),
});

/**
 * Deterministic ids: version-4-shaped UUIDs counting up from 1 (the namespace, 0-0xffffffff, is
 * their first group, so several apps can share one database), and tokens from a counter. For
 * tests and seeded simulations only: the tokens are guessable.
 *
 * @example
 * const app = createPsaApp({ db, now, ids: createSequentialIds() });
 */
export function createSequentialIds(namespace = 0): IdSource {
  if (!Number.isInteger(namespace) || namespace < 0 || namespace > 0xffffffff) {
    throw new RangeError('namespace must be an integer from 0 to 0xffffffff');
  }
  const ns = namespace.toString(16).padStart(8, '0');
  let ids = 0;
  let tokens = 0;
  return {
    id: () => {
      ids += 1;
      return `${ns}-0000-4000-8000-${ids.toString(16).padStart(12, '0')}`;
    },
    token: () => {
      tokens += 1;
      return `tok_${ns}_${tokens.toString(36).padStart(8, '0')}`;
    },
  };
}
