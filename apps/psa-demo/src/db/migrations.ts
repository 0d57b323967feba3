// Schema migrations, applied in order at startup and recorded in schema_migrations. Every row
// carries tenant_id so each query can be scoped to the caller's tenant. Times come from the app's
// injected clock, never from SQL now(), so a simulated run writes simulated times.

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tenants_users_sessions',
    sql: `
CREATE TABLE tenants (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE clients (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  name text NOT NULL,
  tax_rate_bps integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL
);
CREATE TABLE users (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  client_id uuid REFERENCES clients(id),
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  role text NOT NULL,
  password_hash text,
  is_active boolean NOT NULL DEFAULT true,
  last_login_at timestamptz,
  created_at timestamptz NOT NULL
);
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  provider text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE TABLE oauth_states (
  state text PRIMARY KEY,
  provider text NOT NULL,
  created_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE TABLE oauth_codes (
  code text PRIMARY KEY,
  state text NOT NULL REFERENCES oauth_states(state),
  provider text NOT NULL,
  email text NOT NULL
);`,
  },
  {
    version: 2,
    name: 'tickets',
    sql: `
CREATE TABLE boards (
  id uuid PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES tenants(id), name text NOT NULL
);
CREATE TABLE categories (
  id uuid PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES tenants(id), name text NOT NULL
);
CREATE TABLE priorities (
  id uuid PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES tenants(id), name text NOT NULL,
  level text NOT NULL
);
CREATE TABLE tickets (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  number integer NOT NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  status text NOT NULL,
  channel text NOT NULL,
  board_id uuid NOT NULL REFERENCES boards(id),
  priority_id uuid NOT NULL REFERENCES priorities(id),
  category_id uuid REFERENCES categories(id),
  client_id uuid REFERENCES clients(id),
  reported_by uuid NOT NULL REFERENCES users(id),
  assigned_to uuid REFERENCES users(id),
  reopen_count integer NOT NULL DEFAULT 0,
  comment_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  first_assigned_at timestamptz,
  resolved_at timestamptz,
  UNIQUE (tenant_id, number)
);
CREATE TABLE ticket_comments (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  author_id uuid NOT NULL REFERENCES users(id),
  body text NOT NULL,
  is_internal boolean NOT NULL,
  is_resolution boolean NOT NULL,
  created_at timestamptz NOT NULL
);`,
  },
  {
    version: 3,
    name: 'time_and_billing',
    sql: `
CREATE TABLE timesheets (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  user_id uuid NOT NULL REFERENCES users(id),
  period_start date NOT NULL,
  period_end date NOT NULL,
  status text NOT NULL,
  rejection_count integer NOT NULL DEFAULT 0,
  submitted_at timestamptz,
  decided_at timestamptz,
  decided_by uuid REFERENCES users(id),
  UNIQUE (user_id, period_start)
);
CREATE TABLE time_entries (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  user_id uuid NOT NULL REFERENCES users(id),
  ticket_id uuid REFERENCES tickets(id) ON DELETE SET NULL,
  timesheet_id uuid NOT NULL REFERENCES timesheets(id),
  work_date date NOT NULL,
  duration_minutes integer NOT NULL,
  is_billable boolean NOT NULL,
  notes text NOT NULL DEFAULT '',
  entry_method text NOT NULL,
  invoice_id uuid,
  created_at timestamptz NOT NULL
);
CREATE TABLE billing_rules (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  type text NOT NULL,
  name text NOT NULL,
  amount_cents integer NOT NULL,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL
);
CREATE TABLE invoices (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  number integer NOT NULL,
  status text NOT NULL,
  generation text NOT NULL,
  currency text NOT NULL,
  subtotal_cents integer NOT NULL,
  tax_cents integer NOT NULL,
  total_cents integer NOT NULL,
  paid_cents integer NOT NULL DEFAULT 0,
  credited_cents integer NOT NULL DEFAULT 0,
  period_start date,
  period_end date,
  created_at timestamptz NOT NULL,
  UNIQUE (tenant_id, number)
);
CREATE TABLE invoice_lines (
  id uuid PRIMARY KEY,
  invoice_id uuid NOT NULL REFERENCES invoices(id),
  description text NOT NULL,
  quantity numeric NOT NULL,
  unit_price_cents integer NOT NULL,
  amount_cents integer NOT NULL,
  billing_rule_id uuid REFERENCES billing_rules(id)
);
CREATE TABLE payments (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  invoice_id uuid NOT NULL REFERENCES invoices(id),
  amount_cents integer NOT NULL,
  method text NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE TABLE credits (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  amount_cents integer NOT NULL,
  remaining_cents integer NOT NULL,
  source text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE credit_applications (
  id uuid PRIMARY KEY,
  credit_id uuid NOT NULL REFERENCES credits(id),
  invoice_id uuid NOT NULL REFERENCES invoices(id),
  amount_cents integer NOT NULL,
  applied_at timestamptz NOT NULL
);`,
  },
  {
    version: 4,
    name: 'ticket_status_history_invoice_finalized_at',
    sql: `
CREATE TABLE ticket_status_changes (
  id uuid PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  status text NOT NULL,
  is_closed boolean NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX ticket_status_changes_ticket ON ticket_status_changes (ticket_id, at);
ALTER TABLE invoices ADD COLUMN finalized_at timestamptz;`,
  },
  {
    version: 5,
    name: 'insertion_order',
    // Rows written at the same (simulated) instant keep the order they were written in, whatever
    // their ids: random UUIDs do not sort by time.
    sql: `
ALTER TABLE ticket_status_changes ADD COLUMN seq bigserial;
ALTER TABLE ticket_comments ADD COLUMN seq bigserial;
ALTER TABLE invoice_lines ADD COLUMN position integer NOT NULL DEFAULT 0;`,
  },
  {
    version: 6,
    name: 'invoice_sent_at',
    sql: 'ALTER TABLE invoices ADD COLUMN sent_at timestamptz;',
  },
  {
    version: 7,
    name: 'feature_uses',
    sql: `
CREATE TABLE feature_uses (
  user_id uuid NOT NULL REFERENCES users(id),
  feature text NOT NULL,
  first_used_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, feature)
);`,
  },
  {
    version: 8,
    name: 'invoice_accounting_sync',
    // The last export of the invoice to the accounting system: never, synced or failed (with the
    // PSA's error code, never the remote message), the attempts so far and the remote record.
    sql: `
ALTER TABLE invoices ADD COLUMN sync_status text NOT NULL DEFAULT 'never';
ALTER TABLE invoices ADD COLUMN sync_error text;
ALTER TABLE invoices ADD COLUMN sync_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN synced_at timestamptz;
ALTER TABLE invoices ADD COLUMN accounting_ref text;`,
  },
];
