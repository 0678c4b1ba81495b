/**
 * Per-token request limit. Genesys allows 300 requests a minute per client-credentials token
 * (limit `client.credentials.token.rate.per.minute`, shared/reference/genesys-flow-api.md section 5).
 * A fixed window per token that opens with the token's first request; pure apart from the clock,
 * which is injected so tests need no timers. State lives on the instance, never in module globals.
 */

export interface RateDecision {
  allowed: boolean;
  /** The limit per window. */
  limit: number;
  /** Requests counted in the current window, this one included. */
  count: number;
  /** Whole seconds until the window resets (at least 1). */
  resetSeconds: number;
}

interface Window {
  start: number;
  count: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether the limiter is switched on (a limit of 0 means off). */
  get enabled(): boolean {
    return this.limit > 0;
  }

  /** Counts one request for `key` and says whether it is allowed. Rejected requests count too. */
  check(key: string): RateDecision {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size > 10_000) this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    const resetSeconds = Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
    return {
      allowed: !this.enabled || window.count <= this.limit,
      limit: this.limit,
      count: window.count,
      resetSeconds,
    };
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(key);
    }
  }
}
