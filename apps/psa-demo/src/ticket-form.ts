// Which ticket form the PSA serves: the classic one, or the new one for tenants the
// `new-ticket-form` flag puts in its `test` variant (the "New ticket form" experiment, issue 6).
// The flag is asked where a ticket is submitted, so the SDK records the exposure there.
import type { Session } from './context.js';

export const TICKET_FORM_FLAG = 'new-ticket-form';
/** The flag's variant that gets the new form; `control`, `false` or no answer get the classic. */
export const NEW_TICKET_FORM_VARIANT = 'test';

export type TicketForm = 'new' | 'classic';

/** What the PSA needs of feature flags: the SDK's `Analytics` is one. */
export interface FlagReader {
  getFeatureFlag(
    key: string,
    context: { userId?: string; tenantId?: string },
  ): Promise<string | boolean | undefined>;
}

/** No flags: every flag is undecided, so every tenant gets the classic form. */
export const NO_FLAGS: FlagReader = Object.freeze({
  getFeatureFlag: async () => undefined,
});

/** The form for the caller's tenant; the flag is bucketed by tenant, so colleagues agree. */
export async function ticketFormFor(flags: FlagReader, session: Session): Promise<TicketForm> {
  const variant = await flags.getFeatureFlag(TICKET_FORM_FLAG, {
    userId: session.userId,
    tenantId: session.tenantId,
  });
  return variant === NEW_TICKET_FORM_VARIANT ? 'new' : 'classic';
}
