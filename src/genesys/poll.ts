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

/**
 * The first check of a job of a known kind comes when it has run this share of what its predecessors
 * took: most are then seen done by it or by the next, soon after (pollDelays). A job done at its
 * first check is learned as taking that long, so the estimate drifts down by 3 % a generation until
 * checks find jobs still running, whose midpoints pull it back: it settles just above the true time.
 */
const FIRST_CHECK_SHARE = 0.97;

/** The shortest second look at a job of a known kind (pollDelays). */
const MIN_SOON_MS = 20;

/**
 * The second look at a job of a known kind: a twentieth of what its predecessors took, when that
 * comes before the usual first wait and within `leftMs`. Yields it (or nothing), returns the time it takes.
 */
function* soonLook(firstDelayMs: number, initialDelayMs: number, leftMs: number): Generator<number, number> {
  const soon = Math.max(MIN_SOON_MS, Math.round(firstDelayMs / 20));
  if (soon >= initialDelayMs || soon > leftMs) return 0;
  yield soon;
  return soon;
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
    // Checked a little before its predecessors' time, a job like them is about to end: look again
    // soon (a twentieth of that time), then on the usual schedule.
    waited += yield* soonLook(first, options.initialDelayMs, options.timeoutMs - waited);
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
  /** Phase slots of the scouts polling now (JobWatch with `scouts`), while nothing is learned. */
  private readonly scouting = new Set<number>();

  /** `known`: durations learned before (an earlier run's), oldest first. */
  constructor(
    known: readonly number[] = [],
    private readonly keep = 9,
  ) {
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

  /**
   * A scout's phase slot (0 first: a job alone is always slot 0), or undefined when `scouts` of them
   * are polling already. Given back with `releaseScout`.
   */
  enlistScout(scouts: number): number | undefined {
    for (let slot = 0; slot < scouts; slot++) {
      if (!this.scouting.has(slot)) {
        this.scouting.add(slot);
        return slot;
      }
    }
    return undefined;
  }

  releaseScout(slot: number): void {
    this.scouting.delete(slot);
  }

  /** Wait before the first check: 97 % of the median of the recent jobs (undefined before any). */
  firstDelayMs(): number | undefined {
    if (this.recent.length === 0) return undefined;
    const sorted = [...this.recent].sort((a, b) => a - b);
    return Math.round(sorted[Math.floor(sorted.length / 2)]! * FIRST_CHECK_SHARE);
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
  /**
   * The waits after a check that a wake-up brought forward found the job still running (its
   * siblings are finishing: look again soon), from the first of this schedule (its own first delay
   * left out). Default: the schedule itself.
   */
  afterWake?: PollOptions;
}

/** A wake-up that would save less than this is not worth a check of its own. */
const WAKE_MIN_SAVING_MS = 200;

/**
 * Waits `ms` on `clock`, or less when `wake` says so (and the wait has a while to go).
 * @returns whether a wake-up cut the wait short
 */
async function wait(clock: PollClock, ms: number, wake: Wake | undefined): Promise<boolean> {
  if (!wake || ms <= WAKE_MIN_SAVING_MS) {
    await clock.sleep(ms);
    return false;
  }
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
  return abort.signal.aborted;
}

/** The waits that follow a check a wake-up brought forward (WatchedPollOptions.afterWake). */
function* afterWakeDelays(options: WatchedPollOptions, timeoutMs: number): Generator<number> {
  const { initialDelayMs, factor, maxDelayMs } = options.afterWake ?? options;
  // A job of a known kind woken near its time is about to end: the second look comes as soon as
  // after a first check on time (pollDelays), not a whole usual step later.
  const soon =
    options.firstDelayMs === undefined ? 0 : yield* soonLook(options.firstDelayMs, initialDelayMs, timeoutMs);
  yield* pollDelays({ initialDelayMs, factor, maxDelayMs, timeoutMs: timeoutMs - soon });
}

/**
 * Calls `check` after each wait until it returns a value (not undefined).
 * @returns that value, or undefined when the time ran out
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  options: WatchedPollOptions,
  clock: PollClock = REAL_CLOCK,
): Promise<T | undefined> {
  let delays = pollDelays(options);
  let waited = 0;
  for (let next = delays.next(); !next.done; next = delays.next()) {
    const before = clock.now();
    const woken = next.value > 0 ? await wait(clock, next.value, options.wake) : false;
    waited += woken ? Math.min(next.value, clock.now() - before) : next.value;
    const result = await check();
    if (result !== undefined) return result;
    if (woken) delays = afterWakeDelays(options, options.timeoutMs - waited);
  }
  return undefined;
}

/** The least time between two checks of one job that wake-ups may cause. */
const WAKE_GAP_MS = 100;

export interface JobWatchOptions {
  /**
   * While nothing is learned of how long jobs of this kind take, only this many of them at once poll
   * on the usual schedule (scouts: each one's waits stretched by a further 1/scouts of one step, so
   * that together they look `scouts` times as often as one; a job alone is the first, on the usual
   * schedule exactly); the others started meanwhile (followers) first check after the longest wait,
   * unless what the scouts learn comes first (the wake-up). Without it (0), every job polls on the
   * usual schedule.
   */
  scouts?: number;
}

/**
 * One job's checks, timed from when it is created: the first wait it should use, and once it
 * succeeds, what it took, told to `durations` (nothing is learned without them).
 */
export class JobWatch {
  private readonly start = Date.now();
  private askedAt = 0;
  private runningUntil = 0;
  private scoutSlot: number | undefined;

  constructor(
    private readonly durations: JobDurations | undefined,
    private readonly options: JobWatchOptions = {},
  ) {}

  /**
   * The poll options: the learned first wait when there is one, and a wake-up once this job has run
   * about as long as jobs of its kind take (97 % of their median): at once when a job of the same kind
   * is seen done while this one has run that long (jobs started together end together: in the first
   * apply of a run, with nothing learned yet, each job is checked soon after the first of them is
   * seen done, not only on its own backed-off schedule), or when it reaches that age later. A
   * wake-up comes at most once per WAKE_GAP_MS, only when it saves over WAKE_MIN_SAVING_MS of
   * waiting, and a check it brings forward that finds the job running is followed by the usual
   * short waits (the job is about to finish). With `scouts`, a job started while nothing is learned
   * is a scout or a follower (JobWatchOptions).
   */
  pollOptions(poll: PollOptions): WatchedPollOptions {
    const durations = this.durations;
    if (!durations) return poll;
    const firstDelayMs = durations.firstDelayMs();
    const wake: Wake = (now) => {
      let timer: NodeJS.Timeout | undefined;
      const wakeIn = (ms: number) => {
        clearTimeout(timer);
        timer = undefined;
        if (ms <= 0) return now();
        timer = setTimeout(() => {
          timer = undefined;
          now();
        }, ms);
      };
      const consider = (learned: boolean) => {
        const expected = durations.firstDelayMs();
        if (expected === undefined) return;
        const elapsed = Date.now() - this.start;
        // Younger than jobs take: checked when it is as old (and its last check WAKE_GAP_MS ago).
        if (elapsed < expected) return wakeIn(Math.max(expected, this.askedAt + WAKE_GAP_MS) - elapsed);
        // As old already: checked when a sibling is seen done (not at once when it starts to wait:
        // its own short waits after the first check go on).
        if (learned) wakeIn(this.askedAt + WAKE_GAP_MS - elapsed);
      };
      consider(false);
      const stop = durations.onLearned(() => consider(true));
      return () => {
        clearTimeout(timer);
        stop();
      };
    };
    const scouts = this.options.scouts ?? 0;
    if (firstDelayMs !== undefined || scouts < 1)
      return { ...poll, ...(firstDelayMs === undefined ? {} : { firstDelayMs }), wake };
    this.scoutSlot = durations.enlistScout(scouts);
    if (this.scoutSlot !== undefined) {
      const stretch = Math.max(1, poll.factor) ** (this.scoutSlot / scouts);
      return { ...poll, initialDelayMs: poll.initialDelayMs * stretch, wake, afterWake: poll };
    }
    return { ...poll, initialDelayMs: Math.max(poll.initialDelayMs, poll.maxDelayMs), wake, afterWake: poll };
  }

  /** Call right before each check. */
  asking(): void {
    this.askedAt = Date.now() - this.start;
  }

  /** Call with what the check found. */
  answered(running: boolean, succeeded: boolean): void {
    if (running) this.runningUntil = this.askedAt;
    else {
      if (succeeded) this.durations?.observe(this.runningUntil, this.askedAt);
      this.finished();
    }
  }

  /** No more checks (the job ended, or the polling gave up or failed): a scout's place is free again. */
  finished(): void {
    if (this.scoutSlot === undefined) return;
    this.durations?.releaseScout(this.scoutSlot);
    this.scoutSlot = undefined;
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
export async function pollUntilDeadline<T>(
  check: () => Promise<T | undefined>,
  options: WatchedPollOptions,
  clock: PollClock = REAL_CLOCK,
): Promise<T | undefined> {
  const deadline = clock.now() + Math.max(0, options.timeoutMs);
  let delays = pollDelays({ ...options, timeoutMs: Number.POSITIVE_INFINITY });
  for (let next = delays.next(); !next.done; next = delays.next()) {
    const ms = Math.min(next.value, deadline - clock.now());
    const woken = ms > 0 ? await wait(clock, ms, options.wake) : false;
    const result = await check();
    if (result !== undefined) return result;
    if (clock.now() >= deadline) return undefined;
    if (woken) delays = afterWakeDelays(options, Number.POSITIVE_INFINITY);
  }
  return undefined;
}
