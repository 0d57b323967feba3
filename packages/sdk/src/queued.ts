import type { CaptureContext } from './context.js';

/** What capture()/identify()/group()/alias() put on the queue: raw input, processed at flush. */
export type QueuedItem = QueuedCapture | QueuedIdentify | QueuedGroup | QueuedAlias;

interface QueuedBase {
  readonly uuid: string;
  /** Capture time, epoch ms. */
  readonly timestampMs: number;
  /** `local` when usage stats were local at capture time: such an event is never uploaded. */
  readonly mode: 'local' | 'on';
}

export interface QueuedCapture extends QueuedBase {
  readonly kind: 'capture';
  readonly event: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly context: CaptureContext | undefined;
}

export interface QueuedIdentify extends QueuedBase {
  readonly kind: 'identify';
  readonly userId: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly anonymousId: string | undefined;
}

export interface QueuedGroup extends QueuedBase {
  readonly kind: 'group';
  readonly tenantId: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface QueuedAlias extends QueuedBase {
  readonly kind: 'alias';
  readonly userId: string;
  readonly alias: string;
}
