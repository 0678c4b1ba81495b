import { describe, expect, it } from 'vitest';
import type { HttpFailure } from '../../src/genesys/errors.js';
import { backoffDelay, parseRetryAfter, type RetryOptions, shouldRetry } from '../../src/genesys/should-retry.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');
const options: RetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  maxRetryAfterMs: 30_000,
  random: () => 0.5,
  now: () => NOW,
};

const status = (code: number, headers: Record<string, string> = {}): HttpFailure => ({ status: code, headers });
const network = (code: string): HttpFailure => ({ code, headers: {} });

describe('shouldRetry', () => {
  it('honours Retry-After on a 429', () => {
    expect(shouldRetry(status(429, { 'retry-after': '3' }), 1, options)).toBe(3_000);
    expect(shouldRetry(status(429, { 'retry-after': '0' }), 1, options)).toBe(0);
  });

  it('caps a huge Retry-After', () => {
    expect(shouldRetry(status(429, { 'retry-after': '86400' }), 1, options)).toBe(30_000);
  });

  it('reads Retry-After as an HTTP date', () => {
    const at = new Date(NOW + 7_000).toUTCString();
    expect(shouldRetry(status(429, { 'retry-after': at }), 1, options)).toBe(7_000);
  });

  it('backs off on a 429 without (or with an unreadable) Retry-After', () => {
    // step 100 * 2^(2-1) = 200; equal jitter with random 0.5: 100 + 50
    expect(shouldRetry(status(429), 2, options)).toBe(150);
    expect(shouldRetry(status(429, { 'retry-after': 'soon' }), 2, options)).toBe(150);
  });

  it.each([500, 502, 503, 504, 408])('retries %i with backoff', (code) => {
    expect(shouldRetry(status(code), 1, options)).toBe(75);
    expect(shouldRetry(status(code), 3, options)).toBe(300);
  });

  it('honours Retry-After on a 503', () => {
    expect(shouldRetry(status(503, { 'retry-after': '2' }), 1, options)).toBe(2_000);
  });

  it.each(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'EAI_AGAIN'])(
    'retries the network error %s',
    (code) => {
      expect(shouldRetry(network(code), 1, options)).toBe(75);
    },
  );

  it.each([400, 401, 403, 404, 409, 501])('never retries %i', (code) => {
    expect(shouldRetry(status(code), 1, options)).toBeNull();
    expect(shouldRetry(status(code, { 'retry-after': '1' }), 1, options)).toBeNull();
  });

  it.each(['ENOTFOUND', 'ECONNREFUSED', 'UNKNOWN'])('never retries %s (a wrong URL stays wrong)', (code) => {
    expect(shouldRetry(network(code), 1, options)).toBeNull();
  });

  it('stops at the attempt cap', () => {
    expect(shouldRetry(status(503), 4, options)).not.toBeNull();
    expect(shouldRetry(status(503), 5, options)).toBeNull();
    expect(shouldRetry(status(429, { 'retry-after': '1' }), 5, options)).toBeNull();
    expect(shouldRetry(network('ECONNRESET'), 9, options)).toBeNull();
  });

  it('grows exponentially up to the ceiling, jitter within [step/2, step]', () => {
    const low = { ...options, random: () => 0 };
    const high = { ...options, random: () => 0.999999 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, low))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, high))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, fractions, dates, and nothing else', () => {
    expect(parseRetryAfter('5', NOW)).toBe(5_000);
    expect(parseRetryAfter(' 1.5 ', NOW)).toBe(1_500);
    expect(parseRetryAfter(new Date(NOW - 5_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('-3', NOW)).toBeUndefined();
  });
});
