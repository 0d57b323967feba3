// Ticket titles, descriptions and comments as people write them: full of names, phone numbers
// and emails. The PSA stores them; Tally must never see them.
import type { Person } from './people.js';
import type { Random } from './random.js';

const ISSUES = [
  'Outlook keeps asking for password',
  'Printer on 2nd floor offline',
  'VPN disconnects every 10 minutes',
  'New laptop setup',
  'Cannot open shared drive',
  'Phone system drops calls',
  'MFA reset needed',
  'Wi-Fi slow in conference room',
  'QuickBooks will not start',
  'Teams camera not detected',
] as const;

export function ticketTitle(rng: Random, contact: Person): string {
  const issue = rng.pick(ISSUES);
  return rng.pick([
    `${issue} - ${contact.name}`,
    `${issue} (call ${contact.phone})`,
    `${contact.name}: ${issue.toLowerCase()}`,
    `${issue}, reported by ${contact.email}`,
  ]);
}

export function ticketDescription(rng: Random, contact: Person, address: string): string {
  return rng.pick([
    `${contact.name} called from ${contact.phone}. Best reached by email at ${contact.email}.`,
    `User ${contact.email} reports the problem since this morning. Office: ${address}.`,
    `Please call ${contact.name} back on ${contact.phone} before 5pm.`,
  ]);
}

export function staffComment(rng: Random, contact: Person, tech: Person): string {
  return rng.pick([
    `Spoke with ${contact.name} on ${contact.phone}, remoting in now.`,
    `Left a voicemail at ${contact.phone}; emailed ${contact.email} as well.`,
    `${tech.name} here: rebuilt the profile, waiting for ${contact.name} to confirm.`,
    `Escalated to vendor; reference sent to ${contact.email}.`,
  ]);
}

export function contactComment(rng: Random, contact: Person): string {
  return rng.pick([
    `Still happening. You can reach me at ${contact.phone}. - ${contact.name}`,
    `Thanks! Please email ${contact.email} when it is fixed.`,
    `I'm out this afternoon, call my cell ${contact.phone} instead.`,
  ]);
}

export function resolution(rng: Random, contact: Person): string {
  return rng.pick([
    `Fixed and confirmed with ${contact.name}.`,
    `Resolved; confirmation sent to ${contact.email}.`,
    `Replaced the cable; ${contact.name} (${contact.phone}) confirmed it works.`,
  ]);
}
