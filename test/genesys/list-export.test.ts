/** listFlows and exportFlows against the emulator, through the real SDK over HTTP. */
import { readdir } from 'node:fs/promises';
import { parse } from 'yaml';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, writeArchitectExport } from '../../src/emulator/index.js';
import {
  type ConnectOptions,
  connectGenesys,
  FlowExportError,
  type GenesysClient,
  type LiveFlowSummary,
} from '../../src/genesys/index.js';
import { emulatorForTest, emulatorStats } from '../helpers/emulator.js';
import { tempDir } from '../helpers/temp-dir.js';
import { CLIENT, commonModuleYaml, demoFlows, inboundCallYaml, publishYaml } from './helpers.js';

const INBOUND = 30;
const MODULES = 5;
let emulator: RunningEmulator;
/** Seeded file text by flow name. */
const published = new Map<string, string>();
let seedDir: string;

beforeAll(async () => {
  const files: Record<string, string> = await demoFlows();
  for (let i = 1; i <= INBOUND; i++)
    files[`line-${String(i).padStart(2, '0')}.yaml`] = inboundCallYaml(`Line ${String(i).padStart(2, '0')}`);
  for (let i = 1; i <= MODULES; i++) files[`module-${i}.yaml`] = commonModuleYaml(`Module ${i}`);
  for (const text of Object.values(files)) {
    const doc = parse(text) as Record<string, { name: string }>;
    const [body] = Object.values(doc);
    if (body) published.set(body.name, text);
  }
  seedDir = tempDir(files);
});

// Each test its own org, seeded alike: a test that publishes changes no other test's org.
beforeEach(async () => {
  emulator = await emulatorForTest({ seedDir });
  expect(emulator.seeded).toBe(INBOUND + MODULES + 4);
});

const FAST = {
  retry: { baseDelayMs: 1, maxDelayMs: 5 },
  poll: { initialDelayMs: 5, factor: 1.5, maxDelayMs: 50, timeoutMs: 10_000 },
};

async function withClient<T>(options: Partial<ConnectOptions>, run: (client: GenesysClient) => Promise<T>): Promise<T> {
  const client = await connectGenesys({ target: emulator.url, credentials: CLIENT, ...FAST, ...options });
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

/** What the emulator exports for a flow published from `text`: Architect's export of it (architect-export.ts). */
function exportOf(text: string | undefined): string {
  return writeArchitectExport(parse(text ?? '') as Record<string, unknown>, undefined, 2);
}

function refsOf(flows: LiveFlowSummary[]) {
  return flows.map((f) => ({ id: f.id, version: f.publishedVersion?.id ?? '', name: f.name }));
}

describe('listFlows', () => {
  it('reads every page of the requested types and nothing else', async () => {
    await withClient({ pageSize: 7 }, async (client) => {
      const before = await emulatorStats(emulator);
      const inbound = await client.listFlows(['inboundcall']);
      const after = await emulatorStats(emulator);

      expect(inbound).toHaveLength(INBOUND + 3);
      expect(new Set(inbound.map((f) => f.id)).size).toBe(INBOUND + 3);
      expect(inbound.every((f) => f.type === 'inboundcall')).toBe(true);
      expect(inbound.map((f) => f.name)).toEqual(
        expect.arrayContaining(['Main Line', 'Support Line', 'Billing Line', 'Line 01', 'Line 30']),
      );
      // ceil(33 / 7) = 5 pages, one request each; the login came before.
      expect(after.requests - before.requests).toBe(5);
      expect(client.stats).toMatchObject({ requests: 6, logins: 1, retries: 0, throttled: 0 });

      const modules = await client.listFlows(['commonmodule']);
      expect(modules.map((f) => f.name).sort()).toEqual([
        'Module 1',
        'Module 2',
        'Module 3',
        'Module 4',
        'Module 5',
        'Shared Common Module - Tag and Greet',
      ]);
      const both = await client.listFlows(['commonmodule', 'INBOUNDCALL']);
      expect(both).toHaveLength(INBOUND + MODULES + 4);
    });
  });

  it('gives plain summaries: lowercase type, division, published version and who published it (name and client id)', async () => {
    await withClient({}, async (client) => {
      const [line] = (await client.listFlows(['inboundcall'])).filter((f) => f.name === 'Line 07');
      expect(line).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Line 07',
        type: 'inboundcall',
        description: 'Integration test line Line 07',
        division: { id: expect.any(String), name: 'Home' },
        publishedVersion: {
          id: '1.0',
          datePublished: expect.any(String),
          createdBy: 'emulator-seed',
          createdByClientId: 'emulator-seed',
        },
      });
      expect(Number.isNaN(Date.parse(line?.publishedVersion?.datePublished ?? ''))).toBe(false);
      // One page of 500 holds them all: one request.
      expect(client.stats.requests).toBe(2);
    });
  });
});

