import { normalizeDistinctId } from '../capture/distinct-id.js';
import { CaptureError } from '../capture/errors.js';
import { extractPayloadText, type PayloadLimits } from '../capture/payload.js';
import { parseCaptureQuery } from '../capture/query.js';
import { validateToken } from '../capture/token.js';

// A flag request (`/flags`, `/decide`) as posthog-wire-protocol.md §2.1 describes it, decoded
// like a capture body (JSON, gzip, base64, `data=` forms) and checked field by field. Errors are
// CaptureErrors: 400 or 401 with a plain-text message naming the field, as PostHog answers.

export interface FlagRequest {
  readonly token: string;
  readonly distinctId: string;
  /** `{groupType: key}` */
  readonly groups: Readonly<Record<string, string>>;
  readonly personProperties: Readonly<Record<string, unknown>>;
  /** `{groupType: {property: value}}` */
  readonly groupProperties: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Evaluate only these keys; undefined: every flag. */
  readonly flagKeys: readonly string[] | undefined;
}

export interface RawFlagRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
  readonly body: Uint8Array;
}

export async function decodeFlagRequest(
  raw: RawFlagRequest,
  limits: PayloadLimits,
): Promise<FlagRequest> {
  const { text } = await extractPayloadText(raw, parseCaptureQuery(raw.query), limits);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    throw new CaptureError('bad_json', { reason: 'not_json', cause });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new CaptureError('bad_json', { reason: 'not_an_object' });
  const fields = body as Record<string, unknown>;
  const token = fields.token ?? fields.api_key ?? fields.$token ?? raw.query.get('token');
  if (typeof token !== 'string' || token.trim() === '') throw new CaptureError('missing_token');
  const distinctId = normalizeDistinctId(fields.distinct_id ?? fields.$distinct_id);
  if (distinctId === undefined) throw new CaptureError('flags_missing_distinct_id');
  const keys = fields.flag_keys_to_evaluate ?? fields.flag_keys;
  return {
    token: validateToken({ token, field: 'token' }),
    distinctId,
    groups: stringMap(fields.groups, 'groups'),
    personProperties: objectOf(fields.person_properties ?? fields.$properties, 'person_properties'),
    groupProperties: Object.fromEntries(
      Object.entries(objectOf(fields.group_properties, 'group_properties')).map(([type, props]) => [
        type,
        objectOf(props, `group_properties.${type}`),
      ]),
    ),
    flagKeys: keys === undefined || keys === null ? undefined : stringList(keys, 'flag_keys'),
  };
}

function objectOf(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new CaptureError('invalid_field', { field });
  return value as Record<string, unknown>;
}

/** Group keys may arrive as numbers; anything else is refused. */
function stringMap(value: unknown, field: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(objectOf(value, field)).map(([type, key]) => {
      if (typeof key === 'number' && Number.isFinite(key)) return [type, String(key)];
      if (typeof key !== 'string')
        throw new CaptureError('invalid_field', { field: `${field}.${type}` });
      return [type, key];
    }),
  );
}

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((key) => typeof key === 'string'))
    throw new CaptureError('invalid_field', { field });
  return value;
}
