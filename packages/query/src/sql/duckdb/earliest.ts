import type { RenderedSql } from '../params.js';

/** For `date_from: 'all'`: the project's first event, as epoch ms (NULL without events). */
export function renderEarliestEvent(projectId: number): RenderedSql {
  return {
    sql: 'SELECT epoch_ms(min(timestamp))::DOUBLE AS earliest_ms FROM events WHERE project_id = CAST($1 AS INTEGER)',
    params: [projectId],
  };
}
