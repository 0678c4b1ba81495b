/**
 * The write path when things are slow or fail: adaptive polling of a 200 ms job, transient job
 * failures, the bounded wait, retried HTTP calls, and an upload whose first answer was lost.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { RemoteError } from '../../src/errors.js';
import { ApiSession } from '../../src/genesys/api-session.js';
import { connectGenesys, FlowJobError, type GenesysClient, parseEnvUrl } from '../../src/genesys/index.js';
import { emptyStats } from '../../src/genesys/types.js';
import { CLIENT, inboundCallYaml } from './helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

const FAST = { retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5, maxAttempts: 10 } };
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function connect(options: EmulatorOptions): Promise<{ emulator: RunningEmulator; client: GenesysClient }> {
  const emulator = await startEmulator({ port: 0, ...options });
  cleanups.push(() => emulator.close());
  const client = await connectGenesys({ target: emulator.url, credentials: CLIENT, ...FAST });
  cleanups.push(() => client.close());
  return { emulator, client };
}

describe('adaptive polling', () => {
  it('a 200 ms job is seen finished after a few checks, not a fixed long wait', async () => {
    const { client } = await connect({ faults: 'jobMs=200' });
    const polls: number[] = [];
    const result = await client.publishFlow(inboundCallYaml('Slowish Line'), {
      onPoll: (elapsedMs) => polls.push(elapsedMs),
    });
    expect(result.command).toBe('Create');
    // Checks at about 0.1, 0.25, 0.48 s after the upload: the job is seen done by the third.
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls.length).toBeLessThanOrEqual(4);
    expect(client.stats.publishPolls).toBe(polls.length);
    expect([...polls].sort((a, b) => a - b)).toEqual(polls);
  });

  it('later jobs are first checked about when the earlier ones finished: a 1.2 s job then costs one or two checks, not six', async () => {
    const { client } = await connect({ faults: 'jobMs=1200' });
    const checks: number[] = [];
    for (let i = 0; i < 4; i++) {
      const before = client.stats.publishPolls;
      await client.publishFlow(inboundCallYaml(`Learning Line ${i}`));
      checks.push(client.stats.publishPolls - before);
    }
    // The first job: checks at about 0.1, 0.35, 0.73, 1.3 s (5 or so); then the first check waits ~1.1 s.
    expect(checks[0]).toBeGreaterThanOrEqual(4);
    for (const n of checks.slice(1)) expect(n).toBeLessThanOrEqual(3);
    expect(checks.slice(1).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(checks[0]! * 3 - 4);
  });

  it('what jobs took is kept in the cache folder: the next run checks its first job about when it finishes', async () => {
    const emulator = await startEmulator({ port: 0, faults: 'jobMs=1200' });
    cleanups.push(() => emulator.close());
    const cacheDir = tempDir({}, 'flowops-job-times-');
    const first = await connectGenesys({ target: emulator.url, credentials: CLIENT, cacheDir, ...FAST });
    for (let i = 0; i < 3; i++) await first.publishFlow(inboundCallYaml(`Remembered Line ${i}`));
    const learning = first.stats.publishPolls;
    await first.close();
    const kept = JSON.parse(readFileSync(join(cacheDir, 'job-times-v1.json'), 'utf8')) as Record<
      string,
      { publish: number[] }
    >;
    expect(Object.values(kept)[0]!.publish).toHaveLength(3);
    // A new client (a new run) against the same org: its very first job costs a few checks at most,
    // like the later jobs of a run (the first job of a run without history costs five or so).
    const second = await connectGenesys({ target: emulator.url, credentials: CLIENT, cacheDir, ...FAST });
    cleanups.push(() => second.close());
    await second.publishFlow(inboundCallYaml('Remembered Line 3'));
    expect(second.stats.publishPolls).toBeLessThanOrEqual(3);
    expect(learning).toBeGreaterThanOrEqual(4 + 2);
    // Without a cache folder nothing is kept or read.
    const third = await connectGenesys({ target: emulator.url, credentials: CLIENT, ...FAST });
    cleanups.push(() => third.close());
    await third.publishFlow(inboundCallYaml('Forgetful Line'));
    expect(third.stats.publishPolls).toBeGreaterThanOrEqual(4);
  });

  it("a job that outlasts the bound is a FlowJobError 'timeout' that says how long it waited", async () => {
    const { client } = await connect({ faults: 'jobMs=3000' });
    const error = (await client
      .publishFlow(inboundCallYaml('Slow Line'), { timeoutMs: 300 })
      .catch((e: unknown) => e)) as FlowJobError;
    expect(error).toBeInstanceOf(FlowJobError);
    expect(error.reason).toBe('timeout');
    expect(error.jobStatus).toBe('Started');
    expect(error.waitedMs).toBeGreaterThanOrEqual(300);
    expect(error.message).toMatch(
      /^Architect job \S+ did not finish within \d+\.\d s \(still Started after \d+ checks\)$/,
    );
  });
});

describe('failures', () => {
  it("a transient job failure (the emulator's jobFailure fault) is reason 'transient', and not retried here", async () => {
    const { client } = await connect({ faults: 'jobFailure=1' });
    const error = (await client.publishFlow(inboundCallYaml('Unlucky Line')).catch((e: unknown) => e)) as FlowJobError;
    expect(error).toBeInstanceOf(FlowJobError);
    expect(error.reason).toBe('transient');
    expect(error.messages[0]).toMatch(/could not find the flow/);
    expect(client.stats.publishJobs).toBe(1);
  });

  it('429s, 500s and dropped connections on register and poll are retried by the session; the flow is published once', async () => {
    const { client } = await connect({ faults: 'status429=0.2,status500=0.2,reset=0.1,jobMs=150', seedRandom: 7 });
    const result = await client.publishFlow(inboundCallYaml('Bumpy Line'));
    expect(client.stats.retries).toBeGreaterThan(0);
    const live = await client.getFlow(result.flowId);
    expect(live?.publishedVersion?.id).toBe('1.0');
  });
});

describe('upload to the presigned URL', () => {
  /** A stand-in for S3 that records what it received and answers with `reply`, per attempt. */
  async function presignedServer(reply: (attempt: number, request: IncomingMessage) => 'drop' | number) {
    const seen: { headers: IncomingMessage['headers']; body: string }[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        seen.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        const answer = reply(seen.length, request);
        if (answer === 'drop') request.socket.destroy();
        else response.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return { url: `http://127.0.0.1:${port}/upload/job-1?signature=abc`, seen };
  }

  async function session(): Promise<{ session: ApiSession; stats: ReturnType<typeof emptyStats> }> {
    const emulator = await startEmulator({ port: 0 });
    cleanups.push(() => emulator.close());
    const stats = emptyStats();
    const opened = await ApiSession.open({
      target: parseEnvUrl(emulator.url),
      credentials: CLIENT,
      stats,
      retry: FAST.retry,
    });
    cleanups.push(() => opened.close());
    return { session: opened, stats };
  }

  it('sends the bytes with the given headers and no Authorization; a 409 after a lost answer means already uploaded', async () => {
    const { session: api, stats } = await session();
    const server = await presignedServer((attempt) => (attempt === 1 ? 'drop' : 409));
    const outcome = await api.upload(
      server.url,
      { 'Content-Type': 'application/octet-stream' },
      'inboundCall: {}\n',
      'upload the flow file',
    );
    expect(outcome).toBe('already-uploaded');
    expect(server.seen).toHaveLength(2);
    for (const { headers, body } of server.seen) {
      expect(headers['content-type']).toBe('application/octet-stream');
      expect(headers.authorization).toBeUndefined();
      expect(body).toBe('inboundCall: {}\n');
    }
    expect(stats).toMatchObject({ uploads: 2, retries: 1 });
  });

  it('a 409 on the first attempt is an error: someone else used the URL', async () => {
    const { session: api } = await session();
    const server = await presignedServer(() => 409);
    const error = await api.upload(server.url, {}, 'x', 'upload the flow file').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ status: 409 });
    expect((error as RemoteError).message).not.toContain('signature=abc');
    expect(server.seen).toHaveLength(1);
  });
});
