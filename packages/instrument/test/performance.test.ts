import { readFileSync } from 'node:fs';
import { psaCatalog } from '@tally/catalog';
import { createTestAnalytics } from '@tally/sdk/testing';
import ts from 'typescript';
import { beforeEach, describe, expect, it } from 'vitest';
import { createPerformanceTracking, InstrumentError } from '../src/index.js';
import type * as Fixture from './fixtures/decorated-services.js';
import { createClock, propsOf, SECRETS } from './helpers.js';

/** Compiles the decorated fixture with TypeScript (standard decorators) and evaluates it. */
function loadFixture(): typeof Fixture {
  const source = readFileSync(new URL('./fixtures/decorated-services.ts', import.meta.url), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
  });
  const module = { exports: {} as typeof Fixture };
  new Function('exports', 'module', outputText)(module.exports, module);
  return module.exports;
}

const fixture = loadFixture();
const SLOW_KEYS = ['operation', 'duration_ms', 'class_name', 'method_name', 'threshold_ms'];
const ERROR_KEYS = ['operation', 'error_type', 'class_name', 'method_name', 'duration_ms'];

function setupPerf(slowOperationMs?: number) {
  const analytics = createTestAnalytics({ catalog: psaCatalog });
  const clock = createClock();
  const perf = createPerformanceTracking(analytics, {
    now: clock.now,
    ...(slowOperationMs === undefined ? {} : { slowOperationMs }),
  });
  const services = fixture.defineServices(perf.trackPerformance, clock.advance);
  return { analytics, clock, perf, ...services };
}

describe('@trackPerformance (standard decorator, compiled by TypeScript)', () => {
  let ctx: ReturnType<typeof setupPerf>;
  beforeEach(() => {
    ctx = setupPerf();
  });

  it('keeps this, arguments and the return value of a sync method; silent at or under 500 ms', () => {
    const service = new ctx.TicketService();
    expect(service.search(500)).toEqual(['t-1']);
    expect(service.calls).toEqual([500]);
    expect(ctx.analytics.events).toEqual([]);
  });

  it('emits slow_operation above the threshold with the class and method names', () => {
    new ctx.TicketService().search(501);
    expect(propsOf(ctx.analytics, 'slow_operation', SLOW_KEYS)).toEqual([
      {
        operation: 'tickets.search',
        duration_ms: 501,
        class_name: 'TicketService',
        method_name: 'search',
        threshold_ms: 500,
      },
    ]);
  });

  it('times an async method until it settles', async () => {
    await expect(new ctx.TicketService().export(800)).resolves.toBe(800);
    ctx.analytics.expectEvent('slow_operation', { operation: 'tickets.export', duration_ms: 800 });
  });

  it('re-throws the original error of a sync method and reports only its class', () => {
    const original = new fixture.QuotaError(SECRETS.message);
    let caught: unknown;
    try {
      new ctx.TicketService().validate(original);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(original);
    expect(propsOf(ctx.analytics, 'operation_error', ERROR_KEYS)).toEqual([
      {
        operation: 'tickets.validate',
        error_type: 'QuotaError',
        class_name: 'TicketService',
        method_name: 'validate',
        duration_ms: 0,
      },
    ]);
    ctx.analytics.expectNoPII([SECRETS.message, 'Dana']);
  });

  it('rejects with the original error of an async method, untouched', async () => {
    const original = new TypeError(SECRETS.message);
    const stack = original.stack;
    await expect(new ctx.TicketService().export(30, original)).rejects.toBe(original);
    expect(original.message).toBe(SECRETS.message);
    expect(original.stack).toBe(stack);
    ctx.analytics.expectEvent('operation_error', { error_type: 'TypeError', duration_ms: 30 });
    ctx.analytics.expectNoEvent('slow_operation');
    ctx.analytics.expectNoPII([SECRETS.message]);
  });

  it('names the receiver class of an inherited method, the class of a static one, a private one without #', () => {
    new ctx.PortalTicketService().search(600);
    expect(ctx.TicketService.rebuild(700)).toBe('rebuilt');
    expect(new ctx.TicketService().callSecret(900)).toBe(900);
    expect(
      propsOf(ctx.analytics, 'slow_operation', ['class_name', 'method_name', 'operation']),
    ).toEqual([
      { class_name: 'PortalTicketService', method_name: 'search', operation: 'tickets.search' },
      { class_name: 'TicketService', method_name: 'rebuild', operation: 'tickets.rebuild_index' },
      { class_name: 'TicketService', method_name: 'secret', operation: 'tickets.private' },
    ]);
  });

  it('uses the configured slowOperationMs', () => {
    const strict = setupPerf(100);
    new strict.TicketService().search(101);
    strict.analytics.expectEvent('slow_operation', { threshold_ms: 100, duration_ms: 101 });
  });

  it('refuses an operation name that is not snake_case words joined by dots', () => {
    expect(() => ctx.perf.trackPerformance('Search Tickets')).toThrow(InstrumentError);
  });
});

describe('measure', () => {
  it('returns what a sync function returns and reports it slow as a Function', () => {
    const { analytics, clock, perf } = setupPerf();
    function runBillingRules() {
      clock.advance(1200);
      return 42;
    }
    expect(perf.measure('billing.run_rules', runBillingRules)).toBe(42);
    expect(propsOf(analytics, 'slow_operation', SLOW_KEYS)).toEqual([
      {
        operation: 'billing.run_rules',
        duration_ms: 1200,
        class_name: 'Function',
        method_name: 'runBillingRules',
        threshold_ms: 500,
      },
    ]);
  });

  it('takes names from options, and re-throws the original rejection', async () => {
    const { analytics, perf } = setupPerf();
    const original = new RangeError(SECRETS.email);
    const run = perf.measure(
      'reports.build',
      async () => {
        throw original;
      },
      { className: 'ReportJob', methodName: 'build' },
    );
    await expect(run).rejects.toBe(original);
    analytics.expectEvent('operation_error', {
      error_type: 'RangeError',
      class_name: 'ReportJob',
      method_name: 'build',
    });
    analytics.expectNoPII([SECRETS.email]);
  });

  it('names an arrow function anonymous and reports a thrown string as NonError', () => {
    const { analytics, perf } = setupPerf();
    expect(() =>
      perf.measure('jobs.sync', () => {
        throw 'boom';
      }),
    ).toThrow('boom');
    analytics.expectEvent('operation_error', { error_type: 'NonError', method_name: 'anonymous' });
  });

  it('validates slowOperationMs at construction, naming it', () => {
    const analytics = createTestAnalytics({ catalog: psaCatalog });
    expect(() => createPerformanceTracking(analytics, { slowOperationMs: -1 })).toThrow(
      /slowOperationMs/,
    );
  });
});
