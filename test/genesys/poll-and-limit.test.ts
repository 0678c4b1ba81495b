import { describe, expect, it } from 'vitest';
import {
  JobDurations,
  JobWatch,
  pollDelays,
  pollUntil,
  pollUntilDeadline,
  type PollOptions,
  type Wake,
} from '../../src/genesys/poll.js';
import { createRateLimiter, tokenBucketFor } from '../../src/genesys/rate-limit.js';

describe('pollDelays', () => {
  it('starts fast, grows, caps, and stops within the total', () => {
    const delays = [...pollDelays({ initialDelayMs: 100, factor: 2, maxDelayMs: 1_000, timeoutMs: 5_000 })];
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    expect(delays.reduce((s, d) => s + d, 0)).toBeLessThanOrEqual(5_000);
  });

  it('waits a learned first delay, looks again a twentieth of it later, then the usual schedule; JobDurations learns the median of recent jobs', () => {
    const base = { initialDelayMs: 100, factor: 2, maxDelayMs: 1_000, timeoutMs: 2_000 };
    expect([...pollDelays({ ...base, firstDelayMs: 900 })]).toEqual([900, 45, 100, 200, 400]);
    // The second look is never under 20 ms, and only when it comes before the usual first wait.
    expect([...pollDelays({ ...base, firstDelayMs: 300 })]).toEqual([300, 20, 100, 200, 400, 800]);
    expect([...pollDelays({ ...base, firstDelayMs: 1_900 })]).toEqual([1_900, 95]);
    expect([...pollDelays({ ...base, initialDelayMs: 40, firstDelayMs: 1_000 })].slice(0, 2)).toEqual([1_000, 40]);
    // A learned delay shorter than the first usual one, or longer than the bound, changes nothing.
    expect([...pollDelays({ ...base, firstDelayMs: 50 })]).toEqual([...pollDelays(base)]);
    expect([...pollDelays({ ...base, firstDelayMs: 5_000 })]).toEqual([...pollDelays(base)]);
    const durations = new JobDurations([], 3);
    expect(durations.firstDelayMs()).toBeUndefined();
    durations.observe(1_300, 1_500); // running at 1.3 s, done at 1.5 s: about 1.4 s
    expect(durations.firstDelayMs()).toBe(1_358);
    durations.observe(0, 1_000); // done at its first check: at most 1 s
    durations.observe(2_900, 3_100);
    expect(durations.firstDelayMs()).toBe(1_358); // the median of 1.0, 1.4, 3.0 s, 97 %
    durations.observe(0, 200);
    durations.observe(0, 200);
    expect(durations.firstDelayMs()).toBe(194); // only the last three count
    // What an earlier run learned is where the next one starts (the last `keep` of it).
    expect(new JobDurations(durations.known(), 3).firstDelayMs()).toBe(194);
    expect(new JobDurations([5_000, 1_000, 1_000, 1_200], 3).firstDelayMs()).toBe(970);
  });

  it('pollUntil returns the first value, or undefined when time runs out', async () => {
    let calls = 0;
    const found = await pollUntil(async () => (++calls === 3 ? 'done' : undefined), {
      initialDelayMs: 0,
      factor: 1,
      maxDelayMs: 1,
      timeoutMs: 50,
    });
    expect(found).toBe('done');
    expect(calls).toBe(3);
    const never = await pollUntil(async () => undefined, {
      initialDelayMs: 1,
      factor: 2,
      maxDelayMs: 4,
      timeoutMs: 10,
    });
    expect(never).toBeUndefined();
  });
});

