import { describe, expect, it } from 'vitest';
import { pollDelays, pollUntil } from '../../src/genesys/poll.js';
import { createRateLimiter, tokenBucketFor } from '../../src/genesys/rate-limit.js';

describe('pollDelays', () => {
  it('starts fast, grows, caps, and stops within the total', () => {
    const delays = [...pollDelays({ initialDelayMs: 100, factor: 2, maxDelayMs: 1_000, timeoutMs: 5_000 })];
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    expect(delays.reduce((s, d) => s + d, 0)).toBeLessThanOrEqual(5_000);
  });

  it('pollUntil returns the first value, or undefined when time runs out', async () => {
    let calls = 0;
    const found = await pollUntil(async () => (++calls === 3 ? 'done' : undefined), { initialDelayMs: 0, factor: 1, maxDelayMs: 1, timeoutMs: 50 });
    expect(found).toBe('done');
    expect(calls).toBe(3);
    const never = await pollUntil(async () => undefined, { initialDelayMs: 1, factor: 2, maxDelayMs: 4, timeoutMs: 10 });
    expect(never).toBeUndefined();
  });
});

describe('rate limit', () => {
  it('a bucket never lets more than the limit through in any minute', () => {
    for (const limit of [2, 10, 60, 300, 1000, 3000]) {
      const { burst, refillEveryMs } = tokenBucketFor(limit);
      expect(burst).toBeGreaterThanOrEqual(1);
      expect(burst + 60_000 / refillEveryMs).toBeLessThanOrEqual(limit);
    }
    expect(tokenBucketFor(300)).toEqual({ burst: 60, refillEveryMs: 250 });
  });

  it('runs the burst at once and holds the next request back', async () => {
    // 10 a minute: burst 2, then one every 7.5 s.
    const limiter = createRateLimiter({ requestsPerMinute: 10, maxConcurrent: 10 });
    const started: number[] = [];
    const tasks = [1, 2, 3].map((n) => limiter.schedule(async () => started.push(n)));
    await Promise.all(tasks.slice(0, 2));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([1, 2]);
    await limiter.stop();
    await expect(tasks[2]).rejects.toThrow();
    expect(started).toEqual([1, 2]);
  });

  it('0 turns the limit off (concurrency only)', async () => {
    const limiter = createRateLimiter({ requestsPerMinute: 0, maxConcurrent: 2 });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => limiter.schedule(async () => i)));
    expect(results).toHaveLength(50);
    await limiter.stop();
  });

  it('limiters are independent per instance', async () => {
    const first = createRateLimiter({ requestsPerMinute: 5, maxConcurrent: 5 });
    const second = createRateLimiter({ requestsPerMinute: 5, maxConcurrent: 5 });
    await first.schedule(async () => 1);
    // first's bucket (burst 1) is empty now; second's is not.
    expect(await second.schedule(async () => 2)).toBe(2);
    await Promise.all([first.stop(), second.stop()]);
  });
});
