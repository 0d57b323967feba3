import { type Actor, assertSameRecord, contextOf, type Emitter } from './emit.js';
import { changedFields, countReopens, hasFormatting, wasEverAssigned } from './ticket-diff.js';
import type {
  TicketChannel,
  TicketCommentRecord,
  TicketRecord,
  TicketSearchRecord,
  TicketUpdateChannel,
} from './ticket-records.js';
import { daysBetween, minutesBetween, toMs, toMsOrUndefined } from './timestamps.js';
import { isSet } from './values.js';

export interface TicketCreatedOptions {
  /** Channel the ticket came in through. Default `manual`. */
  readonly via?: TicketChannel | undefined;
}

export interface TicketUpdatedOptions {
  /** Channel the update came through. Default `manual`. */
  readonly via?: TicketUpdateChannel | undefined;
  /** Whether the update was part of a bulk edit of several tickets. Default false. */
  readonly isBulk?: boolean | undefined;
}

export interface TicketTracker {
  /**
   * `ticket_created`, once per ticket (an asset-created ticket is one call, not two). An assignee
   * set at creation shows as `is_assigned`; no `ticket_assigned` fires, since the catalog fires
   * it on a change of assignee, and a later change of that assignee is a reassignment.
   */
  created(ticket: TicketRecord, actor: Actor, options?: TicketCreatedOptions): void;
  /**
   * Compares two snapshots of one ticket. Nothing changed: no event. Otherwise `ticket_updated`,
   * then `ticket_assigned` when the assignee became someone (a reassignment when the ticket had
   * an assignee now or ever before), then `ticket_resolved` when it moved from open to closed.
   */
  updated(
    before: TicketRecord,
    after: TicketRecord,
    actor: Actor,
    options?: TicketUpdatedOptions,
  ): void;
  /** `ticket_deleted`; the age is measured to now (the trackers' clock). */
  deleted(ticket: TicketRecord, actor: Actor): void;
  /** `ticket_comment_added`: the body's length and formatting only. */
  commented(comment: TicketCommentRecord, actor: Actor): void;
  /** `ticket_searched`: the query's length and term count, which filters were set, the count. */
  searched(search: TicketSearchRecord, actor: Actor): void;
}

export function createTicketTracker(out: Emitter): TicketTracker {
  return {
    created(ticket, actor, options = {}) {
      out.guard('ticket_created', () => {
        out.emit(
          'ticket_created',
          {
            ticket_id: ticket.id,
            ...(isSet(ticket.ticketType) ? { ticket_type: ticket.ticketType } : {}),
            created_via: options.via ?? 'manual',
            priority: ticket.priority,
            priority_id: ticket.priorityId,
            board_id: ticket.boardId,
            has_category: isSet(ticket.categoryId),
            has_subcategory: isSet(ticket.subcategoryId),
            is_assigned: isSet(ticket.assigneeId),
            has_asset: isSet(ticket.assetId),
            has_description: isSet(ticket.description?.trim()),
            used_template: isSet(ticket.templateId),
          },
          contextOf(actor),
        );
      });
    },

    updated(before, after, actor, options = {}) {
      out.guard('ticket_updated', () => {
        assertSameRecord(before, after);
        const fields = changedFields(before, after);
        if (fields.length === 0) return;
        const who = contextOf(actor);
        const createdMs = toMs(after.createdAt, 'createdAt');
        const updatedMs = toMs(after.updatedAt, 'updatedAt');
        const isAssignmentChange = fields.includes('assigned_to');
        const isResolution = !before.isClosed && after.isClosed;
        // Everything is computed before anything is emitted: a malformed record emits nothing.
        const assigned =
          isAssignmentChange && isSet(after.assigneeId)
            ? assignment(before, after, actor, createdMs, updatedMs)
            : undefined;
        const resolved = isResolution ? resolution(before, after, createdMs, updatedMs) : undefined;
        out.emit(
          'ticket_updated',
          {
            ticket_id: after.id,
            fields_updated: fields,
            is_status_change: fields.includes('status'),
            is_assignment_change: isAssignmentChange,
            is_priority_change: fields.includes('priority'),
            updated_via: options.via ?? 'manual',
            is_bulk: options.isBulk ?? false,
          },
          who,
        );
        if (assigned !== undefined) out.emit('ticket_assigned', assigned, who);
        if (resolved !== undefined) out.emit('ticket_resolved', resolved, who);
      });
    },

    deleted(ticket, actor) {
      out.guard('ticket_deleted', () => {
        out.emit(
          'ticket_deleted',
          {
            ticket_id: ticket.id,
            age_days: daysBetween(toMs(ticket.createdAt, 'createdAt'), out.now()),
            was_resolved: ticket.isClosed,
            had_comments: (ticket.commentCount ?? 0) > 0,
          },
          contextOf(actor),
        );
      });
    },

    commented(comment, actor) {
      out.guard('ticket_comment_added', () => {
        out.emit(
          'ticket_comment_added',
          {
            ticket_id: comment.ticketId,
            is_internal: comment.isInternal,
            is_resolution: comment.isResolution,
            author_type: comment.authorType,
            content_length: comment.body.length,
            has_formatting: hasFormatting(comment.body, comment.bodyFormat),
            has_attachments: (comment.attachmentCount ?? 0) > 0,
          },
          contextOf(actor),
        );
      });
    },

    searched(search, actor) {
      out.guard('ticket_searched', () => {
        const f = search.filters ?? {};
        const trimmed = search.query.trim();
        out.emit(
          'ticket_searched',
          {
            query_length: trimmed.length,
            query_terms: trimmed === '' ? 0 : trimmed.split(/\s+/).length,
            search_fields: [...new Set(search.fields)],
            filters_used: {
              status: isFilterSet(f.statusIds),
              priority: isFilterSet(f.priorityIds),
              client: isFilterSet(f.clientId),
              assigned_to: isFilterSet(f.assigneeId),
              include_closed: f.includeClosed === true,
              board: isFilterSet(f.boardId),
              category: isFilterSet(f.categoryId),
            },
            result_count: search.resultCount,
            has_results: search.resultCount > 0,
            duration_ms: Math.max(0, search.durationMs),
            limit: search.limit,
          },
          contextOf(actor),
        );
      });
    },
  };
}