describe('exportFlows', () => {
  it('exports many flows in one job, each exactly as published', async () => {
    await withClient({}, async (client) => {
      const flows = await client.listFlows(['inboundcall', 'commonmodule']);
      const before = await emulatorStats(emulator);
      const contents = await client.exportFlows(refsOf(flows));
      const after = await emulatorStats(emulator);

      expect(contents.size).toBe(INBOUND + MODULES + 4);
      for (const flow of flows) expect(contents.get(flow.id), flow.name).toBe(exportOf(published.get(flow.name)));
      expect(client.stats).toMatchObject({ exportJobs: 1, downloads: 1, retries: 0 });
      // One POST and a few polls for 39 flows, not 39 jobs. (Downloads are not API requests.)
      expect(after.requests - before.requests).toBeGreaterThanOrEqual(2);
      expect(after.requests - before.requests).toBeLessThanOrEqual(6);
    });
  });

  it('getFlows reads many flows by id in one listing per 50 ids; unknown ids are absent', async () => {
    await withClient({}, async (client) => {
      const flows = await client.listFlows(['inboundcall', 'commonmodule']);
      const ids = flows.map((f) => f.id);
      const before = client.stats.requests;
      const read = await client.getFlows([...ids, '00000000-0000-4000-8000-000000000000']);
      expect(client.stats.requests - before).toBe(Math.ceil((ids.length + 1) / 50));
      expect([...read.keys()].sort()).toEqual([...ids].sort());
      for (const f of flows) expect(read.get(f.id)).toEqual(f);
    });
  });

  it('tokens: a second and third token are logged in only when the first has more work than its budget', async () => {
    // 10 a minute per token: a burst of 2, then one every 7.5 s. 6 reads at once need three tokens' bursts.
    const flows = (await withClient({}, (c) => c.listFlows(['inboundcall']))).slice(0, 6);
    await withClient({ tokens: 3, requestsPerMinute: 10 }, async (client) => {
      const started = Date.now();
      const read = await Promise.all(flows.map((f) => client.getFlow(f.id)));
      expect(read.map((f) => f?.id)).toEqual(flows.map((f) => f.id));
      expect(client.stats.logins).toBe(3);
      expect(Date.now() - started).toBeLessThan(5_000); // one token alone would wait 7.5 s for its third
    });
    await withClient({ tokens: 3, requestsPerMinute: 10 }, async (client) => {
      await client.getFlow(flows[0]!.id);
      await client.getFlow(flows[1]!.id);
      expect(client.stats.logins).toBe(1); // small runs never open more than one
    });
  });

  it('prepare: the tokens a burst of requests needs (16 in flight each) log in together, before the burst; a small one needs no more', async () => {
    await withClient({ tokens: 4 }, async (client) => {
      expect(client.stats.logins).toBe(1); // at connect
      await client.prepare(10);
      expect(client.stats.logins).toBe(1);
      await client.prepare(40); // three tokens' worth
      expect(client.stats.logins).toBe(3);
      await client.prepare(1_000); // never more than the pool
      expect(client.stats.logins).toBe(4);
      const before = client.stats.requests;
      await Promise.all(Array.from({ length: 40 }, () => client.listFlows(['commonmodule'])));
      expect(client.stats.logins).toBe(4); // the burst logged nobody in
      expect(client.stats.requests - before).toBeGreaterThanOrEqual(40);
    });
  });

  it('splits into batches of the configured size', async () => {
    await withClient({ exportBatchSize: 10 }, async (client) => {
      const flows = await client.listFlows(['inboundcall', 'commonmodule']);
      const contents = await client.exportFlows(refsOf(flows));
      expect(contents.size).toBe(flows.length);
      expect(client.stats.exportJobs).toBe(Math.ceil(flows.length / 10));
      expect(client.stats.downloads).toBe(Math.ceil(flows.length / 10));
    });
  });

  it('exports a single flow (the download is the YAML itself, not an archive)', async () => {
    await withClient({}, async (client) => {
      const [flow] = (await client.listFlows(['commonmodule'])).filter((f) => f.name === 'Module 3');
      if (!flow) throw new Error('Module 3 not listed');
      const contents = await client.exportFlows(refsOf([flow]));
      expect([...contents]).toEqual([[flow.id, exportOf(published.get('Module 3'))]]);
    });
  });

  it('reports the flows that cannot export and keeps the rest', async () => {
    await withClient({}, async (client) => {
      const flows = (await client.listFlows(['inboundcall'])).slice(0, 8);
      const refs = refsOf(flows);
      refs[5] = { ...refs[5]!, version: '99.0' };
      const error = await client.exportFlows(refs).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(FlowExportError);
      const failure = error as FlowExportError;
      expect(failure.failures).toEqual([
        {
          flowId: refs[5]!.id,
          version: '99.0',
          name: refs[5]!.name,
          message: expect.stringMatching(/no version 99\.0/),
        },
      ]);
      expect(failure.message).toMatch(new RegExp(`could not export 1 flow\\(s\\): "${refs[5]!.name}" version 99\\.0`));
      expect(failure.exported.size).toBe(7);
      expect(failure.exported.has(refs[5]!.id)).toBe(false);
      // 1 failed job, then halves until the bad flow stands alone (and gets one more try).
      expect(client.stats.exportJobs).toBeGreaterThan(2);
      expect(client.stats.exportJobs).toBeLessThanOrEqual(9);
    });
  });

  it('does not bisect without end when every flow fails', async () => {
    await withClient({}, async (client) => {
      const flows = await client.listFlows(['inboundcall', 'commonmodule']);
      const refs = refsOf(flows).map((ref) => ({ ...ref, version: '99.0' }));
      const error = await client.exportFlows(refs).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(FlowExportError);
      expect((error as FlowExportError).failures.map((f) => f.flowId).sort()).toEqual(refs.map((r) => r.id).sort());
      expect((error as FlowExportError).exported.size).toBe(0);
      // The first job, then at most 32 more to isolate failures: not two jobs per flow.
      expect(client.stats.exportJobs).toBeGreaterThan(1);
      expect(client.stats.exportJobs).toBeLessThanOrEqual(33);
    });
  });
});

