import { defineEvent } from '../define/event.js';
import { prop } from '../define/property.js';

/**
 * Priority levels. Tenants define their own priorities; the host app maps each one to a level
 * here (the tenant's priority name is free text and is never sent).
 */
export const TICKET_PRIORITIES = ['low', 'medium', 'high', 'urgent', 'other'] as const;

/**
 * How a ticket came in. Prior art sent the raw `source` string, or `'unknown'` (§2.1).
 * `automation` is a workflow or rule acting on its own.
 */
export const TICKET_CHANNELS = [
  'manual',
  'email',
  'asset',
  'portal',
  'api',
  'integration',
  'automation',
] as const;

/** How a ticket update came in. */
export const TICKET_UPDATE_CHANNELS = [
  'manual',
  'email',
  'portal',
  'api',
  'integration',
  'automation',
] as const;

/** ITIL type, for tenants whose boards classify tickets. */
export const TICKET_TYPES = [
  'incident',
  'service_request',
  'problem',
  'change',
  'task',
  'other',
] as const;

/** Ticket fields an update can touch: field names, never their values. */
export const TICKET_FIELDS = [
  'title',
  'description',
  'status',
  'priority',
  'category',
  'subcategory',
  'board',
  'assigned_to',
  'additional_agents',
  'client',
  'contact',
  'location',
  'asset',
  'due_date',
  'estimated_hours',
  'tags',
  'custom_fields',
  'other',
] as const;

/** Fields a ticket search can match the query against. */
export const TICKET_SEARCH_FIELDS = [
  'title',
  'ticket_number',
  'description',
  'comments',
  'client',
  'contact',
  'asset',
  'tags',
] as const;

export const TICKET_SEARCH_FILTERS = [
  'status',
  'priority',
  'client',
  'assigned_to',
  'include_closed',
  'board',
  'category',
] as const;

export const COMMENT_AUTHOR_TYPES = ['msp', 'client', 'system', 'integration'] as const;

const ticketId = () => prop.id('Id of the ticket');
const priority = () => prop.enum(TICKET_PRIORITIES, 'Priority level of the ticket');

