/** Credentials, permissions, unreachable hosts, injected faults and token renewal, against the emulator. */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  type EmulatorOptions,
  type RunningEmulator,
  startEmulator,
  writeArchitectExport,
} from '../../src/emulator/index.js';
import { RemoteError } from '../../src/errors.js';
import { type ConnectOptions, connectGenesys, type GenesysClient } from '../../src/genesys/index.js';
import { emulatorStats } from '../helpers/emulator.js';
import { tempDir } from '../helpers/temp-dir.js';
import { CLIENT, closedPort, commonModuleYaml, inboundCallYaml } from './helpers.js';

const FAST = {
  retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5, maxAttempts: 10 },
  poll: { initialDelayMs: 5, factor: 1.5, maxDelayMs: 50, timeoutMs: 10_000 },
};
let seedDir: string;

beforeAll(async () => {
  const files: Record<string, string> = {};
  for (let i = 1; i <= 20; i++) files[`line-${i}.yaml`] = inboundCallYaml(`Line ${i}`);
  for (let i = 1; i <= 3; i++) files[`module-${i}.yaml`] = commonModuleYaml(`Module ${i}`);
  seedDir = await tempDir(files);
});
afterAll(() => rm(seedDir, { recursive: true, force: true }));

async function withEmulator<T>(options: EmulatorOptions, run: (emulator: RunningEmulator) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ port: 0, seedDir, ...options });
  try {
    return await run(emulator);
  } finally {
    await emulator.close();
  }
}

async function failureOf(promise: Promise<unknown>): Promise<RemoteError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(RemoteError);
  return outcome as RemoteError;
}

async function connect(emulator: RunningEmulator, options: Partial<ConnectOptions> = {}): Promise<GenesysClient> {
  return connectGenesys({ target: emulator.url, credentials: CLIENT, ...FAST, ...options });
}

describe('credentials and permissions', () => {
  it('a wrong secret is a clear 401 that names GENESYS_CLIENT_ID and never shows the secret', async () => {
    await withEmulator({}, async (emulator) => {
      const secret = 'definitely-wrong-secret-42';
      const error = await failureOf(
        connect(emulator, { credentials: { clientId: 'local-client', clientSecret: secret } }),
      );
      expect(error.status).toBe(401);
      expect(error.message).toBe(
        `127.0.0.1:${emulator.port} rejected the credentials of OAuth client "local-client" (GENESYS_CLIENT_ID): check GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET`,
      );
      const everything = `${String(error)} ${error.detail ?? ''} ${JSON.stringify(error)} ${error.stack ?? ''}`;
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(Buffer.from(`local-client:${secret}`).toString('base64'));
      // A bad login is not retried: one request.
      expect((await emulatorStats(emulator)).requests).toBe(1);
    });
  });

  it('a missing permission is a 403 naming it', async () => {
    const clients = [{ id: 'jobs-only', secret: 'jobs-secret', scopes: ['architect:job:*'] }];
    await withEmulator({ clients }, async (emulator) => {
      const client = await connect(emulator, { credentials: { clientId: 'jobs-only', clientSecret: 'jobs-secret' } });
      try {
        const error = await failureOf(client.listFlows(['inboundcall']));
        expect(error.status).toBe(403);
        expect(error.message).toBe(
          'list flows (page 1): OAuth client "jobs-only" (GENESYS_CLIENT_ID) is missing the permission architect:flow:view',
        );
        expect(client.stats).toMatchObject({ requests: 2, retries: 0 });
      } finally {
        await client.close();
      }
    });
  });

  it('an unreachable port is a clear "cannot reach", at once', async () => {
    const port = await closedPort();
    const error = await failureOf(connectGenesys({ target: `http://127.0.0.1:${port}`, credentials: CLIENT, ...FAST }));
    expect(error.message).toBe(`cannot reach 127.0.0.1:${port}: connection refused (check GENESYS_ENV_URL)`);
    expect(error.detail).toBe('ECONNREFUSED');
    expect(error.message).not.toContain(CLIENT.clientSecret);
  });
});

