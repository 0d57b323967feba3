import { defineEvent } from '../define/event.js';
import { prop } from '../define/property.js';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/**
 * A route template: `/`-separated segments, each a static word (letters, `_`, `-`, then at
 * most 3 digits, so `v1` and `ms365` pass), a `:param` placeholder, or `*`. A raw path with a
 * numeric id or a UUID in it does not match (prior art missed non-UUID ids, §6 item 14), and
 * neither does a query string, a space, `@` or `.`.
 */
export const ROUTE_TEMPLATE_PATTERN =
  /\/|(?:\/(?:[A-Za-z][A-Za-z_-]*[0-9]{0,3}|:[A-Za-z_][A-Za-z0-9_]*|\*))+\/?/;

/** A JavaScript identifier such as a class or method name: no spaces, dots or `@`. */
export const IDENTIFIER_PATTERN = /[A-Za-z_$][A-Za-z0-9_$]{0,79}/;

/** An operation name chosen by a developer: snake_case words joined by dots. */
export const OPERATION_PATTERN = /[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*/;

const route = () =>
  prop.pattern(ROUTE_TEMPLATE_PATTERN, 'Route template of the request, never the raw path', {
    maxLength: 200,
    example: '/api/v1/tickets/:id',
  });
const method = () => prop.enum(HTTP_METHODS, 'HTTP method of the request');
const durationMs = (what: string) => prop.number(what, { min: 0, unit: 'ms' });
const thresholdMs = () => prop.integer('Threshold the duration exceeded', { min: 0, unit: 'ms' });
/** The class name of the error, e.g. `TypeError`; never its message or stack. */
const errorType = () =>
  prop.pattern(IDENTIFIER_PATTERN, 'Class name of the error (`error.name`), never its message', {
    maxLength: 80,
    example: 'ValidationError',
  });
const operation = () =>
  prop.pattern(OPERATION_PATTERN, 'Name the developer gave the operation', {
    maxLength: 80,
    example: 'search_tickets',
  });
const className = () =>
  prop.pattern(IDENTIFIER_PATTERN, 'Class that owns the measured method', {
    maxLength: 80,
    example: 'TicketService',
  });
const methodName = () =>
  prop.pattern(IDENTIFIER_PATTERN, 'Name of the measured method', {
    maxLength: 80,
    example: 'search',
  });

export const performanceEvents = {
  api_request: defineEvent({
    category: 'performance',
    version: 1,
    description:
      'An API request completed with a response. Sampled: divide counts by `sample_rate` to estimate totals.',
    firesWhen: 'After the response is produced, for the sampled fraction of requests.',
    properties: {
      route: route(),
      method: method(),
      status: prop.integer('HTTP status code of the response', { min: 100, max: 599 }),
      status_class: prop.enum(STATUS_CLASSES, 'Class of the status code'),
      duration_ms: durationMs('Time from request to response'),
      has_auth: prop.boolean('Whether the request was authenticated'),
      is_slow: prop.boolean('Whether the duration exceeded the configured slow threshold'),
      sample_rate: prop.number('Fraction of requests that are reported (1 = all)', {
        min: 0.0001,
        max: 1,
      }),
    },
  }),
  slow_query: defineEvent({
    category: 'performance',
    version: 1,
    description:
      'An API request took longer than the very-slow threshold. Never sampled. (The name is historical: it measures the whole request.)',
    firesWhen:
      'After the response, when the duration exceeds the threshold; the route is a template.',
    properties: {
      route: route(),
      method: method(),
      duration_ms: durationMs('Time from request to response'),
      threshold_ms: thresholdMs(),
    },
  }),
  api_error: defineEvent({
    category: 'performance',
    version: 1,
    description: 'An API handler threw. Only the class of the error is sent, never its message.',
    firesWhen: 'When the handler throws, before the error response is sent. Never sampled.',
    properties: {
      route: route(),
      method: method(),
      status: prop.integer('HTTP status code sent for the error', { min: 100, max: 599 }),
      error_type: errorType(),
      duration_ms: durationMs('Time from request to the error'),
      has_auth: prop.boolean('Whether the request was authenticated'),
    },
  }),
  slow_operation: defineEvent({
    category: 'performance',
    version: 1,
    description: 'A measured service operation took longer than its threshold.',
    firesWhen: 'When the measured method returns after its threshold.',
    properties: {
      operation: operation(),
      duration_ms: durationMs('Time the operation took'),
      class_name: className(),
      method_name: methodName(),
      threshold_ms: thresholdMs(),
    },
  }),
  operation_error: defineEvent({
    category: 'performance',
    version: 1,
    description: 'A measured service operation threw. Only the class of the error is sent.',
    firesWhen: 'When the measured method throws, before the error is re-thrown.',
    properties: {
      operation: operation(),
      error_type: errorType(),
      class_name: className(),
      method_name: methodName(),
      duration_ms: durationMs('Time until the operation threw'),
    },
  }),
};
