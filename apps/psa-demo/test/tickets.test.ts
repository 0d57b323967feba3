import { type FlagReader, TICKET_FORM_FLAG } from '@tally/psa-demo';
import { describe, expect, it } from 'vitest';
import { addUser, makeApp, signupTenant } from './helpers.js';

async function setup() {
  const ctx = await makeApp();
  const t = await signupTenant(ctx.call);
  const tech = await addUser(ctx.call, t.token, 'technician');
  const newTicket = (extra: Record<string, unknown> = {}) =>
    ctx.call('POST', '/api/tickets', t.token, {
      title: 'Printer on floor 2 is jammed',
      board_id: t.board,
      priority_id: t.priority,
      ...extra,
    });
  return { ...ctx, t, tech, newTicket };
}

describe('tickets', () => {
  it('creates a ticket with a per-tenant number, status new and the priority level', async () => {
    const { newTicket, t } = await setup();
    const first = await newTicket({ category_id: t.category, description: 'Paper everywhere' });
    expect(first.status).toBe(201);
    expect(first.body.ticket).toMatchObject({
      number: 1001,
      status: 'new',
      priority_level: 'high',
      channel: 'manual',
      category_id: t.category,
      assigned_to: null,
    });
    expect((await newTicket()).body.ticket.number).toBe(1002);
  });

  it("tells which ticket form it served: new for the flag's test variant, else classic", async () => {
    const asked: Array<{ key: string; tenantId?: string; userId?: string }> = [];
    let variant: string | boolean | undefined = 'test';
    const flags: FlagReader = {
      getFeatureFlag: async (key, context) => {
        asked.push({ key, ...context });
        return variant;
      },
    };
    const { call } = await makeApp({ flags });
    const t = await signupTenant(call);
    const submit = () =>
      call('POST', '/api/tickets', t.token, {
        title: 'Printer on floor 2 is jammed',
        board_id: t.board,
        priority_id: t.priority,
      });
    const served = [];
    for (const answer of ['test', 'control', false, undefined]) {
      variant = answer;
      const res = await submit();
      expect(res.status).toBe(201);
      served.push(res.body.form);
    }
    expect(served).toEqual(['new', 'classic', 'classic', 'classic']);
    expect(asked[0]).toEqual({ key: TICKET_FORM_FLAG, userId: t.userId, tenantId: t.tenantId });
    // An invalid submission is refused before any form is served (no exposure).
    expect((await call('POST', '/api/tickets', t.token, { title: '' })).status).toBe(400);
    expect(asked).toHaveLength(4);
    // Without flags every tenant gets the classic form.
    expect((await setup().then((s) => s.newTicket())).body.form).toBe('classic');
  });

  it('names the invalid field: missing title, unknown board, priority of another tenant', async () => {
    const { call, newTicket, t } = await setup();
    expect((await newTicket({ title: '  ' })).body).toMatchObject({ field: 'title' });
    expect((await newTicket({ board_id: 'nope' })).body.field).toBe('board_id');
    const other = await signupTenant(call, 'Other MSP');
    const res = await newTicket({ priority_id: other.priority });
    expect(res).toMatchObject({ status: 400, body: { field: 'priority_id' } });
    const badAssignee = await newTicket({ assigned_to: other.userId });
    expect(badAssignee.body.field).toBe('assigned_to');
    void t;
  });

  it('runs the workflow: assign, reassign, work, resolve, reopen, close', async () => {
    const { call, clock, newTicket, t, tech } = await setup();
    const id = (await newTicket()).body.ticket.id;
    clock.advanceMinutes(30);
    const assigned = await call('PATCH', `/api/tickets/${id}`, t.token, { assigned_to: tech.id });
    expect(assigned.body.ticket).toMatchObject({ assigned_to: tech.id });
    expect(assigned.body.ticket.first_assigned_at).toBe('2026-03-02T09:30:00.000Z');
    const reassigned = await call('PATCH', `/api/tickets/${id}`, t.token, {
      assigned_to: t.userId,
    });
    expect(reassigned.body.ticket.first_assigned_at).toBe('2026-03-02T09:30:00.000Z');
    const working = await call('PATCH', `/api/tickets/${id}`, tech.token, {
      status: 'in_progress',
    });
    expect(working.body.ticket.status).toBe('in_progress');
    clock.advanceMinutes(90);
    const resolved = await call('POST', `/api/tickets/${id}/resolve`, tech.token);
    expect(resolved.body.ticket).toMatchObject({ status: 'resolved', reopen_count: 0 });
    expect(resolved.body.ticket.resolved_at).toBe('2026-03-02T11:00:00.000Z');
    const reopened = await call('POST', `/api/tickets/${id}/reopen`, tech.token);
    expect(reopened.body.ticket).toMatchObject({
      status: 'in_progress',
      reopen_count: 1,
      resolved_at: null,
    });
    const closed = await call('PATCH', `/api/tickets/${id}`, tech.token, { status: 'closed' });
    expect(closed.body.ticket.status).toBe('closed');
    // closed -> waiting is not a transition of the workflow
    const bad = await call('PATCH', `/api/tickets/${id}`, tech.token, { status: 'waiting' });
    expect(bad).toMatchObject({ status: 409, body: { error: 'invalid_transition' } });
    const again = await call('POST', `/api/tickets/${id}/reopen`, tech.token);
    expect(again.body.ticket.reopen_count).toBe(2);
    expect(again.body.ticket.status_history.map((h: { status: string }) => h.status)).toEqual([
      'new',
      'in_progress',
      'resolved',
      'in_progress',
      'closed',
      'in_progress',
    ]);
    const notClosed = await call('POST', `/api/tickets/${id}/reopen`, tech.token);
    expect(notClosed.status).toBe(409);
  });

  it('adds comments, hides internal notes from the client portal, counts them', async () => {
    const { call, newTicket, t, tech } = await setup();
    const client = (await call('POST', '/api/clients', t.token, { name: 'Globex' })).body.client;
    const contact = await addUser(call, t.token, 'client_contact', { client_id: client.id });
    const id = (await newTicket({ client_id: client.id })).body.ticket.id;
    const pub = await call('POST', `/api/tickets/${id}/comments`, tech.token, {
      body: 'On my way',
    });
    expect(pub.status).toBe(201);
    await call('POST', `/api/tickets/${id}/comments`, tech.token, {
      body: 'Customer is grumpy',
      is_internal: true,
    });
    const staffView = await call('GET', `/api/tickets/${id}`, tech.token);
    expect(staffView.body.comments).toHaveLength(2);
    expect(staffView.body.ticket.comment_count).toBe(2);
    const portalView = await call('GET', `/api/tickets/${id}`, contact.token);
    expect(portalView.body.comments.map((c: { body: string }) => c.body)).toEqual(['On my way']);
    const internal = await call('POST', `/api/tickets/${id}/comments`, contact.token, {
      body: 'x',
      is_internal: true,
    });
    expect(internal.status).toBe(403);
    expect((await call('POST', `/api/tickets/${id}/comments`, tech.token, {})).body.field).toBe(
      'body',
    );
  });

  it('lets a portal contact file and see only its own client tickets, never assign', async () => {
    const { call, newTicket, t } = await setup();
    const globex = (await call('POST', '/api/clients', t.token, { name: 'Globex' })).body.client;
    const initech = (await call('POST', '/api/clients', t.token, { name: 'Initech' })).body.client;
    const contact = await addUser(call, t.token, 'client_contact', { client_id: globex.id });
    const theirs = (await newTicket({ client_id: initech.id })).body.ticket.id;
    const filed = await call('POST', '/api/tickets', contact.token, {
      title: 'VPN down',
      board_id: t.board,
      priority_id: t.priority,
    });
    expect(filed.body.ticket).toMatchObject({ channel: 'portal', client_id: globex.id });
    expect((await call('GET', `/api/tickets/${theirs}`, contact.token)).status).toBe(404);
    const list = await call('GET', '/api/tickets', contact.token);
    expect(list.body.tickets.map((x: { id: string }) => x.id)).toEqual([filed.body.ticket.id]);
    const patch = await call('PATCH', `/api/tickets/${filed.body.ticket.id}`, contact.token, {
      status: 'closed',
    });
    expect(patch.status).toBe(403);
  });

  it('searches by title and number with filters, open tickets unless asked', async () => {
    const { call, newTicket, t, tech } = await setup();
    const a = (await newTicket({ title: 'Outlook crashes on start' })).body.ticket;
    await newTicket({ title: 'New laptop for Jane' });
    const c = (await newTicket({ title: 'Outlook password reset', assigned_to: tech.id })).body
      .ticket;
    await call('POST', `/api/tickets/${a.id}/resolve`, t.token);
    const open = await call('GET', '/api/tickets?q=outlook', t.token);
    expect(open.body.tickets.map((x: { id: string }) => x.id)).toEqual([c.id]);
    const all = await call('GET', '/api/tickets?q=OUTLOOK&include_closed=true', t.token);
    expect(all.body.total).toBe(2);
    const byNumber = await call('GET', `/api/tickets?q=%23${c.number}`, t.token);
    expect(byNumber.body.tickets[0].id).toBe(c.id);
    const mine = await call('GET', `/api/tickets?assigned_to=${tech.id}`, t.token);
    expect(mine.body.total).toBe(1);
    expect((await call('GET', '/api/tickets?q=100%25', t.token)).body.total).toBe(0);
    const terms = await call('GET', '/api/tickets?q=reset%20outlook', t.token);
    expect(terms.body.tickets.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect((await call('GET', '/api/tickets?limit=0', t.token)).body.field).toBe('limit');
  });

  it('deletes a ticket (dispatchers and admins only)', async () => {
    const { call, newTicket, t, tech } = await setup();
    const id = (await newTicket()).body.ticket.id;
    await call('POST', `/api/tickets/${id}/comments`, tech.token, { body: 'note' });
    expect((await call('DELETE', `/api/tickets/${id}`, tech.token)).status).toBe(403);
    expect((await call('DELETE', `/api/tickets/${id}`, t.token)).status).toBe(204);
    expect((await call('GET', `/api/tickets/${id}`, t.token)).status).toBe(404);
  });

  it('never shows, changes or deletes another tenant’s tickets', async () => {
    const { call, newTicket } = await setup();
    const id = (await newTicket()).body.ticket.id;
    const other = await signupTenant(call, 'Rival MSP');
    expect((await call('GET', `/api/tickets/${id}`, other.token)).status).toBe(404);
    expect((await call('PATCH', `/api/tickets/${id}`, other.token, { title: 'x' })).status).toBe(
      404,
    );
    expect((await call('DELETE', `/api/tickets/${id}`, other.token)).status).toBe(404);
    expect(
      (await call('POST', `/api/tickets/${id}/comments`, other.token, { body: 'x' })).status,
    ).toBe(404);
    expect((await call('GET', '/api/tickets?include_closed=true', other.token)).body.total).toBe(0);
    expect((await call('GET', '/api/tickets/not-a-uuid', other.token)).status).toBe(404);
  });
});
