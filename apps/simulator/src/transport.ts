// The SDK stamps each batch with `sent_at` from its `now` hook, which here is the simulated
// clock. Tally re-anchors timestamps to its own clock (now + timestamp - sent_at, PostHog wire
// protocol §1.5), which would move 90 simulated days to today. The batch really is sent now, by
// the wall clock, so its `sent_at` is dropped: without it the collector takes each event's
// timestamp as given. (An SDK option for a separate transport clock would make this unnecessary.)

const SENT_AT = /,"sent_at":"[^"]*"\}$/;

/** Wraps fetch so an uncompressed /batch/ body goes out without its `sent_at`. */
export function stripSentAt(fetchFn: typeof fetch): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const body = init?.body;
    if (body === undefined || body === null) return fetchFn(input, init);
    const text =
      typeof body === 'string'
        ? body
        : body instanceof Uint8Array
          ? Buffer.from(body).toString('utf8')
          : undefined;
    if (text === undefined || !SENT_AT.test(text)) return fetchFn(input, init);
    return fetchFn(input, { ...init, body: text.replace(SENT_AT, '}') });
  }) as typeof fetch;
}
