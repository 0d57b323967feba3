import { type Catalog, findPii } from '@tally/catalog';
import { type Analytics, buildClient, createCore } from '../client.js';
import type { AnalyticsOptions } from '../options.js';
import type { WireEvent } from '../transport/types.js';

export type TestAnalyticsOptions<C extends Catalog> = Partial<AnalyticsOptions<C>> & { catalog: C };

export interface TestAnalytics<C extends Catalog = Catalog> extends Analytics<C> {
  /** Every event exactly as it would have been sent, in capture order. */
  readonly events: readonly WireEvent[];
  /** Throws unless an event with this name was captured whose properties include `properties`. */
  expectEvent(event: string, properties?: Readonly<Record<string, unknown>>): WireEvent;
  /** Throws if an event with this name was captured. */
  expectNoEvent(event: string): void;
  /**
   * Throws if any captured event carries PII (email, phone, IP, card, IBAN, national id, token,
   * raw URL), or contains any of `values` verbatim (e.g. your fixtures' customer names).
   */
  expectNoPII(values?: readonly string[]): void;
  reset(): void;
}

const TEST_SECRET = 'tally-test-secret-0123456789abcdef';

/**
 * An analytics client for tests: strict (a misspelt event or property throws at the call site),
 * events processed by the real privacy pipeline at once and kept in memory, nothing sent. The
 * environment is empty unless `env` is given, so the host's switches do not leak into tests.
 * @example
 * const analytics = createTestAnalytics({ catalog: psaCatalog });
 * await createTicket(analytics, input);
 * analytics.expectEvent('ticket_created', { created_via: 'email' });
 * analytics.expectNoPII([input.title, input.contactEmail]);
 */
export function createTestAnalytics<C extends Catalog>(
  options: TestAnalyticsOptions<C>,
): TestAnalytics<C> {
  const core = createCore({
    host: 'http://tally.test',
    token: 'test_token',
    appVersion: '0.0.0-test',
    environment: 'test',
    secret: TEST_SECRET,
    strict: true,
    env: {},
    ...options,
  } as AnalyticsOptions<C>);
  const events: WireEvent[] = [];
  const client = buildClient(core, {
    enqueue(item) {
      const { deployment } = core.consent.decide(undefined, false);
      const result = core.pipeline.process(item, deployment);
      if (result.wire !== undefined) events.push(result.wire);
    },
    flush: async () => {},
    shutdown: async () => {},
  });

  return Object.assign(client, {
    events,
    expectEvent(event: string, properties: Readonly<Record<string, unknown>> = {}) {
      const named = events.filter((e) => e.event === event);
      const match = named.find((e) => includes(e.properties, properties));
      if (match === undefined) {
        const seen = named.map((e) => JSON.stringify(e.properties)).join('\n  ') || '(none)';
        throw new Error(
          `expected a ${event} event with ${JSON.stringify(properties)}; ${named.length} ${event} event(s) captured:\n  ${seen}`,
        );
      }
      return match;
    },
    expectNoEvent(event: string) {
      const count = events.filter((e) => e.event === event).length;
      if (count > 0) throw new Error(`expected no ${event} event; ${count} captured`);
    },
    expectNoPII(values: readonly string[] = []) {
      for (const e of events) {
        const kinds = findPii(e);
        if (kinds.length > 0)
          throw new Error(`${e.event} (${e.uuid}) carries PII: ${kinds.join(', ')}`);
        const text = JSON.stringify(e);
        const leaked = values.filter((v) => v.length > 0 && text.includes(v));
        if (leaked.length > 0)
          throw new Error(`${e.event} (${e.uuid}) contains ${leaked.length} of the given values`);
      }
    },
    reset() {
      events.length = 0;
    },
  });
}

function includes(actual: unknown, expected: unknown): boolean {
  if (typeof expected !== 'object' || expected === null) return Object.is(actual, expected);
  if (typeof actual !== 'object' || actual === null) return false;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((v, i) => includes(actual[i], v))
    );
  }
  const a = actual as Record<string, unknown>;
  return Object.entries(expected).every(([k, v]) => includes(a[k], v));
}