describe('a job seen done wakes the others that have run as long', () => {
  const slow = { initialDelayMs: 5_000, factor: 1, maxDelayMs: 5_000, timeoutMs: 20_000 };

  it('a watch whose sibling finishes checks at once, not after its 5 s wait', async () => {
    const durations = new JobDurations([10], 9); // jobs like this take about 10 ms
    const watch = new JobWatch(durations);
    const started = Date.now();
    setTimeout(() => durations.observe(0, 10), 200); // a sibling is seen done
    let checks = 0;
    const result = await pollUntilDeadline(async () => (++checks === 1 ? 'done' : undefined), {
      ...watch.pollOptions(slow),
      firstDelayMs: undefined,
    });
    expect(result).toBe('done');
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('a watch younger than what jobs take is not woken; without durations there is no wake-up', async () => {
    const durations = new JobDurations([60_000], 9);
    let woken = 0;
    const stop = new JobWatch(durations).pollOptions(slow).wake!(() => woken++);
    durations.observe(0, 60_000);
    stop();
    durations.observe(0, 60_000);
    expect(woken).toBe(0);
    expect(new JobWatch(undefined).pollOptions(slow).wake).toBeUndefined();
    const older = new JobDurations([0], 9);
    const stopOlder = new JobWatch(older).pollOptions(slow).wake!(() => woken++);
    older.observe(0, 0); // too soon after the watch began (under 100 ms): no check yet, one once 100 ms have passed
    expect(woken).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(woken).toBe(1);
    older.observe(0, 0);
    expect(woken).toBe(2); // 150 ms on: at once
    stopOlder();
    older.observe(0, 0); // no longer listening
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(woken).toBe(2);
  });
});

describe('while nothing is learned, scouts look at a group of jobs and the others follow', () => {
  const poll = { initialDelayMs: 100, factor: 1.5, maxDelayMs: 2_000, timeoutMs: 60_000 };
  /** Times of the checks (ms after the job began) of a schedule, up to `until`. */
  const checksOf = (options: PollOptions & { firstDelayMs?: number }, until: number) => {
    const times: number[] = [];
    let at = 0;
    for (const delay of pollDelays(options)) {
      at += delay;
      if (at > until) break;
      times.push(at);
    }
    return times;
  };

  it('four scouts, each a quarter step later; a job alone is on the usual schedule; the fifth and later follow after the longest wait', () => {
    const durations = new JobDurations();
    const watches = Array.from({ length: 6 }, () => new JobWatch(durations, { scouts: 4 }));
    const options = watches.map((w) => w.pollOptions(poll));
    expect(options.map((o) => o.initialDelayMs)).toEqual([
      100,
      100 * 1.5 ** 0.25,
      100 * 1.5 ** 0.5,
      100 * 1.5 ** 0.75,
      2_000,
      2_000,
    ]);
    expect(checksOf(options[0]!, 3_000)).toEqual(checksOf(poll, 3_000));
    for (const o of options) expect(o.afterWake).toEqual(poll);
    // One job is first seen done after 1.5 s at 2.08 s; the four scouts together see it by 1.62 s
    // (their first checks past 1.5 s), at the cost of no more checks each than one job alone.
    const firstPast = (times: number[]) => Math.min(...times.filter((t) => t >= 1_500));
    expect(Math.round(firstPast(checksOf(poll, 5_000)))).toBe(2_078);
    expect(Math.round(Math.min(...options.slice(0, 4).map((o) => firstPast(checksOf(o, 5_000)))))).toBe(1_615);
    for (const o of options.slice(0, 4))
      expect(checksOf(o, 1_500).length).toBeLessThanOrEqual(checksOf(poll, 1_500).length);
    // A scout that ended (here: failed) gives its place to the next job, with its quarter step.
    watches[1]!.answered(false, false);
    expect(new JobWatch(durations, { scouts: 4 }).pollOptions(poll).initialDelayMs).toBe(100 * 1.5 ** 0.25);
    watches[2]!.finished();
    watches[2]!.finished(); // once is enough
    expect(new JobWatch(durations, { scouts: 4 }).pollOptions(poll).initialDelayMs).toBe(100 * 1.5 ** 0.5);
    expect(new JobWatch(durations, { scouts: 4 }).pollOptions(poll).initialDelayMs).toBe(2_000);
    // Once a duration is learned, a new job waits about that long first, scouts or not.
    durations.observe(1_300, 1_500);
    const learned = new JobWatch(durations, { scouts: 4 }).pollOptions(poll);
    expect(learned.firstDelayMs).toBe(1_358);
    expect(learned.initialDelayMs).toBe(100);
    // Without `scouts` (export jobs), every job is on the usual schedule.
    const plain = new JobDurations();
    expect(Array.from({ length: 6 }, () => new JobWatch(plain).pollOptions(poll).initialDelayMs)).toEqual([
      100, 100, 100, 100, 100, 100,
    ]);
  });

  it('a follower is checked once it has run as long as the scouts learned jobs take, then after the short waits', async () => {
    const durations = new JobDurations();
    const slow = { initialDelayMs: 50, factor: 1.5, maxDelayMs: 5_000, timeoutMs: 20_000 };
    const scout = new JobWatch(durations, { scouts: 1 });
    scout.pollOptions(slow);
    const follower = new JobWatch(durations, { scouts: 1 });
    const options = follower.pollOptions(slow);
    expect(options.initialDelayMs).toBe(5_000);
    // The scout's job is seen done early on: jobs like it take about 400 ms, so 360 ms is the age to look at.
    setTimeout(() => durations.observe(300, 500), 50);
    const started = Date.now();
    const times: number[] = [];
    const result = await pollUntilDeadline(async () => {
      times.push(Date.now() - started);
      return times.length === 3 ? 'done' : undefined;
    }, options);
    expect(result).toBe('done');
    // Checked at about 360 ms (not 5 s), then 50 and 75 ms later (the short waits after a wake-up).
    expect(times[0]).toBeGreaterThanOrEqual(330);
    expect(times[0]).toBeLessThan(1_500);
    expect(times[1]! - times[0]!).toBeLessThan(400);
    expect(times[2]! - times[1]!).toBeLessThan(400);
  });

  it('pollUntil, too, follows a check a wake-up brought forward with the short waits', async () => {
    let wakeUp: (() => void) | undefined;
    const wake: Wake = (now) => {
      wakeUp = now;
      return () => (wakeUp = undefined);
    };
    setTimeout(() => wakeUp?.(), 100);
    const started = Date.now();
    const times: number[] = [];
    const result = await pollUntil(
      async () => {
        times.push(Date.now() - started);
        return times.length === 2 ? 'done' : undefined;
      },
      {
        initialDelayMs: 5_000,
        factor: 1,
        maxDelayMs: 5_000,
        timeoutMs: 20_000,
        wake,
        afterWake: { initialDelayMs: 30, factor: 1, maxDelayMs: 30, timeoutMs: 0 },
      },
    );
    expect(result).toBe('done');
    expect(times[0]).toBeLessThan(1_000);
    expect(times[1]! - times[0]!).toBeLessThan(500);
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

  it('what it says is available refills as the limiter does, a whole request at a time and no sooner: never a request that would wait', async () => {
    // 300 a minute: burst 60, then one every 250 ms, on a heartbeat of 62 ms (so up to 312 ms apart).
    let now = 1_000_000;
    const realNow = Date.now;
    Date.now = () => now;
    try {
      const limiter = createRateLimiter({ requestsPerMinute: 300, maxConcurrent: 100 });
      await Promise.all(Array.from({ length: 60 }, (_, i) => limiter.schedule(async () => i)));
      expect(limiter.available()).toBe(0);
      now += 300; // a refill's interval: the reservoir may not have it yet (counting fractions said 1.2)
      expect(limiter.available()).toBe(0);
      now += 20;
      expect(limiter.available()).toBe(1);
      now += 650;
      expect(limiter.available()).toBe(3);
      now += 60_000;
      expect(limiter.available()).toBe(60); // never over the burst
      await limiter.stop();
    } finally {
      Date.now = realNow;
    }
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