/**
 * `ticket_assigned` for an update that set a non-empty assignee. A reassignment is a ticket that
 * had an assignee before this update, or ever (`firstAssignedAt`): a ticket unassigned and then
 * assigned again is not a first assignment, so its time to first assignment is not sent again.
 */
function assignment(
  before: TicketRecord,
  after: TicketRecord,
  actor: Actor,
  createdMs: number,
  updatedMs: number,
) {
  const isReassignment = wasEverAssigned(before);
  // The app's own stamp of this first assignment, when it keeps one, else the update's time.
  const assignedMs = toMsOrUndefined(after.firstAssignedAt, 'firstAssignedAt') ?? updatedMs;
  return {
    ticket_id: after.id,
    is_reassignment: isReassignment,
    is_self_assignment: after.assigneeId === actor.userId,
    ...(isReassignment
      ? {}
      : { time_to_first_assignment_minutes: minutesBetween(createdMs, assignedMs) }),
  };
}

/**
 * `ticket_resolved`: minutes from the ticket's creation to this resolution, and the reopens
 * before it (the app's `reopenCount`, else counted in its status history). A ticket reopened and resolved again counts from creation, not
 * from the reopen. The resolution moment is `after.resolvedAt`, unless it is the same as
 * `before.resolvedAt`: an app that keeps the old stamp on reopen has not stamped this resolution,
 * so the update's `updatedAt` is used.
 */
function resolution(
  before: TicketRecord,
  after: TicketRecord,
  createdMs: number,
  updatedMs: number,
) {
  const resolvedAtMs = toMsOrUndefined(after.resolvedAt, 'resolvedAt');
  const isStale =
    resolvedAtMs !== undefined && resolvedAtMs === toMsOrUndefined(before.resolvedAt, 'resolvedAt');
  const resolvedMs = resolvedAtMs === undefined || isStale ? updatedMs : resolvedAtMs;
  return {
    ticket_id: after.id,
    time_to_resolution_minutes: minutesBetween(createdMs, resolvedMs),
    priority: after.priority,
    has_category: isSet(after.categoryId),
    ...(isSet(after.categoryId) ? { category_id: after.categoryId } : {}),
    was_assigned: isSet(after.assigneeId),
    reopen_count: isSet(after.reopenCount)
      ? Math.max(0, after.reopenCount)
      : countReopens(after.statusHistory, resolvedMs),
  };
}

function isFilterSet(value: readonly string[] | string | null | undefined): boolean {
  return Array.isArray(value) ? value.length > 0 : isSet(value);
}
