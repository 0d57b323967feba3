import type { PsaCatalog } from '@tally/catalog';
import type { Analytics } from '@tally/sdk';

/**
 * What the instrumentation needs of a client: `capture` of the catalog's performance events.
 * An `Analytics` of `psaCatalog` or of a vendor's `extendCatalog(psaCatalog, ...)` fits.
 */
export type CaptureClient = Pick<Analytics<PsaCatalog>, 'capture'>;
