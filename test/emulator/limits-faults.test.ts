/** Rate limit and injected faults, as a client sees them over HTTP. */
import { describe, expect, test } from 'vitest';
import { login, runJob, emulatorStats } from '../helpers/emulator.js';
import { inboundCall } from '../helpers/flow-yaml.js';
import { rejection, withEmulator } from './helpers.js';

describe('rate limit', () => {
  test('past the limit a token gets 429 with Retry-After and the real body; another token is not affected', async () => {
    await withEmulator({ rateLimitPerMinute: 5 }, async (emulator) => {
      const session = await login(emulator);
      session.client.setReturnExtendedResponses(true);
      const ok = (await session.architect.getFlows()) as unknown as { status: number; headers: Record<string, string> };
      expect(ok.status).toBe(200);
      expect(ok.headers).toMatchObject({ 'inin-ratelimit-allowed': '5', 'inin-ratelimit-count': '1' });
      for (let i = 0; i < 4; i++) await session.architect.getFlows();

      const refused = await rejection(session.architect.getFlows());
      expect(refused.status).toBe(429);
      const retryAfter = Number((refused.headers as Record<string, string>)['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(refused.body).toMatchObject({
        status: 429,
        code: 'too.many.requests.retry.after',
        message: `Rate limit exceeded the maximum. Retry the request in [${retryAfter}] seconds`,
      });

      const other = await login(emulator);
      await other.architect.getFlows();
      expect(await emulatorStats(emulator)).toMatchObject({ throttled: 1, byStatus: { '200': 8, '429': 1 } });
    });
  });

  test('a limit of 0 is off', async () => {
    await withEmulator({ rateLimitPerMinute: 0 }, async (emulator) => {
      const { architect } = await login(emulator);
      await Promise.all(Array.from({ length: 50 }, () => architect.getFlows()));
      expect((await emulatorStats(emulator)).throttled).toBe(0);
    });
  });
});

describe('faults', () => {
  test('status500=1 answers every API call 500; login still works', async () => {
    await withEmulator({ faults: 'status500=1' }, async (emulator) => {
      const { architect } = await login(emulator);
      expect(await rejection(architect.getFlows())).toMatchObject({ status: 500, code: 'internal.server.error' });
      expect((await emulatorStats(emulator)).faults).toMatchObject({ status500: 1 });
    });
  });

  test('reset=1 drops the connection without an answer', async () => {
    await withEmulator({ faults: 'reset=1' }, async (emulator) => {
      const { architect } = await login(emulator);
      const error = await rejection(architect.getFlows());
      expect(String((error as { code?: unknown }).code)).toMatch(/ECONNRESET|ERR_BAD_RESPONSE|ECONNABORTED/);
      expect((await emulatorStats(emulator)).faults.reset).toBe(1);
    });
  });

  test('jobFailure=1 fails jobs with a transient message and the inner status in details', async () => {
    await withEmulator({ faults: 'jobFailure=1' }, async (emulator) => {
      const { architect } = await login(emulator);
      const job = await runJob(architect, inboundCall('Unlucky'));
      expect(job.status).toBe('Failure');
      expect(job.messages?.[0]?.text).toMatch(/^Transient failure/);
      expect(job.messages?.[0]?.details?.[0]?.statusCode).toBe(429);
    });
  });

  test('one --seed-random replays the same faults for the same requests', async () => {
    const outcomes = async (seed: number) =>
      withEmulator({ faults: 'status503=0.3,status429=0.2', seedRandom: seed }, async (emulator) => {
        const { architect } = await login(emulator);
        const seen: number[] = [];
        for (let i = 0; i < 30; i++)
          seen.push(
            await architect.getFlows().then(
              () => 200,
              (e: { status: number }) => e.status,
            ),
          );
        return seen;
      });
    const a = await outcomes(1234);
    expect(a).toEqual(await outcomes(1234));
    expect(new Set(a)).toEqual(new Set([200, 429, 503]));
    expect(a).not.toEqual(await outcomes(99));
  });
});
