import { describe, expect, it } from 'vitest';
import { performanceEvents } from './performance.js';

const route = performanceEvents.api_request.properties.route;
const errorType = performanceEvents.api_error.properties.error_type;

describe('route', () => {
  it.each([
    '/',
    '/api/v1/tickets',
    '/api/v1/tickets/:id',
    '/api/v1/tickets/:ticketId/comments/:comment_id/',
    '/api/v2/time-entries',
    '/api/integrations/ms365/*',
  ])('accepts the template %s', (value) => {
    expect(route.schema.safeParse(value).success).toBe(true);
  });

  it.each([
    ['a numeric id', '/api/v1/tickets/1234'],
    ['a UUID', '/api/v1/tickets/3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e'],
    ['a ticket number', '/api/v1/tickets/TIC1004'],
    ['a query string', '/api/v1/tickets/search?q=reset'],
    ['an email', '/api/v1/users/jane@example.com'],
    ['a domain', '/portal/acme.example.com'],
    ['a space', '/api/v1/clients/Acme Corp'],
    ['an encoded character', '/api/v1/clients/Acme%20Corp'],
    ['no leading slash', 'api/v1/tickets'],
    ['an empty string', ''],
    ['a template longer than 200 characters', `/${'segment/'.repeat(25)}`],
  ])('rejects a path with %s', (_, value) => {
    expect(route.schema.safeParse(value).success).toBe(false);
  });
});

describe('error_type', () => {
  it('accepts an error class name and rejects a message', () => {
    expect(errorType.schema.safeParse('TypeError').success).toBe(true);
    expect(errorType.schema.safeParse('ECONNREFUSED').success).toBe(true);
    expect(
      errorType.schema.safeParse("Cannot read properties of undefined (reading 'id')").success,
    ).toBe(false);
    expect(
      errorType.schema.safeParse('duplicate key value violates unique constraint').success,
    ).toBe(false);
  });
});