describe('faults', () => {
  it('429s, 503s and dropped connections are retried until the listing and the export succeed', async () => {
    const clean = await withEmulator({}, async (emulator) => {
      const client = await connect(emulator, { pageSize: 4 });
      try {
        return (await client.listFlows(['inboundcall', 'commonmodule'])).map((f) => f.name).sort();
      } finally {
        await client.close();
      }
    });

    await withEmulator({ faults: 'status429=0.3,status503=0.1,reset=0.05', seedRandom: 1234 }, async (emulator) => {
      const client = await connect(emulator, { pageSize: 4, exportBatchSize: 8 });
      try {
        const flows = await client.listFlows(['inboundcall', 'commonmodule']);
        expect(flows.map((f) => f.name).sort()).toEqual(clean);
        const contents = await client.exportFlows(
          flows.map((f) => ({ id: f.id, version: f.publishedVersion?.id ?? '' })),
        );
        expect(contents.size).toBe(23);
        // The emulator exports Architect's writing of the published flow (architect-export.ts).
        expect(contents.get(flows.find((f) => f.name === 'Line 5')?.id ?? '')).toBe(
          writeArchitectExport(parse(inboundCallYaml('Line 5')) as Record<string, unknown>, undefined, 2),
        );

        const stats = client.stats;
        const server = await emulatorStats(emulator);
        expect(stats.retries).toBeGreaterThan(0);
        expect(stats.throttled).toBeGreaterThan(0);
        expect(server.faults.reset).toBeGreaterThan(0);
        // Each injected fault cost exactly one retry; nothing else was retried.
        expect(stats.retries).toBe(server.faults.status429 + server.faults.status503 + server.faults.reset);
        expect(stats.throttled).toBe(server.byStatus['429'] ?? 0);
        // Every request we sent reached the server (a dropped one too), and nothing else did.
        expect(stats.requests).toBe(server.requests);
      } finally {
        await client.close();
      }
    });
  });

  it('gives up after the attempt cap with a clear message', async () => {
    await withEmulator({ faults: 'status503=1' }, async (emulator) => {
      const client = await connect(emulator, { retry: { ...FAST.retry, maxAttempts: 3 } });
      try {
        const error = await failureOf(client.listFlows(['inboundcall']));
        expect(error.status).toBe(503);
        expect(error.message).toMatch(
          new RegExp(
            `^list flows \\(page 1\\) failed: 127\\.0\\.0\\.1:${emulator.port} answered 503: .+ after 3 attempts$`,
          ),
        );
        expect(client.stats).toMatchObject({ requests: 4, retries: 2 });
      } finally {
        await client.close();
      }
    });
  });
  it('a server slower than the timeout is retried, then reported as not answering', async () => {
    await withEmulator({ faults: 'latencyMs=400' }, async (emulator) => {
      const client = await connect(emulator, { timeoutMs: 150, retry: { ...FAST.retry, maxAttempts: 2 } });
      try {
        const error = await failureOf(client.listFlows(['inboundcall']));
        expect(error.message).toBe(
          `list flows (page 1): 127.0.0.1:${emulator.port} did not answer in time after 2 attempts`,
        );
        expect(error.status).toBeUndefined();
        expect(client.stats).toMatchObject({ requests: 3, retries: 1 });
      } finally {
        await client.close();
      }
    });
  });
});

describe('token lifetime', () => {
  it('logs in again before the token expires', async () => {
    await withEmulator({ tokenTtlSeconds: 3600 }, async (emulator) => {
      let now = Date.now();
      const client = await connect(emulator, { now: () => now });
      try {
        await client.listFlows(['commonmodule']);
        now += 3_600_000;
        await client.listFlows(['commonmodule']);
        expect(client.stats).toMatchObject({ logins: 2, requests: 4, retries: 0 });
        expect((await emulatorStats(emulator)).byStatus['401']).toBeUndefined();
      } finally {
        await client.close();
      }
    });
  });

  it('logs in again once on a 401 and repeats the call', async () => {
    await withEmulator({ tokenTtlSeconds: 1 }, async (emulator) => {
      // A frozen clock: the client believes its token is fresh; the server knows better.
      const frozen = Date.now();
      const client = await connect(emulator, { now: () => frozen });
      try {
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        const flows = await client.listFlows(['commonmodule']);
        expect(flows).toHaveLength(3);
        expect(client.stats).toMatchObject({ logins: 2, requests: 4, retries: 1 });
        expect((await emulatorStats(emulator)).byStatus['401']).toBe(1);
      } finally {
        await client.close();
      }
    });
  });
});
