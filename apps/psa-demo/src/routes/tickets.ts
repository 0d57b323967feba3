// Tickets: create, read, search, update (status workflow, assignment), resolve, reopen, delete.
// Comments live in ticket-comments.ts.
import { Hono } from 'hono';
import { z } from 'zod';
import type { PsaDeps, PsaEnv, Session } from '../context.js';
import { inTransaction } from '../db/transaction.js';
import { PsaError } from '../errors.js';
import { useFeature } from '../features.js';
import { TICKET_STATUSES, type TicketRow } from '../records.js';
import { requireRole } from '../session.js';
import { ticketFormFor } from '../ticket-form.js';
import {
  assertAssignable,
  assertInTenant,
  loadTicket,
  recordStatus,
  TICKET_SELECT,
  type TicketChanges,
  writeTicketChanges,
} from '../ticket-store.js';
import { parseWith, readBody, uuidParam } from '../validation.js';

const title = z.string().trim().min(1).max(300);
const description = z.string().max(20_000);

const createSchema = z.object({
  title,
  description: description.optional(),
  board_id: z.uuid(),
  priority_id: z.uuid(),
  category_id: z.uuid().optional(),
  client_id: z.uuid().optional(),
  assigned_to: z.uuid().optional(),
  channel: z.enum(['manual', 'email', 'api']).optional(),
});

const updateSchema = z
  .object({
    title,
    description,
    status: z.enum(TICKET_STATUSES),
    priority_id: z.uuid(),
    category_id: z.uuid().nullable(),
    board_id: z.uuid(),
    assigned_to: z.uuid().nullable(),
  })
  .partial();

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const searchSchema = z.object({
  q: z.string().max(200).optional(),
  status: z.enum(TICKET_STATUSES).optional(),
  priority_id: z.uuid().optional(),
  assigned_to: z.uuid().optional(),
  board_id: z.uuid().optional(),
  category_id: z.uuid().optional(),
  include_closed: flag.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  offset: z.coerce.number().int().min(0).default(0),
});

const STAFF_WRITERS = ['admin', 'dispatcher', 'technician'] as const;

