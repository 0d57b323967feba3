import { describe, expect, it } from 'vitest';
import { normalizeTemplate, templateRawPath } from './route.js';

describe('normalizeTemplate', () => {
  it.each([
    ['/api/v1/tickets/:id', '/api/v1/tickets/:id'],
    ['/', '/'],
    ['/tickets/:id?', '/tickets/:id'],
    ['/files/:name{[a-z]+\\.png}', '/files/:name'],
    ['/tickets/:id(^\\d+$)/notes', '/tickets/:id/notes'],
    ['/users{/:id}', '/users/:id'],
    ['/assets/*splat', '/assets/*'],
    ['/api/tickets/[id]/comments', '/api/tickets/:id/comments'],
    ['/(portal)/api/docs/[...slug]', '/api/docs/*'],
    ['/api/[[...rest]]', '/api/*'],
    ['/health.json', '/:id'],
  ])('%s -> %s', (template, expected) => {
    expect(normalizeTemplate(template)).toBe(expected);
  });

  it('replaces a static segment that holds an id, even in a developer template', () => {
    expect(normalizeTemplate('/tenants/4711/tickets')).toBe('/tenants/:id/tickets');
  });

  it('cuts a template longer than the catalog allows to 200 characters ending in *', () => {
    const route = normalizeTemplate(`/${Array.from({ length: 40 }, () => 'segment').join('/')}`);
    expect(route.length).toBeLessThanOrEqual(200);
    expect(route.endsWith('/*')).toBe(true);
  });
});

describe('templateRawPath', () => {
  it('replaces numbers, uuids, e-mails and tokens, and drops the query', () => {
    expect(
      templateRawPath(
        '/tickets/4711/contacts/dana.whitfield@example.com/550e8400-e29b-41d4-a716-446655440000?q=x',
      ),
    ).toBe('/tickets/:id/contacts/:email/:id');
    expect(templateRawPath('/keys/sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0')).toBe('/keys/:token');
  });

  it('turns a segment the catalog cannot hold (a file name, a 2fa unit) into :id', () => {
    expect(templateRawPath('/static/app.js')).toBe('/static/:id');
    expect(templateRawPath('/auth/2fa')).toBe('/auth/:id');
    expect(templateRawPath('')).toBe('/');
  });
});
