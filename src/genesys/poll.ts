/**
 * Adaptive polling of asynchronous jobs: ask soon (most jobs finish in well under a second), then
 * less and less often, and give up after a bounded total. The Terraform provider polls every 15 s
 * for up to 16 minutes (shared/reference/genesys-flow-api.md section 2): a one-second export would
 * cost 15 s there, about 0.2 s here, and a slow one a poll every 3 s rather than a storm.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions {
  /** Wait before the first check. */
  initialDelayMs: number;
  /** Each wait is this many times the previous one. */
  factor: number;
  /** Ceiling of one wait. */
  maxDelayMs: number;
  /** Give up once this much waiting has been done in all. */
  timeoutMs: number;
}

export const DEFAULT_POLL: Readonly<PollOptions> = Object.freeze({
  initialDelayMs: 150,
  factor: 1.5,
  maxDelayMs: 3_000,
  timeoutMs: 300_000,
});

/**
 * The waits between checks, in order; their sum never exceeds `timeoutMs`. Pure. With `firstDelayMs`
 * (what jobs like this one have been taking), the first wait is that long and the usual schedule
 * starts after it: a job that takes as long as its predecessors is seen done by one or two checks.
 */
export function* pollDelays(options: PollOptions & { firstDelayMs?: number }): Generator<number> {
  let waited = 0;
  const first = options.firstDelayMs ?? 0;
  if (first > options.initialDelayMs && first <= options.timeoutMs) {
    yield first;
    waited = first;
  }
  let delay = Math.max(0, options.initialDelayMs);
  while (waited + delay <= options.timeoutMs) {
    yield delay;
    waited += delay;
    delay = Math.min(options.maxDelayMs, Math.max(1, delay * options.factor));
  }
}

/**
 * How long jobs of one kind have been taking, learned as they finish (one per client: an org's
 * Architect jobs take similar times, a second or two for a flow). A job's duration lies between its
 * last check that saw it running and the first that saw it done: the midpoint is kept; a job done at
 * its first check keeps that check's time, so the estimate can only drift down slowly, never collapse.
 */
export class JobDurations {
  private readonly recent: number[];
  private readonly listeners = new Set<() => void>();

  /** `known`: durations learned before (an earlier run's), oldest first. */
  constructor(known: readonly number[] = [], private readonly keep = 9) {
    this.recent = known.slice(-keep);
  }

  /** The recent durations, oldest first (to keep them for the next run). */
  known(): number[] {
    return [...this.recent];
  }

  /** `runningUntilMs`: time of the last check that saw it running (0 when none); `doneAtMs`: of the check that saw it done. */
  observe(runningUntilMs: number, doneAtMs: number): void {
    const estimate = runningUntilMs > 0 ? (runningUntilMs + doneAtMs) / 2 : doneAtMs;
    this.recent.push(Math.max(0, estimate));
    if (this.recent.length > this.keep) this.recent.shift();
    for (const listener of [...this.listeners]) listener();
  }