export function ticketRoutes(deps: PsaDeps): Hono<PsaEnv> {
  const app = new Hono<PsaEnv>();

  app.post('/tickets', async (c) => {
    const s = c.get('session');
    requireRole(s, ...STAFF_WRITERS, 'client_contact');
    const body = await readBody(c, createSchema);
    const isPortal = s.role === 'client_contact';
    if (isPortal && body.assigned_to !== undefined) throw new PsaError('forbidden');
    await assertInTenant(deps.db, 'boards', body.board_id, s.tenantId, 'board_id');
    await assertInTenant(deps.db, 'priorities', body.priority_id, s.tenantId, 'priority_id');
    if (body.category_id !== undefined) {
      await assertInTenant(deps.db, 'categories', body.category_id, s.tenantId, 'category_id');
    }
    if (body.client_id !== undefined && !isPortal) {
      await assertInTenant(deps.db, 'clients', body.client_id, s.tenantId, 'client_id');
    }
    if (body.assigned_to !== undefined)
      await assertAssignable(deps.db, body.assigned_to, s.tenantId);
    // The form the ticket came in through (exposure first, then ticket_created): the client is
    // told, and the "New ticket form" experiment compares the two.
    const form = await ticketFormFor(deps.flags, s);
    const now = deps.now();
    const id = deps.ids.id();
    const ticket = await inTransaction(deps.db, async (tx, defer) => {
      await tx.query(
        `INSERT INTO tickets (id, tenant_id, number, title, description, status, channel, board_id,
           priority_id, category_id, client_id, reported_by, assigned_to, created_at, updated_at,
           first_assigned_at)
         VALUES ($1, $2, (SELECT COALESCE(MAX(number), 1000) + 1 FROM tickets WHERE tenant_id = $2),
           $3, $4, 'new', $5, $6, $7, $8, $9, $10, $11, $12, $12, $13)`,
        [
          id,
          s.tenantId,
          body.title,
          body.description ?? '',
          isPortal ? 'portal' : (body.channel ?? 'manual'),
          body.board_id,
          body.priority_id,
          body.category_id ?? null,
          isPortal ? s.clientId : (body.client_id ?? null),
          s.userId,
          body.assigned_to ?? null,
          now,
          body.assigned_to === undefined ? null : now,
        ],
      );
      await recordStatus(tx, deps.ids, id, 'new', now);
      const { rows } = await tx.query<TicketRow>(`${TICKET_SELECT} WHERE t.id = $1`, [id]);
      const created = rows[0] as TicketRow;
      defer(() => deps.hooks.ticketCreated(created, s));
      return created;
    });
    await useFeature(deps, s, isPortal ? 'client_portal' : 'ticket_creation');
    return c.json({ ticket, form }, 201);
  });

  // Search and list. The query text matches title and number; it is never reported.
  app.get('/tickets', async (c) => {
    const s = c.get('session');
    const q = parseWith(searchSchema, c.req.query());
    const started = performance.now();
    const where = ['t.tenant_id = $1'];
    const params: unknown[] = [s.tenantId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (s.role === 'client_contact') add('t.client_id = ?', s.clientId);
    if (q.q !== undefined && q.q.trim() !== '') {
      // Every term must appear in the title (any order); or the query is the ticket's number.
      const text = q.q.trim();
      const terms = text.split(/\s+/).slice(0, 10);
      const likes = terms.map((term) => {
        params.push(`%${term.replace(/[\\%_]/g, '\\$&')}%`);
        return `t.title ILIKE $${params.length}`;
      });
      params.push(text.replace(/^#/, ''));
      where.push(`((${likes.join(' AND ')}) OR t.number::text = $${params.length})`);
    }
    if (q.status !== undefined) add('t.status = ?', q.status);
    else if (q.include_closed !== true) where.push(`t.status NOT IN ('resolved', 'closed')`);
    if (q.priority_id !== undefined) add('t.priority_id = ?', q.priority_id);
    if (q.assigned_to !== undefined) add('t.assigned_to = ?', q.assigned_to);
    if (q.board_id !== undefined) add('t.board_id = ?', q.board_id);
    if (q.category_id !== undefined) add('t.category_id = ?', q.category_id);
    const clause = where.join(' AND ');
    const total = await deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM tickets t WHERE ${clause}`,
      params,
    );
    const { rows } = await deps.db.query<TicketRow>(
      `${TICKET_SELECT} WHERE ${clause} ORDER BY t.number DESC LIMIT ${q.limit} OFFSET ${q.offset}`,
      params,
    );
    const resultCount = total.rows[0]?.n ?? 0;
    if (q.q !== undefined) {
      deps.hooks.ticketsSearched(
        {
          query: q.q,
          filters: {
            status: q.status !== undefined,
            priority: q.priority_id !== undefined,
            assigned_to: q.assigned_to !== undefined,
            include_closed: q.include_closed === true,
            board: q.board_id !== undefined,
            category: q.category_id !== undefined,
          },
          resultCount,
          durationMs: performance.now() - started,
          limit: q.limit,
        },
        s,
      );
    }
    return c.json({ tickets: rows, total: resultCount });
  });

  app.get('/tickets/:id', async (c) => {
    const s = c.get('session');
    const ticket = await loadTicket(deps.db, s, uuidParam(c.req.param('id')));
    const { rows: comments } = await deps.db.query(
      `SELECT id, author_id, body, is_internal, is_resolution, created_at FROM ticket_comments
       WHERE ticket_id = $1 AND ($2 OR NOT is_internal) ORDER BY created_at, seq`,
      [ticket.id, s.role !== 'client_contact'],
    );
    return c.json({ ticket, comments });
  });

  const update = async (s: Session, id: string | null, changes: TicketChanges) => {
    const before = await loadTicket(deps.db, s, id);
    if (changes.priority_id !== undefined) {
      await assertInTenant(deps.db, 'priorities', changes.priority_id, s.tenantId, 'priority_id');
    }
    if (changes.board_id !== undefined) {
      await assertInTenant(deps.db, 'boards', changes.board_id, s.tenantId, 'board_id');
    }
    if (changes.category_id != null) {
      await assertInTenant(deps.db, 'categories', changes.category_id, s.tenantId, 'category_id');
    }
    if (changes.assigned_to != null)
      await assertAssignable(deps.db, changes.assigned_to, s.tenantId);
    return inTransaction(deps.db, async (tx, defer) => {
      const after = await writeTicketChanges(tx, before, changes, deps.now(), deps.ids);
      defer(() => deps.hooks.ticketUpdated(before, after, s));
      return after;
    });
  };

  app.patch('/tickets/:id', async (c) => {
    const s = c.get('session');
    requireRole(s, ...STAFF_WRITERS);
    const body = await readBody(c, updateSchema);
    const changes: TicketChanges = {};
    for (const [k, v] of Object.entries(body)) {
      if (v !== undefined) Object.assign(changes, { [k]: v });
    }
    return c.json({ ticket: await update(s, uuidParam(c.req.param('id')), changes) });
  });

  app.post('/tickets/:id/resolve', async (c) => {
    const s = c.get('session');
    requireRole(s, ...STAFF_WRITERS);
    return c.json({
      ticket: await update(s, uuidParam(c.req.param('id')), { status: 'resolved' }),
    });
  });

  app.post('/tickets/:id/reopen', async (c) => {
    const s = c.get('session');
    requireRole(s, ...STAFF_WRITERS, 'client_contact');
    const before = await loadTicket(deps.db, s, uuidParam(c.req.param('id')));
    if (before.status !== 'resolved' && before.status !== 'closed') {
      throw new PsaError('invalid_transition');
    }
    return c.json({ ticket: await update(s, before.id, { status: 'in_progress' }) });
  });

  app.delete('/tickets/:id', async (c) => {
    const s = c.get('session');
    requireRole(s, 'admin', 'dispatcher');
    const ticket = await loadTicket(deps.db, s, uuidParam(c.req.param('id')));
    await deps.db.query('DELETE FROM tickets WHERE id = $1 AND tenant_id = $2', [
      ticket.id,
      s.tenantId,
    ]);
    deps.hooks.ticketDeleted(ticket, s);
    return c.body(null, 204);
  });

  return app;
}
