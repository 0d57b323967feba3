import { psaCatalog } from '@tally/catalog';
import { createTestAnalytics } from '@tally/sdk/testing';
import { describe, expect, it } from 'vitest';
import { addUser, makeApp, signupTenant } from './helpers.js';

// The PSA's data is full of PII (names, emails, phone numbers in titles and comments); none of
// it may reach an event.
const TITLE = 'Call Jane Doe back on +1 415 555 0134 about her mailbox';
const COMMENT = 'Spoke to jane.doe@globex.example, she says the laptop is fine';
const SEARCH = 'Jane Doe mailbox';

async function instrumentedApp(performance: { slowOperationMs?: number; now?: () => number } = {}) {
  const analytics = createTestAnalytics({ catalog: psaCatalog });
  const errors: Error[] = [];
  const ctx = await makeApp({
    analytics,
    onUnexpectedError: () => {},
    instrumentation: {
      http: { sampleRate: 1 },
      trackers: { onError: (e) => errors.push(e) },
      performance,
    },
  });
  // Domain events in order; requests and feature adoption are asserted on their own.
  const names = () =>
    analytics.events.map((e) => e.event).filter((n) => n !== 'api_request' && n !== 'feature_used');
  return { ...ctx, analytics, errors, names };
}

describe('instrumentation through @tally/instrument', () => {
  it('emits the ticket lifecycle events with properties from the ticket’s history', async () => {
    const { analytics, call, clock, errors, names } = await instrumentedApp();
    const t = await signupTenant(call, 'Globex Support LLC');
    const tech = await addUser(call, t.token, 'technician');
    expect(names()).toEqual([
      'user_signed_up',
      'user_logged_in',
      'user_signed_up',
      'auth_validated',
      'user_logged_in',
    ]);
    analytics.reset();

    const created = await call('POST', '/api/tickets', t.token, {
      title: TITLE,
      description: COMMENT,
      board_id: t.board,
      priority_id: t.priority,
    });
    const id = created.body.ticket.id;
    analytics.expectEvent('ticket_created', {
      created_via: 'manual',
      priority: 'high',
      is_assigned: false,
      has_description: true,
    });
    clock.advanceMinutes(30);
    await call('PATCH', `/api/tickets/${id}`, t.token, { assigned_to: tech.id });
    analytics.expectEvent('ticket_assigned', {
      is_reassignment: false,
      time_to_first_assignment_minutes: 30,
    });
    await call('PATCH', `/api/tickets/${id}`, t.token, { assigned_to: t.userId });
    expect(
      analytics.events.filter((e) => e.event === 'ticket_assigned')[1]?.properties,
    ).toMatchObject({
      is_reassignment: true,
      is_self_assignment: true,
    });
    await call('POST', `/api/tickets/${id}/comments`, tech.token, { body: COMMENT });
    analytics.expectEvent('ticket_comment_added', {
      content_length: COMMENT.length,
      author_type: 'msp',
      is_internal: false,
    });
    await call('GET', `/api/tickets?q=${encodeURIComponent(SEARCH)}&include_closed=true`, t.token);
    analytics.expectEvent('ticket_searched', {
      query_length: SEARCH.length,
      query_terms: 3,
      result_count: 1,
    });
    clock.advanceMinutes(90);
    await call('POST', `/api/tickets/${id}/resolve`, tech.token);
    analytics.expectEvent('ticket_resolved', { time_to_resolution_minutes: 120, reopen_count: 0 });
    await call('POST', `/api/tickets/${id}/reopen`, tech.token);
    clock.advanceMinutes(60);
    await call('POST', `/api/tickets/${id}/resolve`, tech.token);
    expect(
      analytics.events.filter((e) => e.event === 'ticket_resolved')[1]?.properties,
    ).toMatchObject({
      time_to_resolution_minutes: 180,
      reopen_count: 1,
    });
    clock.advanceMinutes(3 * 24 * 60);
    // Three days on, the session has expired: sign in again.
    const login = await call('POST', '/auth/login', undefined, {
      email: t.email,
      password: 'correct horse battery',
    });
    expect((await call('DELETE', `/api/tickets/${id}`, login.body.token)).status).toBe(204);
    expect(errors).toEqual([]);
    analytics.expectEvent('ticket_deleted', {
      age_days: 3,
      was_resolved: true,
      had_comments: true,
    });
    expect(names()).toEqual([
      'ticket_created',
      'ticket_updated',
      'ticket_assigned',
      'ticket_updated',
      'ticket_assigned',
      'ticket_comment_added',
      'ticket_searched',
      'ticket_updated',
      'ticket_resolved',
      'ticket_updated',
      'ticket_updated',
      'ticket_resolved',
      'auth_validated',
      'user_logged_in',
      'ticket_deleted',
    ]);
    const tenantGroup = analytics.events[0]?.properties.$groups;
    expect(tenantGroup).toBeDefined();
    expect(errors).toEqual([]);
    analytics.expectNoPII([
      TITLE,
      COMMENT,
      SEARCH,
      'Jane Doe',
      'Globex Support LLC',
      t.email,
      tech.email,
    ]);
  });

  it('reports requests by route template, errors by class and status, never raw ids', async () => {
    const { analytics, call, errors } = await instrumentedApp();
    const t = await signupTenant(call);
    analytics.reset();
    const created = await call('POST', '/api/tickets', t.token, {
      title: TITLE,
      board_id: t.board,
      priority_id: t.priority,
    });
    await call('GET', `/api/tickets/${created.body.ticket.id}`, t.token);
    analytics.expectEvent('api_request', {
      route: '/api/tickets/:id',
      method: 'GET',
      has_auth: true,
    });
    await call('POST', '/auth/login', undefined, { email: t.email, password: 'wrong password' });
    analytics.expectNoEvent('auth_validated');
    await call('POST', '/auth/login', undefined, {
      email: t.email,
      password: 'correct horse battery',
    });
    analytics.expectEvent('auth_validated', { is_admin: true });
    analytics.expectEvent('login_failed', { reason: 'invalid_password', provider: 'credentials' });
    const routes = analytics.events
      .filter((e) => e.event.startsWith('api_'))
      .map((e) => `${e.properties.method} ${e.properties.route}`);
    expect(routes).toEqual([
      'POST /api/tickets',
      'GET /api/tickets/:id',
      'POST /auth/login',
      'POST /auth/login',
      'POST /auth/login',
    ]);
    analytics.expectEvent('api_error', {
      route: '/auth/login',
      status: 401,
      error_type: 'PsaError',
    });
    expect(errors).toEqual([]);
    analytics.expectNoPII([TITLE, t.email]);
  });

  it('emits time and billing events, amounts only as buckets', async () => {
    const { analytics, call, errors, names } = await instrumentedApp();
    const t = await signupTenant(call);
    const tech = await addUser(call, t.token, 'technician');
    const client = (await call('POST', '/api/clients', t.token, { name: 'Initech Jane Doe Ltd' }))
      .body.client;
    const ticket = (
      await call('POST', '/api/tickets', t.token, {
        title: TITLE,
        board_id: t.board,
        priority_id: t.priority,
        client_id: client.id,
      })
    ).body.ticket;
    analytics.reset();
    const entry = await call('POST', '/api/time-entries', tech.token, {
      ticket_id: ticket.id,
      work_date: '2026-03-03',
      duration_minutes: 95,
      notes: COMMENT,
    });
    analytics.expectEvent('time_entry_created', {
      work_item_type: 'ticket',
      duration_minutes: 95,
      is_billable: true,
      has_notes: true,
    });
    const sheet = entry.body.time_entry.timesheet_id;
    await call('POST', `/api/timesheets/${sheet}/submit`, tech.token);
    await call('POST', `/api/timesheets/${sheet}/reject`, t.token, { comment: 'split it' });
    await call('PATCH', `/api/time-entries/${entry.body.time_entry.id}`, tech.token, {
      duration_minutes: 105,
    });
    analytics.expectEvent('time_entry_updated', {
      duration_delta_minutes: 10,
      duration_changed: true,
    });
    await call('POST', `/api/timesheets/${sheet}/submit`, tech.token);
    expect(
      analytics.events.filter((e) => e.event === 'timesheet_submitted')[1]?.properties,
    ).toMatchObject({
      is_resubmission: true,
      period_days: 7,
    });
    await call('POST', `/api/timesheets/${sheet}/approve`, t.token);
    const rule = await call('POST', '/api/billing-rules', t.token, {
      client_id: client.id,
      type: 'hourly',
      name: 'Remote support for Jane Doe',
      amount_cents: 11_000,
    });
    await call('PATCH', `/api/billing-rules/${rule.body.billing_rule.id}`, t.token, {
      amount_cents: 12_000,
    });
    analytics.expectEvent('billing_rule_updated', { updated_fields: ['rate'] });
    const inv = await call('POST', '/api/invoices/generate', t.token, {
      client_id: client.id,
      period_start: '2026-03-01',
      period_end: '2026-03-31',
    });
    analytics.expectEvent('invoice_generated', { generation: 'automatic', line_count: 1 });
    const invoiceId = inv.body.invoice.id;
    await call('POST', `/api/invoices/${invoiceId}/finalize`, t.token);
    await call('POST', `/api/invoices/${invoiceId}/send`, t.token, { method: 'email' });
    await call('POST', `/api/invoices/${invoiceId}/send`, t.token, { method: 'client_portal' });
    expect(
      analytics.events.filter((e) => e.event === 'invoice_sent').map((e) => e.properties.is_resend),
    ).toEqual([false, true]);
    await call('POST', `/api/invoices/${invoiceId}/payments`, t.token, {
      amount_cents: 10_000,
      method: 'ach',
    });
    analytics.expectEvent('payment_recorded', { method: 'ach', is_partial: true });
    const credit = await call('POST', '/api/credits', t.token, {
      client_id: client.id,
      amount_cents: 9_000,
      source: 'prepayment',
    });
    await call('POST', `/api/invoices/${invoiceId}/apply-credit`, t.token, {
      credit_id: credit.body.credit.id,
    });
    analytics.expectEvent('credit_applied', { source: 'prepayment', is_automatic: false });
    expect(names()).toEqual([
      'time_entry_created',
      'timesheet_submitted',
      'timesheet_rejected',
      'time_entry_updated',
      'timesheet_submitted',
      'timesheet_approved',
      'billing_rule_created',
      'billing_rule_updated',
      'invoice_generated',
      'invoice_finalized',
      'invoice_sent',
      'invoice_sent',
      'payment_recorded',
      'credit_applied',
    ]);
    expect(errors).toEqual([]);
    analytics.expectNoPII([COMMENT, 'Jane Doe', 'Initech', t.email, tech.email]);
  });

  it('reports nothing for work rolled back (afterCommit): a failed billing run emits no invoice', async () => {
    const { analytics, call, db, errors } = await instrumentedApp();
    const t = await signupTenant(call);
    const client = (await call('POST', '/api/clients', t.token, { name: 'Hooli' })).body.client;
    const ticket = (
      await call('POST', '/api/tickets', t.token, {
        title: TITLE,
        board_id: t.board,
        priority_id: t.priority,
        client_id: client.id,
      })
    ).body.ticket;
    const entry = await call('POST', '/api/time-entries', t.token, {
      ticket_id: ticket.id,
      work_date: '2026-03-03',
      duration_minutes: 60,
    });
    const sheet = entry.body.time_entry.timesheet_id;
    await call('POST', `/api/timesheets/${sheet}/submit`, t.token);
    await call('POST', `/api/timesheets/${sheet}/approve`, t.token);
    await call('POST', '/api/billing-rules', t.token, {
      client_id: client.id,
      type: 'hourly',
      name: 'Support',
      amount_cents: 10_000,
    });
    const generate = { client_id: client.id, period_start: '2026-03-01', period_end: '2026-03-31' };
    // Marking the time billed fails after the invoice row was written: the transaction rolls back.
    await db.exec(`
      CREATE FUNCTION psa_test_fail() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'simulated failure'; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER psa_test_fail BEFORE UPDATE ON time_entries
        FOR EACH ROW EXECUTE FUNCTION psa_test_fail();`);
    try {
      const failed = await call('POST', '/api/invoices/generate', t.token, generate);
      expect(failed.status).toBe(500);
    } finally {
      await db.exec('DROP TRIGGER psa_test_fail ON time_entries; DROP FUNCTION psa_test_fail();');
    }
    analytics.expectNoEvent('invoice_generated');
    expect((await call('GET', '/api/invoices', t.token)).body.invoices).toEqual([]);
    analytics.expectEvent('api_error', { route: '/api/invoices/generate', status: 500 });
    expect((await call('POST', '/api/invoices/generate', t.token, generate)).status).toBe(201);
    analytics.expectEvent('invoice_generated', { generation: 'automatic' });
    expect(errors).toEqual([]);
  });

  it('reports OAuth sign-ins and failures by provider and reason, and logouts', async () => {
    const { analytics, call, errors } = await instrumentedApp();
    const t = await signupTenant(call);
    analytics.reset();
    const flow = async (provider: string, email: string, consent: string) => {
      const start = await call('POST', `/auth/oauth/${provider}/start`);
      const authorize = await call('POST', `/oauth-sim/${provider}/authorize`, undefined, {
        state: start.body.state,
        email,
        consent,
      });
      return call('GET', authorize.body.redirect_url);
    };
    const ok = await flow('microsoft', t.email, 'grant');
    analytics.expectEvent('user_logged_in', { provider: 'microsoft', is_first_login: false });
    await flow('google', t.email, 'deny');
    analytics.expectEvent('login_failed', { provider: 'google', reason: 'oauth_error' });
    await flow('keycloak', 'nobody@example.com', 'grant');
    analytics.expectEvent('login_failed', { provider: 'keycloak', reason: 'unknown_user' });
    await call('POST', '/auth/logout', ok.body.token);
    analytics.expectEvent('user_logged_out', { trigger: 'user' });
    expect(errors).toEqual([]);
    analytics.expectNoPII([t.email, 'nobody@example.com']);
  });

  it('reports feature adoption with the first use per user from the app’s own record', async () => {
    const { analytics, call, errors } = await instrumentedApp();
    const t = await signupTenant(call);
    const tech = await addUser(call, t.token, 'technician');
    analytics.expectEvent('feature_used', {
      feature: 'role_management',
      feature_category: 'advanced',
      is_first_use: true,
    });
    const ticket = { title: TITLE, board_id: t.board, priority_id: t.priority };
    await call('POST', '/api/tickets', t.token, ticket);
    await call('POST', '/api/tickets', t.token, ticket);
    await call('POST', '/api/tickets', tech.token, ticket);
    const uses = analytics.events
      .filter((e) => e.event === 'feature_used' && e.properties.feature === 'ticket_creation')
      .map((e) => [
        e.distinct_id === analytics.events.at(-1)?.distinct_id,
        e.properties.is_first_use,
      ]);
    expect(uses).toEqual([
      [false, true],
      [false, false],
      [true, true],
    ]);
    expect(errors).toEqual([]);
  });

  it('measures the billing run: slow_operation past the threshold on the performance clock', async () => {
    // A performance clock that moves 600 ms per reading: every measured operation takes 600 ms.
    let ms = 0;
    const { analytics, call } = await instrumentedApp({ now: () => (ms += 600) });
    const t = await signupTenant(call);
    const client = (await call('POST', '/api/clients', t.token, { name: 'Hooli' })).body.client;
    await call('POST', '/api/billing-rules', t.token, {
      client_id: client.id,
      type: 'fixed',
      name: 'Managed backup',
      amount_cents: 9_900,
    });
    const generate = { client_id: client.id, period_start: '2026-03-01', period_end: '2026-03-31' };
    expect((await call('POST', '/api/invoices/generate', t.token, generate)).status).toBe(201);
    analytics.expectEvent('slow_operation', { operation: 'billing.run_rules', duration_ms: 600 });
    analytics.expectNoEvent('operation_error');
  });

  it('emits nothing without analytics', async () => {
    const analytics = createTestAnalytics({ catalog: psaCatalog });
    const { call } = await makeApp();
    await signupTenant(call);
    expect(analytics.events).toEqual([]);
  });
});
