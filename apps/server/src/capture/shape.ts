import { CaptureError } from './errors.js';
import { isRecord, own } from './event.js';
import { isEngagePath } from './paths.js';
import type { TokenCandidate } from './token.js';

/** One wire event still unchecked, with where it sits in the document. */
export interface RawEventSlot {
  raw: unknown;
  /** Field path prefix: `batch[3]`, or `''` for a single event or engage object. */
  prefix: string;
  /** `$identify` for an `/engage` object without `event`. */
  nameWhenMissing?: string;
}

/** A parsed capture document, whatever its shape. */
export interface CaptureDocument {
  kind: 'array' | 'batch' | 'single' | 'engage';
  events: RawEventSlot[];
  /** The batch envelope's `api_key`/`token`: authoritative when present. */
  envelopeToken: TokenCandidate | undefined;
  /** The batch envelope's `sent_at`, as sent. */
  sentAt: string | undefined;
  isHistorical: boolean;
}

/**
 * Stage 7: parses the JSON text into one of the capture shapes, tried in the Rust service's
 * "untagged" order (posthog-wire-protocol.md §1.2):
 * 1. an array of events (old posthog-js);
 * 2. a batch object `{api_key|token, batch, historical_migration?, sent_at?}` (posthog-node,
 *    current posthog-js);
 * 3. a single event object, recognised by its `event`;
 * 4. an engage object without `event`: `$identify` on `/engage`, refused elsewhere.
 *
 * Unlike serde's untagged matching, an object with a `batch` key is always a batch, so a wrongly
 * typed envelope field gets an error naming it instead of a confusing "missing event name".
 * An envelope without a token falls back to the events' tokens.
 */
export function parseCaptureDocument(text: string, path: string): CaptureDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CaptureError('bad_json', { reason: 'not_json', cause });
  }

  if (Array.isArray(json)) {
    return {
      kind: 'array',
      events: json.map((raw, index) => ({ raw, prefix: `batch[${index}]` })),
      envelopeToken: undefined,
      sentAt: undefined,
      isHistorical: false,
    };
  }
  if (!isRecord(json)) throw new CaptureError('bad_json', { reason: 'unknown_shape' });

  if (Object.hasOwn(json, 'batch')) return parseBatch(json);

  const name = own(json, 'event');
  if (name !== undefined && name !== null) {
    return single('single', { raw: json, prefix: '' });
  }
  if (!isEngagePath(path)) throw new CaptureError('engage_only', { field: 'event' });
  return single('engage', { raw: json, prefix: '', nameWhenMissing: '$identify' });
}

function parseBatch(json: Record<string, unknown>): CaptureDocument {
  const batch = own(json, 'batch');
  if (!Array.isArray(batch)) {
    throw new CaptureError('bad_json', { reason: 'wrong_type', field: 'batch' });
  }

  let envelopeToken: TokenCandidate | undefined;
  for (const key of ['api_key', 'token']) {
    const value = own(json, key);
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      throw new CaptureError('invalid_token', { reason: 'wrong_type', field: key });
    }
    envelopeToken = { token: value, field: key };
    break;
  }

  const historical = own(json, 'historical_migration');
  if (historical !== undefined && historical !== null && typeof historical !== 'boolean') {
    throw new CaptureError('bad_json', { reason: 'wrong_type', field: 'historical_migration' });
  }

  const sentAt = own(json, 'sent_at');
  if (sentAt !== undefined && sentAt !== null && typeof sentAt !== 'string') {
    throw new CaptureError('invalid_timestamp', { field: 'sent_at' });
  }

  return {
    kind: 'batch',
    events: batch.map((raw, index) => ({ raw, prefix: `batch[${index}]` })),
    envelopeToken,
    sentAt: typeof sentAt === 'string' ? sentAt : undefined,
    isHistorical: historical === true,
  };
}

function single(kind: 'single' | 'engage', slot: RawEventSlot): CaptureDocument {
  return { kind, events: [slot], envelopeToken: undefined, sentAt: undefined, isHistorical: false };
}
