/**
 * Per-token rate limit on events: a token bucket that refills at `eventsPerSecond` up to
 * `burst`. A request takes as many tokens as it has events, or is refused whole (429 with
 * Retry-After) so a client retries the same batch rather than a part of it.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(
    private readonly eventsPerSecond: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {}

  /** Returns 0 when allowed, else the seconds to wait. */
  take(token: string, events: number): number {
    const now = this.now();
    const bucket = this.buckets.get(token) ?? { tokens: this.burst, atMs: now };
    bucket.tokens = Math.min(
      this.burst,
      bucket.tokens + ((now - bucket.atMs) / 1000) * this.eventsPerSecond,
    );
    bucket.atMs = now;
    this.buckets.set(token, bucket);
    // A request bigger than the whole burst passes when the bucket is full (and empties it).
    if (events <= bucket.tokens || bucket.tokens >= this.burst) {
      bucket.tokens -= events;
      return 0;
    }
    const missing = Math.min(events, this.burst) - bucket.tokens;
    return Math.max(1, Math.ceil(missing / this.eventsPerSecond));
  }
}
