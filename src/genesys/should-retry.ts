/**
 * The retry decision, pure: given a failure and the number of the attempt that just failed, how
 * long to wait before the next one, or null to give up. Execution (sleeping, counting, re-login)
 * lives in api-session.ts; the idea follows octokit plugin-retry's error-request.ts.
 *
 * Why these rules (shared/reference/genesys-flow-api.md section 5): the JS SDK has no retry logic;
 * every 429 carries `Retry-After: <seconds>`; the Java SDK retries 429, 502, 503 and 504 honouring
 * Retry-After. 400, 401, 403 and 404 will answer the same again, so they never retry here (a 401 is
 * handled once by logging in again, in api-session.ts).
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
export function backoffDelay(attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
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
export function shouldRetry(failure: HttpFailure, attempt: number, options: RetryOptions = DEFAULT_RETRY): number | null {
  if (attempt >= options.maxAttempts || !isRetryable(failure)) return null;
  const retryAfter = parseRetryAfter(failure.headers['retry-after'], options.now());
  if (retryAfter !== undefined && (failure.status === 429 || failure.status === 503)) {
    return Math.min(retryAfter, options.maxRetryAfterMs);
  }
  return backoffDelay(attempt, options);
}
