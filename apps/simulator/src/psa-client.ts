// The simulator's side of the PSA's HTTP API: JSON in, status and JSON out, through app.request
// (in-process, no port). Counts responses by status so a run can report them.

export interface PsaResponse {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the simulator reads a few known fields per route
  readonly body: any;
}

export interface FetchApp {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

export interface PsaClient {
  call(method: string, path: string, token?: string, body?: unknown): Promise<PsaResponse>;
  /** Responses by status code. */
  statusCounts(): Readonly<Record<number, number>>;
  requestCount(): number;
}

export function createPsaClient(app: FetchApp): PsaClient {
  const counts: Record<number, number> = {};
  let requests = 0;
  return {
    async call(method, path, token, body) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      const res = await app.request(path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      requests += 1;
      counts[res.status] = (counts[res.status] ?? 0) + 1;
      return { status: res.status, body: text === '' ? null : JSON.parse(text) };
    },
    statusCounts: () => ({ ...counts }),
    requestCount: () => requests,
  };
}

/** Throws when a call the simulator expects to succeed does not; the message names the route. */
export function expectOk(res: PsaResponse, what: string): PsaResponse {
  if (res.status >= 400) {
    throw new Error(`simulator: ${what} failed with ${res.status} ${res.body?.error ?? ''}`);
  }
  return res;
}
