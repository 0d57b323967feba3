import type { EventInput, PsaCatalog } from '@tally/catalog';
import type { Timestamp } from './timestamps.js';

type In<N extends keyof PsaCatalog['events']> = EventInput<PsaCatalog, N>;

export type TicketPriorityLevel = In<'ticket_created'>['priority'];
export type TicketType = NonNullable<In<'ticket_created'>['ticket_type']>;
export type TicketChannel = In<'ticket_created'>['created_via'];
export type TicketUpdateChannel = In<'ticket_updated'>['updated_via'];
export type TicketField = In<'ticket_updated'>['fields_updated'][number];
export type TicketSearchField = In<'ticket_searched'>['search_fields'][number];
export type CommentAuthorType = In<'ticket_comment_added'>['author_type'];

/** One status change in the ticket's history (an audit row), oldest first. */
export interface TicketStatusChange {
  readonly at: Timestamp;
  /** Whether the status the ticket moved into is a closed (resolved) one. */
  readonly isClosed: boolean;
}

/**
 * A ticket as the PSA stores it: map your row onto this (nulls are fine where a column is
 * nullable). Free-text fields (`title`, `description`) are only compared between snapshots to
 * tell that they changed; their text never reaches an event. Extra columns are ignored.
 */
export interface TicketRecord {
  readonly id: string;
  readonly tenantId: string;
  /** The tenant's status (its id or name); compared only, never sent. */
  readonly status: string;
  /** Whether that status is a closed (resolved) one: your statuses table's flag. */
  readonly isClosed: boolean;
  /** The tenant's priority mapped to a level (tenant priority names are free text). */
  readonly priority: TicketPriorityLevel;
  readonly priorityId: string;
  readonly boardId: string;
  readonly ticketType?: TicketType | null | undefined;
  readonly categoryId?: string | null | undefined;
  readonly subcategoryId?: string | null | undefined;
  readonly assigneeId?: string | null | undefined;
  readonly additionalAgentIds?: readonly string[] | null | undefined;
  readonly clientId?: string | null | undefined;
  readonly contactId?: string | null | undefined;
  readonly locationId?: string | null | undefined;
  readonly assetId?: string | null | undefined;
  readonly title?: string | null | undefined;
  readonly description?: string | null | undefined;
  readonly dueAt?: Timestamp | null | undefined;
  readonly estimatedHours?: number | null | undefined;
  readonly tags?: readonly string[] | null | undefined;
  /** Custom field values by field id; compared only. */
  readonly customFields?: Readonly<Record<string, unknown>> | null | undefined;
  /** The template the ticket was created from, if any. */
  readonly templateId?: string | null | undefined;
  readonly createdAt: Timestamp;
  readonly updatedAt: Timestamp;
  /** When the ticket last moved into a closed status; the resolution moment on `after`. */
  readonly resolvedAt?: Timestamp | null | undefined;
  /** When the ticket was first assigned, if your app records it (tells reassignments apart). */
  readonly firstAssignedAt?: Timestamp | null | undefined;
  /**
   * How many times the ticket was reopened, if your app keeps a counter (as of the snapshot; on
   * `after` of a resolution, the reopens before it). Else `statusHistory` is counted.
   */
  readonly reopenCount?: number | null | undefined;
  /** Its status changes, oldest first, if your app keeps them; `reopen_count` counts from them. */
  readonly statusHistory?: readonly TicketStatusChange[] | null | undefined;
  /** Number of comments, for `ticket_deleted.had_comments`. */
  readonly commentCount?: number | null | undefined;
}

/** A saved ticket comment. Its body is measured (length, formatting), never sent. */
export interface TicketCommentRecord {
  readonly id: string;
  readonly ticketId: string;
  readonly body: string;
  /** How the body is stored: `text` is plain; `html` and `markdown` are checked for markup. */
  readonly bodyFormat?: 'text' | 'html' | 'markdown' | undefined;
  readonly isInternal: boolean;
  readonly isResolution: boolean;
  readonly authorType: CommentAuthorType;
  readonly attachmentCount?: number | null | undefined;
}

/**
 * One executed ticket search. `query` is measured (length, terms), never sent; filter values
 * are only checked for being set.
 */
export interface TicketSearchRecord {
  readonly query: string;
  readonly fields: readonly TicketSearchField[];
  readonly filters?:
    | {
        readonly statusIds?: readonly string[] | string | null | undefined;
        readonly priorityIds?: readonly string[] | string | null | undefined;
        readonly clientId?: string | null | undefined;
        readonly assigneeId?: string | null | undefined;
        readonly includeClosed?: boolean | null | undefined;
        readonly boardId?: string | null | undefined;
        readonly categoryId?: string | null | undefined;
      }
    | undefined;
  readonly resultCount: number;
  readonly durationMs: number;
  readonly limit: number;
}