export const ticketEvents = {
  ticket_created: defineEvent({
    category: 'tickets',
    version: 1,
    description: 'A ticket was created, by a user, an inbound email, the client portal or the API.',
    firesWhen:
      'Once per ticket, after the create commits; creating from an asset fires one event, not two.',
    properties: {
      ticket_id: ticketId(),
      ticket_type: prop
        .enum(TICKET_TYPES, 'ITIL type of the ticket; omitted when the board has no types')
        .optional(),
      created_via: prop.enum(TICKET_CHANNELS, 'Channel the ticket was created through'),
      priority: priority(),
      priority_id: prop.id('Id of the tenant-defined priority record'),
      board_id: prop.id('Id of the board the ticket was filed on'),
      has_category: prop.boolean('Whether a category was set at creation'),
      has_subcategory: prop.boolean('Whether a subcategory was set at creation'),
      is_assigned: prop.boolean('Whether the ticket was assigned to someone at creation'),
      has_asset: prop.boolean('Whether the ticket is linked to an asset'),
      has_description: prop.boolean('Whether the ticket has a non-empty description'),
      used_template: prop.boolean('Whether the ticket was created from a ticket template'),
    },
  }),
  ticket_updated: defineEvent({
    category: 'tickets',
    version: 1,
    description: 'One or more fields of an existing ticket changed.',
    firesWhen: 'Once per saved update that changed at least one field, after it commits.',
    properties: {
      ticket_id: ticketId(),
      fields_updated: prop.enumList(TICKET_FIELDS, 'Names of the fields that changed'),
      is_status_change: prop.boolean('Whether the status changed'),
      is_assignment_change: prop.boolean('Whether the assigned agent changed'),
      is_priority_change: prop.boolean('Whether the priority changed'),
      updated_via: prop.enum(TICKET_UPDATE_CHANNELS, 'Channel the update came through'),
      is_bulk: prop.boolean('Whether the update was part of a bulk edit of several tickets'),
    },
  }),
  ticket_resolved: defineEvent({
    category: 'tickets',
    version: 1,
    description: 'A ticket moved into a closed (resolved) status.',
    firesWhen: 'When an update moves the ticket from an open status into a closed one.',
    properties: {
      ticket_id: ticketId(),
      time_to_resolution_minutes: prop.integer('Minutes from creation to this resolution', {
        min: 0,
        unit: 'minutes',
      }),
      priority: priority(),
      has_category: prop.boolean('Whether the ticket has a category'),
      category_id: prop.id('Id of the ticket category; omitted when it has none').optional(),
      was_assigned: prop.boolean('Whether the ticket was assigned to someone when resolved'),
      reopen_count: prop.integer('How many times the ticket was reopened before this resolution', {
        min: 0,
      }),
    },
  }),
  ticket_assigned: defineEvent({
    category: 'tickets',
    version: 1,
    description: 'A ticket was assigned to an agent, for the first time or again.',
    firesWhen: 'When the primary assignee changes to a non-empty value, after the change commits.',
    properties: {
      ticket_id: ticketId(),
      is_reassignment: prop.boolean('Whether the ticket already had an assignee before'),
      is_self_assignment: prop.boolean('Whether the user assigned the ticket to themselves'),
      time_to_first_assignment_minutes: prop
        .integer('Minutes from creation to this first assignment; omitted on a reassignment', {
          min: 0,
          unit: 'minutes',
        })
        .optional(),
    },
  }),
  ticket_deleted: defineEvent({
    category: 'tickets',
    version: 1,
    description: 'A ticket was deleted.',
    firesWhen: 'After the delete commits.',
    properties: {
      ticket_id: ticketId(),
      age_days: prop.integer('Days from creation to deletion', { min: 0, unit: 'days' }),
      was_resolved: prop.boolean('Whether the ticket was in a closed status'),
      had_comments: prop.boolean(
        'Whether the ticket had at least one comment (prior art always sent false)',
      ),
    },
  }),
  ticket_searched: defineEvent({
    category: 'tickets',
    version: 1,
    description:
      'A ticket search ran. Only the shape of the query is sent: never its text, and the host app must keep the query out of URLs it reports.',
    firesWhen: 'Once per executed search, after the results are counted.',
    properties: {
      query_length: prop.integer('Length of the query text', { min: 0, unit: 'characters' }),
      query_terms: prop.integer('Number of whitespace-separated terms in the query', { min: 0 }),
      search_fields: prop.enumList(TICKET_SEARCH_FIELDS, 'Fields the query was matched against'),
      filters_used: prop.flags(
        TICKET_SEARCH_FILTERS,
        'Which filters were applied, besides the query',
      ),
      result_count: prop.integer('Number of matching tickets', { min: 0 }),
      has_results: prop.boolean('Whether at least one ticket matched'),
      duration_ms: prop.number('Time the search took', { min: 0, unit: 'ms' }),
      limit: prop.integer('Page size requested', { min: 1 }),
    },
  }),
  ticket_comment_added: defineEvent({
    category: 'tickets',
    version: 1,
    description:
      'A comment was added to a ticket. The comment text is never sent, only its length.',
    firesWhen: 'When the comment is saved (or, for a scheduled comment, when it is published).',
    properties: {
      ticket_id: ticketId(),
      is_internal: prop.boolean('Whether the comment is internal (hidden from the client)'),
      is_resolution: prop.boolean('Whether the comment is marked as the resolution'),
      author_type: prop.enum(COMMENT_AUTHOR_TYPES, 'Who wrote the comment'),
      content_length: prop.integer('Length of the comment text', { min: 0, unit: 'characters' }),
      has_formatting: prop.boolean('Whether the comment uses rich-text formatting'),
      has_attachments: prop.boolean('Whether files were attached to the comment'),
    },
  }),
};
