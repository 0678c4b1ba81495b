/**
 * The one retry policy of flowops, pure: which failures are worth another try, how many tries, and
 * how long to wait before each. Two loops act on it, and nothing else decides:
 * - a request sent again as it is (api-session.ts `withRetries`): `shouldRetry`;
 * - a flow's apply attempt begun again, after re-reading the flow (src/apply/next-step.ts):
 *   `shouldRetryAttempt`.
 * The idea follows octokit plugin-retry's error-request.ts (the decision) apart from its
 * wrap-request.ts (the execution).
 *
 * Why these rules (shared/reference/genesys-flow-api.md section 5): the JS SDK has no retry logic;
 * every 429 carries `Retry-After: <seconds>`; the Java SDK retries 429, 502, 503 and 504 honouring
 * Retry-After. 400, 401, 403 and 404 will answer the same again, so they never retry here (a 401 is
 * handled once by logging in again, in api-session.ts).
 *
 * | failure                                       | request sent again | flow attempt again |
 * |-----------------------------------------------|--------------------|--------------------|
 * | 408, 429, 500, 502, 503, 504                  | yes                | yes                |
 * | ECONNRESET, ETIMEDOUT... (RETRY_CODES)        | yes                | yes                |
 * | 409, other 5xx, other failures with no answer | no                 | yes                |
 * | a job failed: transient, timeout, conflict    |                    | yes                |
 * | a job failed: locked                          |                    | the lock policy    |
 * | 400, 401, 403, 404, anything else             | no                 | no                 |
 *
 * An attempt retries whatever a request does (once the session has given up on it, the outage may
 * still pass), and more: it re-reads the flow first, so a conflict (409: a lock or a version moved)
 * is decided again on what the org shows now rather than repeated blindly, and a connection refused
 * mid-apply (the org answered the plan and the login moments ago) is a restart worth waiting out.
 * Bounded by a flow's few attempts, it errs on the side of trying again (any 5xx), where a request
 * sent again as it is only retries what says "try again later".
 */
import type { HttpFailure } from './errors.js';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff step; doubles with each attempt. */
  baseDelayMs: number;
  /** Ceiling of one backoff step. */
  maxDelayMs: number;
  /** Ceiling of a server's Retry-After (a broken header must not stall a run for hours). */
  maxRetryAfterMs: number;
  /** Source of jitter in [0, 1); inject a constant for deterministic tests. */
  random: () => number;
  /** Clock for Retry-After given as an HTTP date. */
  now: () => number;
}

/**
 * 6 attempts with 0.5 s doubling to 16 s at most span about 30 s of backoff (plus any Retry-After):
 * long enough to ride out a 503 burst, short enough that a CI job fails within a minute.
 */
export const DEFAULT_RETRY: Readonly<RetryOptions> = Object.freeze({
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 16_000,
  maxRetryAfterMs: 60_000,
  random: Math.random,
  now: Date.now,
});

/** 408 and the 5xx that mean "try again later"; 501 and 505 will never work. */
const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Connection failures worth another try. ENOTFOUND and ECONNREFUSED are not: the URL is wrong. */
const RETRY_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Retry-After in milliseconds: delta-seconds or an HTTP date (RFC 9110 section 10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date has a weekday and a month name; Date.parse alone would read "-3" as a year.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with "equal jitter": half the step fixed, half random, so waits never collapse to 0. */
export function backoffDelay(
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + options.random() * (step / 2));
}

export function isRetryable(failure: HttpFailure): boolean {
  if (failure.status !== undefined) return RETRY_STATUSES.has(failure.status);
  return failure.code !== undefined && RETRY_CODES.has(failure.code);
}

/**
 * @param attempt the attempt that just failed, counting from 1
 * @returns milliseconds to wait before the next attempt, or null to stop
 */
export function shouldRetry(
  failure: HttpFailure,
  attempt: number,
  options: RetryOptions = DEFAULT_RETRY,
): number | null {
  if (attempt >= options.maxAttempts || !isRetryable(failure)) return null;
  const retryAfter = parseRetryAfter(failure.headers['retry-after'], options.now());
  if (retryAfter !== undefined && (failure.status === 429 || failure.status === 503)) {
    return Math.min(retryAfter, options.maxRetryAfterMs);
  }
  return backoffDelay(attempt, options);
}

/** What apply knows of a failed action: the error classified (src/apply/next-step.ts `failureOf`). */
export interface AttemptFailure {
  /** The HTTP status, when the org answered. */
  status?: number;
  /** Why an Architect job failed (FlowJobError's `reason`: job-failure.ts), when a job did. */
  jobReason?: string;
  /** A RemoteError (the org's answer, or no answer): not a refusal of flowops' own, nor a bug. */
  remote: boolean;
}

export interface AttemptRetryOptions {
  /** Attempts of one flow in all, the first included. */
  maxAttempts: number;
  /** First backoff step between attempts; doubles with each attempt, up to 64 times itself. */
  baseDelayMs: number;
}

/**
 * 5 attempts, a second apart and doubling (at most 15 s of waiting in all): a flow rides out a job
 * that failed for a passing reason (throttled, a race with another publish) without holding up a
 * CI job for minutes.
 */
export const DEFAULT_ATTEMPT_RETRY: Readonly<AttemptRetryOptions> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 1_000,
});

/** Failed jobs worth another attempt after re-reading the flow (the job API's own words for them, job-failure.ts). */
const RETRY_JOB_REASONS: ReadonlySet<string> = new Set(['transient', 'timeout', 'conflict']);

/** Whether a flow's attempt that failed this way is worth another (the table in the file comment). */
export function isRetryableAttempt(failure: AttemptFailure): boolean {
  if (failure.jobReason !== undefined) return RETRY_JOB_REASONS.has(failure.jobReason);
  if (!failure.remote) return false;
  const { status } = failure;
  return status === undefined || status === 409 || status >= 500 || RETRY_STATUSES.has(status);
}

/**
 * The wait before a flow's next attempt: the requests' equal jitter, from a larger base. Also the
 * wait before looking again at a job refused by a lock (not a failed attempt: `attempt` stays).
 * @param random a sample in [0, 1) (the caller draws it: this stays pure)
 */
export function attemptBackoff(attempt: number, baseDelayMs: number, random: number): number {
  return backoffDelay(attempt, { baseDelayMs, maxDelayMs: baseDelayMs * 64, random: () => random });
}

/**
 * @param attempt the flow's attempt that just failed, counting from 1
 * @param random a sample in [0, 1) for the jitter
 * @returns milliseconds to wait before the next attempt, or null to give up
 */
export function shouldRetryAttempt(
  failure: AttemptFailure,
  attempt: number,
  options: AttemptRetryOptions,
  random: number,
): number | null {
  if (attempt >= options.maxAttempts || !isRetryableAttempt(failure)) return null;
  return attemptBackoff(attempt, options.baseDelayMs, random);
}
