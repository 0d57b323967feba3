import { appendFileSync, mkdirSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WireEvent } from './transport/types.js';

/**
 * `local` mode: events are appended, one JSON object per line, to a file the customer's admin
 * can read; nothing is uploaded. The lines are exactly what `on` mode would send.
 */
export async function appendLocal(path: string, events: readonly WireEvent[]): Promise<void> {
  if (events.length === 0) return;
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, toLines(events), { mode: 0o640 });
}

/** The same, synchronously: for the last write at shutdown. */
export function appendLocalSync(path: string, events: readonly WireEvent[]): void {
  if (events.length === 0) return;
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, toLines(events), { mode: 0o640 });
}

function toLines(events: readonly WireEvent[]): string {
  return events.map((e) => `${JSON.stringify(e)}\n`).join('');
}
