// Realistic personal data for the PSA's rows: names, emails, phone numbers, street addresses.
// Everything made here is recorded in a PiiLedger, so a test can prove none of it reached Tally.
import type { Random } from './random.js';

const FIRST = [
  'Olivia',
  'Liam',
  'Amara',
  'Noah',
  'Sofia',
  'Mateo',
  'Priya',
  'Lucas',
  'Hannah',
  'Kenji',
  'Fatima',
  'Elias',
  'Chloe',
  'Tomasz',
  'Ingrid',
  'Diego',
  'Aisha',
  'Henrik',
  'Mei',
  'Gabriel',
  'Zoe',
  'Rafael',
  'Leila',
  'Oskar',
  'Nadia',
  'Jonas',
  'Beatriz',
  'Callum',
  'Yara',
  'Anton',
] as const;
const LAST = [
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Takahashi',
  'Fernandes',
  'Kowalski',
  'Haddad',
  'Brennan',
  'Schneider',
  'Castellano',
  'Nakamura',
  'Oyelaran',
  'Petrovic',
  'Delacroix',
  'Halvorsen',
  'Quintero',
  'Abernathy',
  'Vasquez',
  'Mbeki',
  'Lindgren',
  'Ostrowski',
  'Varga',
  'Ibarra',
] as const;
const COMPANY_A = [
  'Northwind',
  'Bluebird',
  'Harborview',
  'Copperleaf',
  'Summit',
  'Ironbridge',
  'Meadowlark',
  'Redwood',
  'Lakeshore',
  'Granite',
  'Silverline',
  'Brightwater',
] as const;
const COMPANY_B = [
  'Dental',
  'Logistics',
  'Law Group',
  'Architects',
  'Veterinary',
  'Bakery',
  'Accounting',
  'Clinic',
  'Realty',
  'Freight',
  'Studios',
  'Engineering',
] as const;
const MSP_SUFFIX = [
  'IT Services',
  'Managed IT',
  'Technology Partners',
  'Networks',
  'Tech',
] as const;
const STREETS = [
  'Maple Avenue',
  'Harbor Road',
  'Elm Street',
  'Kingsway',
  'Mill Lane',
  'Cedar Court',
  'Station Road',
  'Queen Street',
] as const;

export interface Person {
  readonly name: string;
  readonly email: string;
  readonly phone: string;
}

/** Every personal string the run put into the PSA; none may appear in a stored event. */
export interface PiiLedger {
  add(value: string): void;
  values(): string[];
}

export function createPiiLedger(): PiiLedger {
  const seen = new Set<string>();
  return {
    add: (v) => {
      seen.add(v);
    },
    values: () => [...seen],
  };
}

export interface People {
  person(domain: string): Person;
  company(): string;
  msp(): string;
  address(): string;
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/**
 * Makes unique people and companies. Emails carry a serial so they never collide across
 * tenants (the PSA's email is unique), and phone numbers are in the 555-01xx fiction range.
 */
export function createPeople(rng: Random, ledger: PiiLedger): People {
  let serial = 0;
  return {
    person(domain) {
      serial += 1;
      const first = rng.pick(FIRST);
      const last = rng.pick(LAST);
      const name = `${first} ${last}`;
      const email = `${slug(first)}.${slug(last)}${serial}@${domain}`;
      const phone = `+1 (${rng.int(201, 989)}) 555-${String(rng.int(100, 199)).padStart(4, '0')}`;
      const digits = `${rng.int(200, 989)}-555-${String(1000 + serial).slice(-4)}`;
      const p = { name, email, phone: rng.chance(0.5) ? phone : digits };
      ledger.add(p.name);
      ledger.add(p.email);
      ledger.add(p.phone);
      return p;
    },
    company() {
      serial += 1;
      const name = `${rng.pick(COMPANY_A)} ${rng.pick(COMPANY_B)} ${serial}`;
      ledger.add(name);
      return name;
    },
    msp() {
      serial += 1;
      const name = `${rng.pick(COMPANY_A)} ${rng.pick(MSP_SUFFIX)} ${serial}`;
      ledger.add(name);
      return name;
    },
    address() {
      const a = `${rng.int(10, 4999)} ${rng.pick(STREETS)}, Suite ${rng.int(100, 900)}`;
      ledger.add(a);
      return a;
    },
  };
}

/** The email domain of a company name. */
export function domainOf(company: string): string {
  return `${slug(company)}.example.com`;
}