describe('export cache', () => {
  it('a second export of unchanged flows sends no request at all; a new version is exported alone', async () => {
    const cacheDir = tempDir();
    await withClient({ cacheDir }, async (client) => {
      const flows = await client.listFlows(['inboundcall', 'commonmodule']);
      const first = await client.exportFlows(refsOf(flows));
      expect(client.stats).toMatchObject({ cacheHits: 0, cacheMisses: flows.length, exportJobs: 1 });

      const before = await emulatorStats(emulator);
      const requestsBefore = client.stats.requests;
      const second = await client.exportFlows(refsOf(flows));
      const after = await emulatorStats(emulator);
      expect(second).toEqual(first);
      expect(after.requests).toBe(before.requests);
      expect(client.stats.requests).toBe(requestsBefore);
      expect(client.stats).toMatchObject({ cacheHits: flows.length, exportJobs: 1, downloads: 1 });
    });

    // Someone publishes a change: Line 12 gets version 2.0.
    const changed = inboundCallYaml('Line 12', 'A new greeting');
    await publishYaml(emulator, changed);
    await withClient({ cacheDir }, async (client) => {
      const flows = await client.listFlows(['inboundcall', 'commonmodule']);
      const line12 = flows.find((f) => f.name === 'Line 12');
      expect(line12?.publishedVersion?.id).toBe('2.0');
      const contents = await client.exportFlows(refsOf(flows));
      expect(contents.get(line12?.id ?? '')).toBe(exportOf(changed));
      expect(client.stats).toMatchObject({ cacheHits: flows.length - 1, cacheMisses: 1, exportJobs: 1 });
    });
  });

  it('a flow whose file has secret substitutions is exported, never kept (its live content may hold a rotated secret)', async () => {
    const cacheDir = tempDir();
    const kept = await withClient({ cacheDir }, async (client) => {
      const flows = (await client.listFlows(['commonmodule'])).slice(0, 2);
      const refs = refsOf(flows).map((ref, i) => (i === 0 ? { ...ref, holdsSecrets: true } : ref));
      expect((await client.exportFlows(refs)).size).toBe(2);
      await client.exportFlows(refs);
      expect(client.stats).toMatchObject({ cacheHits: 1, cacheMisses: 3, exportJobs: 2 });
      return flows[1]!.id;
    });
    const entries = (await readdir(`${cacheDir}/flow-exports-v1`)).filter((name) => !name.startsWith('.'));
    expect(entries).toEqual([expect.stringMatching(new RegExp(`^${kept}@`))]);
  });

  it('an unwritable cache folder costs the cache, not the export', async () => {
    const parent = tempDir({ 'not-a-folder': 'x' });
    await withClient({ cacheDir: `${parent}/not-a-folder` }, async (client) => {
      const flows = (await client.listFlows(['commonmodule'])).slice(0, 3);
      const contents = await client.exportFlows(refsOf(flows));
      expect(contents.size).toBe(3);
      expect(client.stats).toMatchObject({ cacheHits: 0, cacheMisses: 3, cacheWriteErrors: 3, exportJobs: 1 });
    });
  });
});
