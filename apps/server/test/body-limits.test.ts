import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES } from '../src/capture/paths.js';
import { listen, type Tally } from '../src/server.js';
import { allEvents, openTestTally, TOKEN } from './helpers.js';

// Body limits over a real socket, where a body either declares its length (read in one call)
// or arrives chunked without one (counted while it streams); in-process requests cover neither.

let tally: Tally;
let served: Awaited<ReturnType<typeof listen>>;
let url: string;

beforeAll(async () => {
  tally = await openTestTally();
  served = await listen(tally.app, 0, '127.0.0.1');
  url = served.url;
});
afterAll(async () => {
  served.server.close();
  await tally.close();
});

let next = 0;
function eventBody(padding = 0): string {
  next += 1;
  return JSON.stringify({
    api_key: TOKEN,
    event: 'feature_used',
    distinct_id: 'user-1',
    uuid: `0193a5c8-0000-7000-8000-${String(next).padStart(12, '0')}`,
    properties: {
      feature: 'ticket_creation',
      feature_category: 'ticketing',
      pad: 'x'.repeat(padding),
    },
  });
}

/** POSTs `body` to `/e/`, with Content-Length or chunked in pieces of 64 KiB. */
function send(body: string, framing: 'length' | 'chunked'): Promise<number> {
  const bytes = Buffer.from(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL('/e/', url),
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(framing === 'length' ? { 'content-length': bytes.length } : {}),
        },
      },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
      },
    );
    // The server may answer 413 and close before the whole body is sent.
    req.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
    );
    if (framing === 'chunked') req.setHeader('transfer-encoding', 'chunked');
    for (let i = 0; i < bytes.length; i += 65_536) req.write(bytes.subarray(i, i + 65_536));
    req.end();
  });
}

describe('capture body limits on a real socket', () => {
  it.each(['length', 'chunked'] as const)(
    'stores a body under the limit sent with %s',
    async (framing) => {
      const before = (await allEvents(fetch, url)).length;
      expect(await send(eventBody(1_000), framing)).toBe(200);
      expect(await allEvents(fetch, url)).toHaveLength(before + 1);
    },
  );

  it.each(['length', 'chunked'] as const)(
    'refuses a body over the limit sent with %s (413) and stores nothing',
    async (framing) => {
      const before = (await allEvents(fetch, url)).length;
      expect(await send(eventBody(DEFAULT_MAX_BODY_BYTES + 10), framing)).toBe(413);
      expect(await allEvents(fetch, url)).toHaveLength(before);
    },
  );
});
