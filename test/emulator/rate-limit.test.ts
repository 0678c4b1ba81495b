import { expect, test } from 'vitest';
import { RateLimiter } from '../../src/emulator/rate-limit.js';

test('allows the limit per window per key, then refuses with the seconds left until the reset', () => {
  let now = 1_000_000;
  const limiter = new RateLimiter(3, 60_000, () => now);
  expect([1, 2, 3].map(() => limiter.check('a').allowed)).toEqual([true, true, true]);
  now += 15_500;
  const refused = limiter.check('a');
  expect(refused).toEqual({ allowed: false, limit: 3, count: 4, resetSeconds: 45 });
  expect(limiter.check('b').allowed).toBe(true); // another token has its own window
  now += 44_500; // the window that opened at the first request is over
  expect(limiter.check('a')).toEqual({ allowed: true, limit: 3, count: 1, resetSeconds: 60 });
});

test('a limit of 0 is off, but still counts', () => {
  const limiter = new RateLimiter(0, 60_000, () => 0);
  for (let i = 0; i < 1000; i++) expect(limiter.check('a').allowed).toBe(true);
  expect(limiter.enabled).toBe(false);
  expect(limiter.check('a').count).toBe(1001);
});

test('never reports less than one second to wait', () => {
  let now = 0;
  const limiter = new RateLimiter(1, 60_000, () => now);
  limiter.check('a');
  now = 59_999;
  expect(limiter.check('a')).toMatchObject({ allowed: false, resetSeconds: 1 });
});
