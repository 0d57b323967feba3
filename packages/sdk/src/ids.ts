import { createHmac, randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

let lastMs = Number.NaN;
let lastPrefix = '';

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids sort by capture
 * time. Random bytes come from a pooled CSPRNG buffer: this is on capture()'s hot path. The
 * timestamp part (`tttttttt-tttt-7`) is formatted once per millisecond.
 */
export function uuidv7(nowMs: number): string {
  if (poolOffset + 10 > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const r = poolOffset;
  poolOffset += 10;
  const ms = Math.floor(nowMs);
  if (ms !== lastMs) {
    const high = Math.floor(ms / 0x10000);
    const low = ms & 0xffff;
    const t = high.toString(16).padStart(8, '0') + low.toString(16).padStart(4, '0');
    lastPrefix = `${t.slice(0, 8)}-${t.slice(8, 12)}-7`;
    lastMs = ms;
  }
  const b = pool;
  return (
    `${lastPrefix}${HEX[b[r] as number]?.[1]}${HEX[b[r + 1] as number]}-` +
    `${HEX[((b[r + 2] as number) & 0x3f) | 0x80]}${HEX[b[r + 3] as number]}-` +
    `${HEX[b[r + 4] as number]}${HEX[b[r + 5] as number]}${HEX[b[r + 6] as number]}` +
    `${HEX[b[r + 7] as number]}${HEX[b[r + 8] as number]}${HEX[b[r + 9] as number]}`
  );
}

const MAX_CACHED_IDS = 10_000;

/**
 * Keyed hash of an id: HMAC-SHA256 under the install secret, hex. Never a plain hash (anyone
 * holding the raw id could recompute it) and never keyed by the hostname. Results are cached:
 * the same few thousand user and tenant ids recur on every event.
 */
export function createIdHasher(secret: string): (id: string) => string {
  const cache = new Map<string, string>();
  return (id) => {
    const hit = cache.get(id);
    if (hit !== undefined) return hit;
    const hashed = createHmac('sha256', secret).update(id).digest('hex');
    if (cache.size >= MAX_CACHED_IDS) cache.clear();
    cache.set(id, hashed);
    return hashed;
  };
}
