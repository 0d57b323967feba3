import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { psaCatalog } from '@tally/catalog';
import type { AnalyticsOptions, WireEvent } from '@tally/sdk';

export const TOKEN = 'phc_test_token_1234';
export const HOST = 'http://collector.test';

/** A fetch that answers 200 and keeps every `/batch/` body it received, decoded. */
export function recordingFetch(): {
  fetch: typeof globalThis.fetch;
  batches: Array<{ api_key: string; batch: WireEvent[]; sent_at: string }>;
  events: () => WireEvent[];
} {
  const batches: Array<{ api_key: string; batch: WireEvent[]; sent_at: string }> = [];
  const fetch = (async (_url: string | URL | Request, init?: RequestInit) => {
    const body = Buffer.from(init?.body as Uint8Array);
    const headers = new Headers(init?.headers);
    const text =
      headers.get('content-encoding') === 'gzip' ? gunzipSync(body).toString() : body.toString();
    batches.push(JSON.parse(text));
    return new Response('{"status":"Ok"}', { status: 200 });
  }) as typeof globalThis.fetch;
  return { fetch, batches, events: () => batches.flatMap((b) => b.batch) };
}

export function tempDir(prefix = 'tally-sdk-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Options for a client that talks to a recording fetch; override anything. */
export function baseOptions(
  overrides: Partial<AnalyticsOptions<typeof psaCatalog>> = {},
): AnalyticsOptions<typeof psaCatalog> {
  return {
    catalog: psaCatalog,
    host: HOST,
    token: TOKEN,
    appVersion: '2.1.0',
    environment: 'test',
    secret: 'test-secret-that-is-long-enough-0123456789',
    env: {},
    log: () => {},
    ...overrides,
  };
}

export const TICKET_CREATED = {
  ticket_id: 'c0f3b1de-8d8e-4bb1-9a55-0b0c8f6a7e21',
  ticket_type: 'incident',
  created_via: 'email',
  priority: 'high',
  priority_id: 'prio-17',
  board_id: 'b7a9c7e2-3f1d-4a57-9a0e-4f0b6f1f2d11',
  has_category: true,
  has_subcategory: false,
  is_assigned: true,
  has_asset: false,
  has_description: true,
  used_template: false,
} as const;
