/**
 * The payload stored under `String(value)` ('true' or the variant key), JSON-parsed with the raw
 * string as fallback. False, and empty payloads, have none (PostHog SDKs' rule).
 */
export function resolvePayload(
  payloads: Readonly<Record<string, unknown>> | undefined,
  value: boolean | string,
): unknown {
  if (value === false || payloads === undefined) return null;
  const stored = payloads[String(value)];
  if (!stored) return null;
  if (typeof stored !== 'string') return stored;
  try {
    return JSON.parse(stored);
  } catch {
    return stored;
  }
}
