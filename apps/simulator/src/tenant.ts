// One simulated MSP: its staff and client-portal contacts (each with a login method), its client
// companies and billing rules, created through the PSA's API as an admin would.
import { domainOf, type People, type Person } from './people.js';
import { expectOk, type PsaClient } from './psa-client.js';
import type { Random } from './random.js';

export type Persona = 'admin' | 'dispatcher' | 'technician' | 'billing_admin' | 'client_contact';
export type LoginMethod = 'credentials' | 'google' | 'microsoft' | 'keycloak';

export interface SimUser {
  readonly id: string;
  readonly persona: Persona;
  readonly person: Person;
  readonly password: string;
  readonly login: LoginMethod;
  readonly clientId: string | null;
  /** The session token while signed in. */
  token: string | undefined;
}

export interface SimTenant {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly rng: Random;
  readonly users: SimUser[];
  readonly clients: Array<{ id: string; name: string }>;
  readonly boards: string[];
  readonly categories: string[];
  /** Priority ids by level: low, medium, high, urgent. */
  readonly priorities: Record<string, string>;
  /** How busy the tenant is: 0.2 (small shop) to 1.5; most are small. */
  readonly activity: number;
  /** Who each ticket is about, so comments and searches can name them as people do. */
  readonly ticketContacts: Map<string, Person>;
  /** Tickets the PSA said it took through the new ticket form (the experiment's test variant). */
  readonly newFormTickets: Set<string>;
  /** Open tickets as the simulator last left them (status, assignee): who has work to do. */
  readonly open: Map<string, { status: string; assignee: string | null }>;
  /** Prepayment credits not yet used up, by client id. */
  readonly prepaid: Map<string, string>;
  /** The last day each client was billed up to (YYYY-MM-DD), by client id. */
  readonly billedThrough: Map<string, string>;
}

export function byPersona(t: SimTenant, persona: Persona): SimUser[] {
  return t.users.filter((u) => u.persona === persona);
}

const STAFF: Array<[Persona, number, number]> = [
  ['dispatcher', 1, 1],
  ['technician', 1, 3],
  ['billing_admin', 1, 1],
];

/** Signs the tenant up and creates its people, clients and billing rules. */
export async function setUpTenant(
  psa: PsaClient,
  rng: Random,
  people: People,
  index: number,
  password: () => string,
): Promise<SimTenant> {
  const company = people.msp();
  const domain = domainOf(company);
  const owner = people.person(domain);
  const ownerPassword = password();
  const signup = expectOk(
    await psa.call('POST', '/auth/signup', undefined, {
      company_name: company,
      name: owner.name,
      email: owner.email,
      password: ownerPassword,
    }),
    'signup',
  ).body;
  const adminToken: string = signup.token;
  // Each tenant leans on one OAuth provider, as a real MSP's identity provider would be.
  const provider = rng.pick(['google', 'microsoft', 'keycloak'] as const);
  const users: SimUser[] = [
    {
      id: signup.user.id,
      persona: 'admin',
      person: owner,
      password: ownerPassword,
      login: 'credentials',
      clientId: null,
      token: adminToken,
    },
  ];
  const addUser = async (persona: Persona, person: Person, clientId: string | null) => {
    const login: LoginMethod = rng.chance(0.4) ? provider : 'credentials';
    const pw = password();
    const res = expectOk(
      await psa.call('POST', '/api/users', adminToken, {
        email: person.email,
        name: person.name,
        role: persona,
        password: pw,
        ...(clientId === null ? {} : { client_id: clientId }),
      }),
      'create user',
    ).body;
    users.push({
      id: res.user.id,
      persona,
      person,
      password: pw,
      login,
      clientId,
      token: undefined,
    });
  };
  for (const [persona, min, max] of STAFF) {
    for (let i = rng.int(min, max); i > 0; i--) await addUser(persona, people.person(domain), null);
  }
  const clients: SimTenant['clients'] = [];
  const prepaid = new Map<string, string>();
  for (let i = rng.int(2, 3); i > 0; i--) {
    const name = people.company();
    const res = expectOk(
      await psa.call('POST', '/api/clients', adminToken, {
        name,
        tax_rate_bps: rng.pick([0, 500, 825]),
      }),
      'create client',
    ).body;
    clients.push({ id: res.client.id, name });
    for (let c = rng.chance(0.3) ? 2 : 1; c > 0; c--) {
      await addUser('client_contact', people.person(domainOf(name)), res.client.id);
    }
    expectOk(
      await psa.call('POST', '/api/billing-rules', adminToken, {
        client_id: res.client.id,
        type: 'hourly',
        name: 'Remote support, per hour',
        amount_cents: rng.pick([9500, 12500, 15000]),
      }),
      'billing rule',
    );
    if (rng.chance(0.3)) {
      // A prepaid block of hours: drawn down by the first invoices.
      const credit = expectOk(
        await psa.call('POST', '/api/credits', adminToken, {
          client_id: res.client.id,
          amount_cents: rng.pick([50000, 100000]),
          source: 'prepayment',
        }),
        'credit',
      ).body;
      prepaid.set(res.client.id, credit.credit.id);
    }
    if (rng.chance(0.5)) {
      expectOk(
        await psa.call('POST', '/api/billing-rules', adminToken, {
          client_id: res.client.id,
          type: 'fixed',
          name: 'Managed endpoints, monthly',
          amount_cents: rng.pick([45000, 90000, 150000]),
        }),
        'billing rule',
      );
    }
  }
  const list = async (what: string) =>
    expectOk(await psa.call('GET', `/api/${what}`, adminToken), what).body[what] as Array<{
      id: string;
      level?: string;
    }>;
  const priorities: Record<string, string> = {};
  for (const p of await list('priorities')) priorities[p.level as string] = p.id;
  return {
    index,
    id: signup.tenant.id,
    name: company,
    rng,
    users,
    clients,
    boards: (await list('boards')).map((b) => b.id),
    categories: (await list('categories')).map((c) => c.id),
    priorities,
    activity: 0.2 + 1.3 * rng.next() ** 3,
    ticketContacts: new Map(),
    newFormTickets: new Set(),
    billedThrough: new Map(),
    open: new Map(),
    prepaid,
  };
}
