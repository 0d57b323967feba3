import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SdkError } from './errors.js';
import { MIN_SECRET_LENGTH } from './options.js';

export const SECRET_FILE = 'install-secret';

/**
 * The per-install key for id hashing: the `secret` option, else a random key created once in
 * `dataDir` (readable only by its owner), else — hosted only — a key for this process alone.
 */
export function resolveSecret(options: {
  secret?: string | undefined;
  dataDir?: string | undefined;
  deployment: string;
}): { secret: string; isEphemeral: boolean } {
  if (options.secret !== undefined) return { secret: options.secret, isEphemeral: false };
  if (options.dataDir !== undefined) {
    const path = join(options.dataDir, SECRET_FILE);
    try {
      const existing = readFileSync(path, 'utf8').trim();
      if (existing.length >= MIN_SECRET_LENGTH) return { secret: existing, isEphemeral: false };
    } catch {
      // Not created yet.
    }
    const secret = randomBytes(32).toString('base64url');
    try {
      mkdirSync(options.dataDir, { recursive: true });
      writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
      return { secret, isEphemeral: false };
    } catch (error) {
      // Another process may have created it first: read theirs.
      const existing = safeRead(path);
      if (existing !== undefined) return { secret: existing, isEphemeral: false };
      throw new SdkError('invalid_option', 'dataDir: cannot create the install secret', {
        cause: error,
      });
    }
  }
  if (options.deployment === 'on-premise') {
    throw new SdkError(
      'invalid_option',
      'secret: on-premise needs a secret or a dataDir to keep one in',
    );
  }
  return { secret: randomBytes(32).toString('base64url'), isEphemeral: true };
}

function safeRead(path: string): string | undefined {
  try {
    const value = readFileSync(path, 'utf8').trim();
    return value.length >= MIN_SECRET_LENGTH ? value : undefined;
  } catch {
    return undefined;
  }
}
