import type { TicketField, TicketRecord, TicketStatusChange } from './ticket-records.js';
import { type Timestamp, toMs, toMsOrUndefined } from './timestamps.js';
import { isSame, isSet } from './values.js';

/** Which record keys make up each catalog field (`TICKET_FIELDS`), in the catalog's order. */
const FIELD_KEYS: ReadonlyArray<readonly [TicketField, ReadonlyArray<keyof TicketRecord>]> = [
  ['title', ['title']],
  ['description', ['description']],
  ['status', ['status', 'isClosed']],
  ['priority', ['priorityId', 'priority']],
  ['category', ['categoryId']],
  ['subcategory', ['subcategoryId']],
  ['board', ['boardId']],
  ['assigned_to', ['assigneeId']],
  ['additional_agents', ['additionalAgentIds']],
  ['client', ['clientId']],
  ['contact', ['contactId']],
  ['location', ['locationId']],
  ['asset', ['assetId']],
  ['due_date', ['dueAt']],
  ['estimated_hours', ['estimatedHours']],
  ['tags', ['tags']],
  ['custom_fields', ['customFields']],
];

/** The catalog fields whose values differ between two snapshots of one ticket. */
export function changedFields(before: TicketRecord, after: TicketRecord): TicketField[] {
  return FIELD_KEYS.filter(([, keys]) =>
    keys.some((k) => !isSame(comparable(before, k), comparable(after, k))),
  ).map(([field]) => field);
}

/** A column's value for comparison; the due date as an instant, however the row holds it. */
function comparable(ticket: TicketRecord, key: keyof TicketRecord): unknown {
  return key === 'dueAt' ? toMsOrUndefined(ticket.dueAt, 'dueAt') : ticket[key];
}

/** Whether a ticket had an assignee at any point before `before` (not only right before). */
export function wasEverAssigned(before: TicketRecord): boolean {
  return isSet(before.assigneeId) || isSet(before.firstAssignedAt);
}

/**
 * How many times the ticket went from a closed status back to an open one up to `untilMs`,
 * read from its status history (oldest first; a history that starts open counts from there).
 */
export function countReopens(
  history: readonly TicketStatusChange[] | null | undefined,
  untilMs: number,
): number {
  if (history === null || history === undefined) return 0;
  const changes = history
    .map((c, i) => ({ atMs: toMs(c.at as Timestamp, `statusHistory[${i}].at`), c }))
    .filter(({ atMs }) => atMs <= untilMs)
    .sort((a, b) => a.atMs - b.atMs);
  let reopens = 0;
  let wasClosed = false;
  for (const { c } of changes) {
    if (wasClosed && !c.isClosed) reopens++;
    wasClosed = c.isClosed;
  }
  return reopens;
}

const HTML_MARKUP = /<(b|strong|i|em|u|s|ul|ol|li|a|h[1-6]|code|pre|table|blockquote|img)\b/i;
const MARKDOWN_MARKUP = /(\*\*|__|~~|`|^#{1,6}\s|^\s*[-*+]\s|^\s*\d+\.\s|\[[^\]]+\]\([^)]+\))/m;

/** Whether a comment body uses rich-text formatting (plain text never does). */
export function hasFormatting(
  body: string,
  format: 'text' | 'html' | 'markdown' = 'text',
): boolean {
  if (format === 'html') return HTML_MARKUP.test(body);
  if (format === 'markdown') return MARKDOWN_MARKUP.test(body);
  return false;
}
