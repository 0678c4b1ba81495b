/**
 * Client-side limiter, one per connection (never module state): keeps a token under Genesys' 300
 * requests a minute (`client.credentials.token.rate.per.minute`, shared/reference/genesys-flow-api.md
 * section 5) so that 429s stay rare instead of being the steady state.
 *
 * How the server counts a minute is not documented (a fixed window in the emulator). A token bucket
 * that holds B requests and refills R a minute lets through at most B + R in any 60 s, whatever
 * window the server uses; with B + R = limit we never exceed it. B = 20 % of the limit gives short
 * bursts (a listing and a few exports) full speed and keeps 80 % of the limit as the sustained rate.
 */
import Bottleneck from 'bottleneck';

export interface RateLimitOptions {
  /** Requests a minute this client may send; 0 turns the limiter off (concurrency still applies). */
  requestsPerMinute: number;
  /** Requests in flight at once. */
  maxConcurrent: number;
}

export const DEFAULT_RATE_LIMIT: Readonly<RateLimitOptions> = Object.freeze({
  requestsPerMinute: 300,
  maxConcurrent: 16,
});

export interface TokenBucket {
  /** Requests that may go at once on a fresh bucket. */
  burst: number;
  /** One more request becomes available every this many milliseconds, up to `burst`. */
  refillEveryMs: number;
}

/** The bucket for a per-minute limit: `burst + 60_000 / refillEveryMs <= perMinute` (for limits of 2 and more). */
export function tokenBucketFor(perMinute: number): TokenBucket {
  const limit = Math.max(1, Math.floor(perMinute));
  const burst = Math.max(1, Math.floor(limit / 5));
  const sustained = Math.max(1, limit - burst);
  return { burst, refillEveryMs: 60_000 / sustained };
}

export interface RequestLimiter {
  /** Runs `task` when the bucket and the concurrency allow. */
  schedule<T>(task: () => Promise<T>): Promise<T>;
  /**
   * Requests the bucket would let through right now, counting the ones already scheduled (negative
   * when a backlog waits for the refill; Infinity without a limit). Synchronous: a mirror of the
   * bucket kept beside the limiter, so that a burst of calls in one tick is spread at once.
   */
  available(): number;
  /** Requests scheduled and not yet answered: at `maxConcurrent` or more, a new one would wait. */
  pending(): number;
  readonly maxConcurrent: number;
  /** Stops the refill timer; queued tasks are dropped. */
  stop(): Promise<void>;
}

export function createRateLimiter(options: Partial<RateLimitOptions> = {}): RequestLimiter {
  const { requestsPerMinute, maxConcurrent } = { ...DEFAULT_RATE_LIMIT, ...options };
  let settings: Bottleneck.ConstructorOptions = { maxConcurrent: Math.max(1, maxConcurrent) };
  if (requestsPerMinute > 0) {
    const bucket = tokenBucketFor(requestsPerMinute);
    settings = {
      ...settings,
      reservoir: bucket.burst,
      reservoirIncreaseAmount: 1,
      reservoirIncreaseInterval: bucket.refillEveryMs,
      reservoirIncreaseMaximum: bucket.burst,
      heartbeatInterval: heartbeatOf(bucket),
    };
  }
  const limiter = new Bottleneck(settings);
  let pending = 0;
  const mirror = bucketMirror(requestsPerMinute > 0 ? tokenBucketFor(requestsPerMinute) : undefined);
  return {
    schedule: (task) => {
      mirror.take();
      pending += 1;
      return limiter.schedule(task).finally(() => {
        pending -= 1;
      });
    },
    available: () => mirror.level(),
    pending: () => pending,
    maxConcurrent: Math.max(1, maxConcurrent),
    stop: () => limiter.stop({ dropWaitingJobs: true }),
  };
}

/** Bottleneck checks the refill on its heartbeat (250 ms by default): beat faster than we refill. */
function heartbeatOf(bucket: TokenBucket): number {
  return Math.max(10, Math.min(250, Math.floor(bucket.refillEveryMs / 4)));
}

/**
 * The bucket's level as the limiter sees it, computed from what was taken and the time since, never
 * above what Bottleneck's reservoir holds: it refills one whole request at a time, on a heartbeat at
 * least an interval after the last refill (so up to a heartbeat later each time), and the mirror
 * counts a refill only after an interval and a heartbeat. A mirror that counted fractions said "1
 * left" while the reservoir was empty, and the request sent there waited up to a refill (250 ms at
 * 300 a minute) while the next token had its whole burst.
 */
function bucketMirror(bucket: TokenBucket | undefined): { take(): void; level(): number } {
  if (!bucket) return { take: () => undefined, level: () => Number.POSITIVE_INFINITY };
  const step = bucket.refillEveryMs + heartbeatOf(bucket);
  let level = bucket.burst;
  let at = Date.now();
  const refill = (): void => {
    const now = Date.now();
    if (level >= bucket.burst) {
      at = now; // full: the next refill is an interval after the next take
      return;
    }
    const steps = Math.floor((now - at) / step);
    if (steps > 0) {
      level = Math.min(bucket.burst, level + steps);
      at += steps * step;
    }
  };
  return {
    take: () => {
      refill();
      level -= 1;
    },
    level: () => {
      refill();
      return level;
    },
  };
}
