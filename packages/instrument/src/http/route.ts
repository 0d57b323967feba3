import { ROUTE_TEMPLATE_PATTERN, templatePath } from '@tally/catalog';

const MAX_ROUTE_LENGTH = 200;
const ROUTE = new RegExp(`^(?:${ROUTE_TEMPLATE_PATTERN.source})$`);
const SEGMENT = /^(?:[A-Za-z][A-Za-z_-]*[0-9]{0,3}|:[A-Za-z_][A-Za-z0-9_]*|\*)$/;

/** Hono's `:id{[0-9]+}` and Fastify's or Express 4's `:id(\\d+)` constrain a parameter. */
const PARAM_CONSTRAINT = /(:[A-Za-z_]\w*)(?:\{[^}]*\}|\([^)]*\))/g;

/** One template segment of any framework -> the catalog's form, or undefined if unknown. */
function segmentOf(segment: string): string | undefined {
  if (SEGMENT.test(segment)) return segment;
  const param = /^:([A-Za-z_]\w*)\??$/.exec(segment); // `:id?` optional (Express, Hono)
  if (param !== null) return `:${param[1]}`;
  if (/^\*\w*$/.test(segment)) return '*'; // Express 5 `*splat`
  if (/^\[\[?\.\.\.\w+\]\]?$/.test(segment)) return '*'; // Next.js `[...slug]`, `[[...slug]]`
  const dynamic = /^\[([A-Za-z_]\w*)\]$/.exec(segment); // Next.js `[id]`
  if (dynamic !== null) return `:${dynamic[1]}`;
  return undefined;
}

function fitLength(route: string): string {
  if (route.length <= MAX_ROUTE_LENGTH) return route;
  const cut = route.lastIndexOf('/', MAX_ROUTE_LENGTH - 2);
  return `${route.slice(0, cut)}/*`;
}

/**
 * A framework's route template in the catalog's form (`/api/v1/tickets/:id`): parameter
 * constraints and optional markers dropped, Next.js `[id]` as `:id`, catch-alls as `*`, route
 * groups `(name)` removed. A segment that is none of these (`health.json`) is read as a raw
 * path segment, so a developer's template can never carry an id into analytics.
 */
export function normalizeTemplate(template: string): string {
  if (ROUTE.test(template) && template.length <= MAX_ROUTE_LENGTH) return template;
  // Express 5 `{/:id}` optional groups: keep the inside.
  const plain = template.replace(PARAM_CONSTRAINT, '$1').replace(/[{}]/g, '');
  const segments: string[] = [];
  for (const segment of plain.split('/')) {
    if (segment === '' || /^\(.*\)$/.test(segment)) continue; // Next.js route group
    segments.push(segmentOf(segment) ?? segmentOfRaw(segment));
  }
  return fitLength(`/${segments.join('/')}`);
}

function segmentOfRaw(segment: string): string {
  const templated = templatePath(`/${segment}`).slice(1);
  return templated.split('/').every((s) => SEGMENT.test(s)) && templated !== '' ? templated : ':id';
}

/**
 * A raw request path (an unmatched route) as a template: query dropped; numbers, UUIDs, hex
 * ids, e-mails, tokens and other non-word segments replaced by placeholders (catalog's
 * `templatePath`, prior art §6 item 14).
 * @example
 * templateRawPath('/tickets/TIC-1234/notes?q=alice@example.com') // '/tickets/:id/notes'
 */
export function templateRawPath(path: string): string {
  const templated = templatePath(path);
  if (ROUTE.test(templated) && templated.length <= MAX_ROUTE_LENGTH) return templated;
  const segments = templated
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (SEGMENT.test(s) ? s : ':id'));
  return fitLength(`/${segments.join('/')}`);
}
