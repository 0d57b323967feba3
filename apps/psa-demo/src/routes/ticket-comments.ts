import { Hono } from 'hono';
import { z } from 'zod';
import type { PsaDeps, PsaEnv } from '../context.js';
import { inTransaction } from '../db/transaction.js';
import { PsaError } from '../errors.js';
import type { CommentRow, TicketRow } from '../records.js';
import { requireRole } from '../session.js';
import { loadTicket, TICKET_SELECT } from '../ticket-store.js';
import { readBody, uuidParam } from '../validation.js';

const commentSchema = z.object({
  body: z.string().trim().min(1).max(20_000),
  is_internal: z.boolean().optional(),
  is_resolution: z.boolean().optional(),
});

export function commentRoutes(deps: PsaDeps): Hono<PsaEnv> {
  const app = new Hono<PsaEnv>();

  app.post('/tickets/:id/comments', async (c) => {
    const s = c.get('session');
    requireRole(s, 'admin', 'dispatcher', 'technician', 'client_contact');
    const before = await loadTicket(deps.db, s, uuidParam(c.req.param('id')));
    const body = await readBody(c, commentSchema);
    // Portal contacts write public comments only; internal notes are for staff.
    if (s.role === 'client_contact' && body.is_internal === true) throw new PsaError('forbidden');
    const now = deps.now();
    const id = deps.ids.id();
    const comment = await inTransaction(deps.db, async (tx, defer) => {
      const inserted = await tx.query<CommentRow>(
        `INSERT INTO ticket_comments (id, tenant_id, ticket_id, author_id, body, is_internal,
           is_resolution, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [
          id,
          s.tenantId,
          before.id,
          s.userId,
          body.body,
          body.is_internal ?? false,
          body.is_resolution ?? false,
          now,
        ],
      );
      await tx.query(
        'UPDATE tickets SET comment_count = comment_count + 1, updated_at = $2 WHERE id = $1',
        [before.id, now],
      );
      const t = await tx.query<TicketRow>(`${TICKET_SELECT} WHERE t.id = $1`, [before.id]);
      const saved = inserted.rows[0] as CommentRow;
      defer(() => deps.hooks.commentAdded(t.rows[0] as TicketRow, saved, s));
      return saved;
    });
    return c.json({ comment }, 201);
  });

  return app;
}
