/** State persistence across restarts, and seeding from a directory of flow files. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { login, runJob } from '../helpers/emulator.js';
import { commonModule, inboundCall } from '../helpers/flow-yaml.js';
import { exportFlows, rejection } from './helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('state file', () => {
  test('flows, versions, locks and tokens survive a restart', async () => {
    const stateFile = join(tempDir(), 'state.json');
    const before = await startEmulator({ port: 0, stateFile });
    const session = await login(before);
    const yaml = inboundCall('Durable', { greeting: 'Persisted' });
    const job = await runJob(session.architect, yaml);
    await runJob(session.architect, commonModule('Durable Module'));
    const id = job.flow?.id ?? '';
    await session.architect.postFlowsActionsCheckout(id);
    const exportedBefore = (await exportFlows(session.architect, [{ flow: { id } }])).body?.toString();
    await before.close();

    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as {
      flows: Record<string, unknown>;
      tokens: Record<string, unknown>;
    };
    expect(Object.keys(saved.flows)).toHaveLength(2);
    expect(readFileSync(stateFile, 'utf8')).not.toContain(session.token);

    const after = await startEmulator({ port: 0, stateFile });
    try {
      // The SDK client keeps its token; only the port changed.
      session.client.setGateway({
        host: '127.0.0.1',
        protocol: 'http',
        port: after.port,
        path_params_login: 'login',
        path_params_api: '',
      });
      const flow = await session.architect.getFlow(id);
      expect(flow).toMatchObject({
        name: 'Durable',
        publishedVersion: { id: '1.0' },
        lockedClient: { id: 'local-client' },
      });
      expect((await session.architect.getFlows()).total).toBe(2);
      await session.architect.postFlowsActionsCheckin(id);
      const exported = await exportFlows(session.architect, [{ flow: { id } }]);
      // The export is written from the stored flow: the same text after the restart.
      expect(exported.body?.toString()).toBe(exportedBefore);
      expect(exported.body?.toString()).toContain('tts: Persisted');
      expect((await runJob(session.architect, inboundCall('Durable', { greeting: 'Again' }))).status).toBe('Success');
      expect((await session.architect.getFlow(id)).publishedVersion?.id).toBe('2.0');
    } finally {
      await after.close();
    }
  });

  test('a state file that is not emulator state stops the start with a clear error', async () => {
    const stateFile = join(tempDir(), 'state.json');
    writeFileSync(stateFile, '{"half":');
    await expect(startEmulator({ port: 0, stateFile })).rejects.toThrow(/state\.json: not valid JSON/);
    writeFileSync(stateFile, '{"something": "else"}');
    await expect(startEmulator({ port: 0, stateFile })).rejects.toThrow(/not an emulator state file/);
  });
});

describe('--seed DIR', () => {
  test('publishes every flow file, modules before their callers, only at first start', async () => {
    const dir = tempDir();
    const stateFile = join(dir, 'state.json');
    writeFileSync(join(dir, 'a-caller.yaml'), inboundCall('Seeded Caller', { module: 'Seeded Module' }));
    writeFileSync(join(dir, 'z-module.yaml'), commonModule('Seeded Module'));
    writeFileSync(join(dir, 'notes.txt'), 'not a flow');
    const first = await startEmulator({ port: 0, seedDir: dir, stateFile });
    expect(first.seeded).toBe(2);
    const { architect } = await login(first);
    const listed = await architect.getFlows({ sortBy: 'name' });
    expect(listed.entities?.map((f) => [f.name, f.publishedVersion?.id])).toEqual([
      ['Seeded Caller', '1.0'],
      ['Seeded Module', '1.0'],
    ]);
    await first.close();
    const second = await startEmulator({ port: 0, seedDir: dir, stateFile });
    expect(second.seeded).toBe(0);
    await second.close();
  });

  test('an invalid seed file stops the start, naming file, line and column', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'caller.yaml'), inboundCall('Orphan', { module: 'Nowhere' }));
    await expect(startEmulator({ port: 0, seedDir: dir })).rejects.toThrow(/caller\.yaml:\d+:\d+: .*"Nowhere"/);
  });

  test('seeds 1000 flows in a few seconds', async () => {
    const dir = tempDir();
    for (let m = 0; m < 20; m++) writeFileSync(join(dir, `module-${m}.yaml`), commonModule(`Bulk Module ${m}`));
    for (let i = 0; i < 980; i++)
      writeFileSync(join(dir, `flow-${i}.yaml`), inboundCall(`Bulk Flow ${i}`, { module: `Bulk Module ${i % 20}` }));
    const started = Date.now();
    const emulator = await startEmulator({ port: 0, seedDir: dir, stateFile: join(dir, 'state.json') });
    const elapsed = Date.now() - started;
    try {
      expect(emulator.seeded).toBe(1000);
      expect(elapsed).toBeLessThan(10_000);
      const { architect } = await login(emulator);
      expect((await architect.getFlows({ pageSize: 1 })).total).toBe(1000);
      expect(await rejection(architect.getFlow('missing'))).toMatchObject({ status: 404 });
    } finally {
      await emulator.close();
    }
  }, 30_000);
});
