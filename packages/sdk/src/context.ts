/** Who an event is about. Every id is pseudonymous: on-premise it leaves the process keyed-hashed. */
export interface CaptureContext {
  /** The acting user; becomes `distinct_id`. Without it the event is anonymous (no person profile). */
  readonly userId?: string;
  /** The customer company (MSP); sent as group type 0 so insights can count tenants. */
  readonly tenantId?: string;
  readonly sessionId?: string;
}