  /** Calls `listener` each time a duration is learned, until the returned function is called. */
  onLearned(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Wait before the first check: 90 % of the median of the recent jobs (undefined before any). */
  firstDelayMs(): number | undefined {
    if (this.recent.length === 0) return undefined;
    const sorted = [...this.recent].sort((a, b) => a - b);
    return Math.round(sorted[Math.floor(sorted.length / 2)]! * 0.9);
  }
}

/**
 * Cuts a wait short: called with the function that ends the current wait (a check follows at once),
 * returns the function that stops calling it.
 */
export type Wake = (now: () => void) => () => void;

export interface WatchedPollOptions extends PollOptions {
  /** What jobs like this one have been taking: the first wait (pollDelays). */
  firstDelayMs?: number;
  wake?: Wake;
}

/** A wake-up that would save less than this is not worth a check of its own. */
const WAKE_MIN_SAVING_MS = 200;

/** Waits `ms` on `clock`, or less when `wake` says so (and the wait has a while to go). */
async function wait(clock: PollClock, ms: number, wake: Wake | undefined): Promise<void> {
  if (!wake || ms <= WAKE_MIN_SAVING_MS) return clock.sleep(ms);
  const ends = clock.now() + ms;
  const abort = new AbortController();
  const stop = wake(() => {
    if (ends - clock.now() > WAKE_MIN_SAVING_MS) abort.abort();
  });
  try {
    await clock.sleep(ms, abort.signal);
  } finally {
    stop();
  }
}

/**
 * Calls `check` after each wait until it returns a value (not undefined).
 * @returns that value, or undefined when the time ran out
 */
export async function pollUntil<T>(check: () => Promise<T | undefined>, options: WatchedPollOptions, clock: PollClock = REAL_CLOCK): Promise<T | undefined> {
  for (const delay of pollDelays(options)) {
    if (delay > 0) await wait(clock, delay, options.wake);
    const result = await check();
    if (result !== undefined) return result;
  }
  return undefined;
}

/** The least time between two checks of one job that wake-ups may cause. */
const WAKE_GAP_MS = 100;

/**
 * One job's checks, timed from when it is created: the first wait it should use, and once it
 * succeeds, what it took, told to `durations` (nothing is learned without them).
 */
export class JobWatch {
  private readonly start = Date.now();
  private askedAt = 0;
  private runningUntil = 0;

  constructor(private readonly durations: JobDurations | undefined) {}

  /**
   * The poll options: the learned first wait when there is one, and a wake-up when a job of the same
   * kind is seen done while this one has run about as long (jobs started together end together: in
   * the first apply of a run, with nothing learned yet, each job is checked soon after the first of
   * them is seen done, not only on its own backed-off schedule). A wake-up comes at most once per
   * WAKE_GAP_MS, and only when it saves over WAKE_MIN_SAVING_MS of waiting.
   */
  pollOptions(poll: PollOptions): WatchedPollOptions {
    const durations = this.durations;
    if (!durations) return poll;
    const firstDelayMs = durations.firstDelayMs();
    const wake: Wake = (now) =>
      durations.onLearned(() => {
        const elapsed = Date.now() - this.start;
        const expected = durations.firstDelayMs();
        if (expected !== undefined && elapsed >= expected && elapsed - this.askedAt >= WAKE_GAP_MS) now();
      });
    return { ...poll, ...(firstDelayMs === undefined ? {} : { firstDelayMs }), wake };
  }

  /** Call right before each check. */
  asking(): void {
    this.askedAt = Date.now() - this.start;
  }

  /** Call with what the check found. */
  answered(running: boolean, succeeded: boolean): void {
    if (running) this.runningUntil = this.askedAt;
    else if (succeeded) this.durations?.observe(this.runningUntil, this.askedAt);
  }
}

/** Time for polling; tests pass a fake one. */
export interface PollClock {
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const REAL_CLOCK: PollClock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    try {
      await sleep(ms, undefined, signal ? { signal } : undefined);
    } catch (err) {
      if (!signal?.aborted) throw err;
    }
  },
};

/**
 * Like pollUntil, but `timeoutMs` bounds the time on the clock, checks included (a check is an HTTP
 * request, and can take longer than the wait before it), and the last check comes at the deadline:
 * whoever reports "waited N s" has waited N s. There is always at least one check.
 * @returns the first value `check` gives, or undefined at the deadline
 */
export async function pollUntilDeadline<T>(check: () => Promise<T | undefined>, options: WatchedPollOptions, clock: PollClock = REAL_CLOCK): Promise<T | undefined> {
  const deadline = clock.now() + Math.max(0, options.timeoutMs);
  for (const delay of pollDelays({ ...options, timeoutMs: Number.POSITIVE_INFINITY })) {
    const ms = Math.min(delay, deadline - clock.now());
    if (ms > 0) await wait(clock, ms, options.wake);
    const result = await check();
    if (result !== undefined) return result;
    if (clock.now() >= deadline) return undefined;
  }
  return undefined;
}
