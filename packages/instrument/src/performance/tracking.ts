import type { CaptureClient } from '../analytics.js';
import { errorTypeOf } from '../error-type.js';
import { InstrumentError } from '../errors.js';
import { type PerformanceTrackingOptions, resolvePerformanceOptions } from './options.js';

/** The catalog's `OPERATION_PATTERN` and `IDENTIFIER_PATTERN`, anchored. */
const OPERATION = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]{0,79}$/;
const MAX_OPERATION_LENGTH = 80;

/** `class_name` of {@link PerformanceTracking.measure}: the code is a function, not a method. */
export const FUNCTION_CLASS_NAME = 'Function';
/** `method_name` when the function or method has no usable name (arrow, symbol, computed). */
export const ANONYMOUS_NAME = 'anonymous';

export interface MeasureOptions {
  /** Default {@link FUNCTION_CLASS_NAME}. */
  className?: string;
  /** Default the function's own name, else {@link ANONYMOUS_NAME}. */
  methodName?: string;
}

type Method<This, Args extends unknown[], Return> = (this: This, ...args: Args) => Return;

export interface PerformanceTracking {
  /**
   * A standard (TC39) method decorator. Sync and async methods; `slow_operation` above the
   * threshold, `operation_error` with the error class when it throws or rejects; the original
   * error is re-thrown as it was (same object).
   * @example
   * class TicketService {
   *   @trackPerformance('tickets.search')
   *   async search(query: TicketQuery) { ... }
   * }
   */
  trackPerformance(
    operation: string,
  ): <This, Args extends unknown[], Return>(
    target: Method<This, Args, Return>,
    context: ClassMethodDecoratorContext<This, Method<This, Args, Return>>,
  ) => Method<This, Args, Return>;
  /**
   * Runs `fn` (sync or async) and reports it as the decorator does; returns what `fn` returns.
   * @example
   * const rows = await measure('billing.run_rules', () => runBillingRules(tenant));
   */
  measure<Return>(operation: string, fn: () => Return, options?: MeasureOptions): Return;
}

function assertOperation(operation: string): void {
  if (operation.length > MAX_OPERATION_LENGTH || !OPERATION.test(operation)) {
    // The name is the developer's constant, not user input, so it may appear in the message.
    throw new InstrumentError('invalid_operation_name', JSON.stringify(operation));
  }
}

function identifierOr(name: unknown, fallback: string): string {
  if (typeof name !== 'string') return fallback;
  const plain = name.startsWith('#') ? name.slice(1) : name; // private methods
  return IDENTIFIER.test(plain) ? plain : fallback;
}

/**
 * `trackPerformance` and `measure` bound to one client and threshold.
 * @example
 * const { trackPerformance, measure } = createPerformanceTracking(analytics, {
 *   slowOperationMs: 500,
 * });
 */
export function createPerformanceTracking(
  analytics: CaptureClient,
  options: PerformanceTrackingOptions = {},
): PerformanceTracking {
  const { slowOperationMs, now } = resolvePerformanceOptions(options);

  function run<Return>(
    operation: string,
    className: string,
    methodName: string,
    fn: () => Return,
  ): Return {
    const start = now();
    const succeeded = () => {
      const durationMs = Math.max(0, now() - start);
      if (durationMs <= slowOperationMs) return;
      analytics.capture('slow_operation', {
        operation,
        duration_ms: durationMs,
        class_name: className,
        method_name: methodName,
        threshold_ms: slowOperationMs,
      });
    };
    const failed = (error: unknown) => {
      analytics.capture('operation_error', {
        operation,
        error_type: errorTypeOf(error),
        class_name: className,
        method_name: methodName,
        duration_ms: Math.max(0, now() - start),
      });
    };
    let result: Return;
    try {
      result = fn();
    } catch (error) {
      failed(error);
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          succeeded();
          return value;
        },
        (error: unknown) => {
          failed(error);
          throw error;
        },
      ) as Return;
    }
    succeeded();
    return result;
  }

  return Object.freeze({
    trackPerformance(operation: string) {
      assertOperation(operation);
      return <This, Args extends unknown[], Return>(
        target: Method<This, Args, Return>,
        context: ClassMethodDecoratorContext<This, Method<This, Args, Return>>,
      ): Method<This, Args, Return> => {
        const methodName = identifierOr(context.name, ANONYMOUS_NAME);
        const isStatic = context.static;
        return function tracked(this: This, ...args: Args): Return {
          // The receiver's class: a subclass that inherits the method reports its own name.
          const owner = isStatic ? this : (this as object).constructor;
          const className = identifierOr((owner as { name?: unknown }).name, ANONYMOUS_NAME);
          return run(operation, className, methodName, () => target.apply(this, args));
        };
      };
    },
    measure<Return>(operation: string, fn: () => Return, measureOptions: MeasureOptions = {}) {
      assertOperation(operation);
      const className = identifierOr(measureOptions.className, FUNCTION_CLASS_NAME);
      const methodName = identifierOr(measureOptions.methodName ?? fn.name, ANONYMOUS_NAME);
      return run(operation, className, methodName, fn);
    },
  });
}
