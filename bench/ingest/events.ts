// The events both ingestion benches send: what Tally's SDK puts on the wire for a feature use,
// 2,000 users over 50 tenants, one millisecond apart ending an hour ago.
import { uuidv7 } from '@tally/sdk';

export interface WireEvent {
  event: string;
  distinct_id: string;
  uuid: string;
  timestamp: string;
  properties: Record<string, unknown>;
}

export function makeWireEvents(count: number): WireEvent[] {
  const start = Date.now() - 3_600_000;
  return Array.from({ length: count }, (_, i) => ({
    event: 'feature_used',
    distinct_id: `user-${i % 2_000}`,
    uuid: uuidv7(start + i),
    timestamp: new Date(start + i).toISOString(),
    properties: {
      feature: 'ticket_creation',
      feature_category: 'ticketing',
      is_first_use: false,
      app_version: '1.42.0',
      deployment: 'hosted',
      environment: 'production',
      schema_version: 1,
      $lib: 'tally-node',
      $lib_version: '0.1.0',
      $groups: { tenant: `tenant-${i % 50}` },
    },
  }));
}
