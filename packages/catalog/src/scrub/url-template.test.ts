import { describe, expect, it } from 'vitest';
import { replaceUrls, templatePath, templateUrl } from './url-template.js';

describe('templatePath', () => {
  it.each([
    ['https://acme.example.com/api/v1/tickets/TIC-1234?q=printer', '/api/v1/tickets/:id'],
    ['https://acme.example.com', '/'],
    ['https://jane:hunter2@acme.example.com:8443/time-entries/42#notes', '/time-entries/:id'],
    ['//cdn.example.com/assets/app.js', '/assets/app.js'],
    ['/tickets/550e8400-e29b-41d4-a716-446655440000/comments', '/tickets/:id/comments'],
    ['/objects/507f1f77bcf86cd799439011', '/objects/:id'],
    ['/invoices/INV2024-001/download.pdf', '/invoices/:id/download.pdf'],
    ['/tickets/123.json', '/tickets/:id.json'],
    ['/users/jane.doe%40example.com/settings', '/users/:email/settings'],
    ['/users/jane.doe@example.com', '/users/:email'],
    ['/call/%2B4915112345678', '/call/:phone'],
    ['/hosts/192.168.1.20/status', '/hosts/:ip/status'],
    ['/accounts/DE89370400440532013000', '/accounts/:iban'],
    ['/people/123-45-6789', '/people/:national_id'],
    ['/reset/Xk9mP2vL8qR4tY7wZ3nB6cF1hJ5', '/reset/:token'],
    ['/clients/Acme%20Corp/contacts', '/clients/:id/contacts'],
    ['/users/user42', '/users/:id'],
    ['/track;jsessionid=A1B2C3D4E5F6', '/track'],
    ['tickets/123', 'tickets/:id'],
  ])('%s -> %s', (input, expected) => {
    expect(templatePath(input)).toBe(expected);
  });

  it.each([
    '/api/v1/tickets/:id',
    '/api/v2/time-entries/{entryId}',
    '/msp/tickets/[id]/[...slug]',
    '/auth/oauth2/callback',
    '/settings/2fa',
    '/api/getTicketsByClient',
    '/.well-known/openid-configuration',
    '/static/favicon.ico',
    '/',
    '',
  ])('keeps the route %s as it is', (route) => {
    expect(templatePath(route)).toBe(route);
  });

  it('turns long slugs into :id: they are usually generated from titles', () => {
    expect(templatePath('/kb/printer-on-third-floor-broken')).toBe('/kb/:id');
    expect(templatePath('/kb/reset-password')).toBe('/kb/reset-password');
  });
});

describe('templateUrl', () => {
  it('reports the kinds held by removed parts', () => {
    expect(templateUrl('https://x.example/p?email=jane%40example.com&ip=10.0.0.1').found).toEqual([
      'url',
      'email',
      'ip',
    ]);
    expect(templateUrl('http://10.0.0.1:8080/status').found).toEqual(['url', 'ip']);
  });

  it('reports nothing for a path made only of route words and ids', () => {
    expect(templateUrl('/api/v1/tickets/42')).toEqual({ path: '/api/v1/tickets/:id', found: [] });
  });
});

describe('replaceUrls', () => {
  it('templates URLs inside text and keeps sentence punctuation', () => {
    expect(replaceUrls('See https://acme.example.com/tickets/42?x=1. Thanks')).toEqual({
      text: 'See /tickets/:id. Thanks',
      found: ['url'],
      count: 1,
    });
  });

  it('templates connection strings with passwords', () => {
    expect(replaceUrls('postgres://admin:s3cret@db.internal:5432/tally').text).toBe('/tally');
  });

  it('templates a path with a query string, alone or after whitespace', () => {
    expect(replaceUrls('/tickets?searchQuery=john').text).toBe('/tickets');
    expect(replaceUrls('GET /search?q=jane+doe 200').text).toBe('GET /search 200');
  });

  it('leaves a path without a query and a question mark that ends a sentence', () => {
    expect(replaceUrls('/api/v1/tickets/:id').count).toBe(0);
    expect(replaceUrls('Did you open /tickets/new?').count).toBe(0);
  });
});
