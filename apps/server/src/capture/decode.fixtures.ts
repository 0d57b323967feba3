// Shared builders for the decode tests: requests as real clients build them.
import { Buffer } from 'node:buffer';
import { decodeCapture, type RawCaptureRequest } from './decode.js';
import { CaptureError } from './errors.js';
import { maxBodyBytesFor } from './paths.js';

export const TOKEN = 'phc_test_token_abc123';
export const FORM = 'application/x-www-form-urlencoded';

export type RequestInit = Partial<Omit<RawCaptureRequest, 'query' | 'body'>> & {
  path: string;
  query?: string;
  body?: Uint8Array | string;
};

/** Decodes a request built from `init`, with the path's body limit and a 20 MiB inflate limit. */
export function decode(init: RequestInit, maxDecompressedBytes = 20 * 1024 * 1024) {
  const request: RawCaptureRequest = {
    path: init.path,
    method: init.method ?? 'POST',
    query: new URLSearchParams(init.query ?? ''),
    contentType: init.contentType,
    contentEncoding: init.contentEncoding,
    body: typeof init.body === 'string' ? Buffer.from(init.body) : (init.body ?? new Uint8Array()),
  };
  return decodeCapture(request, { maxBodyBytes: maxBodyBytesFor(init.path), maxDecompressedBytes });
}

export async function errorOf(promise: Promise<unknown>): Promise<CaptureError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CaptureError) return error;
    throw error;
  }
  throw new Error('expected a CaptureError');
}

export const base64 = (text: string): string => Buffer.from(text).toString('base64');

export function makeEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event: 'ticket_created',
    distinct_id: 'user-1',
    uuid: '019c3b2e-4f5a-7c3d-8e9f-0a1b2c3d4e5f',
    timestamp: '2026-01-01T00:00:00.000Z',
    properties: { $lib: 'test', priority: 'high' },
    ...overrides,
  };
}

/** A posthog-js event: token and distinct_id inside properties, `$set` at the top level. */
export function makeJsEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event: '$pageview',
    uuid: '019c3b2e-4f5a-7c3d-8e9f-0a1b2c3d4e60',
    timestamp: '2026-01-01T00:00:00.000Z',
    properties: {
      token: TOKEN,
      distinct_id: 'anon-1',
      $lib: 'web',
      $current_url: 'https://app.example.test/tickets',
    },
    ...overrides,
  };
}
