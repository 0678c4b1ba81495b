/** Architect jobs, export jobs and locks, through the official SDK over HTTP. */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { login, runJob, type Session } from '../helpers/emulator.js';
import { commonModule, inboundCall } from '../helpers/flow-yaml.js';
import { exportFlows, readZip, rejection } from './helpers.js';

let emulator: RunningEmulator;
let first: Session;
let second: Session;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    clients: [
      { id: 'first-client', secret: 's1' },
      { id: 'second-client', secret: 's2' },
    ],
  });
  first = await login(emulator, 'first-client', 's1');
  second = await login(emulator, 'second-client', 's2');
});
afterAll(() => emulator.close());

const texts = (state: { messages?: { text?: string }[] }) => (state.messages ?? []).map((m) => m.text ?? '');

describe('Architect jobs', () => {
  test('a job walks Registered -> Started -> Success', async () => {
    const slow = await startEmulator({ port: 0, faults: 'jobMs=800' });
    try {
      const { architect } = await login(slow);
      const job = await architect.postFlowsJobs();
      expect((await architect.getFlowsJob(job.id ?? '')).status).toBe('Registered');
      const put = await fetch(job.presignedUrl ?? '', {
        method: 'PUT',
        headers: job.headers ?? {},
        body: inboundCall('Slow'),
      });
      expect(put.status).toBe(200);
      expect((await architect.getFlowsJob(job.id ?? '')).status).toBe('Started');
      await vi.waitFor(
        async () =>
          expect(await architect.getFlowsJob(job.id ?? '')).toMatchObject({ status: 'Success', command: 'Create' }),
        {
          timeout: 5000,
          interval: 50,
        },
      );
    } finally {
      await slow.close();
    }
  });

  test('the presigned upload needs its signature and headers', async () => {
    const job = await first.architect.postFlowsJobs();
    const url = job.presignedUrl ?? '';
    expect(
      (
        await fetch(url.replace(/signature=[^&]+/, 'signature=forged'), {
          method: 'PUT',
          headers: job.headers ?? {},
          body: 'x',
        })
      ).status,
    ).toBe(403);
    expect((await fetch(url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'x' })).status).toBe(
      403,
    );
    expect(
      (await fetch(url, { method: 'PUT', headers: job.headers ?? {}, body: inboundCall('Signed Upload') })).status,
    ).toBe(200);
    expect(
      (await fetch(url, { method: 'PUT', headers: job.headers ?? {}, body: inboundCall('Signed Upload') })).status,
    ).toBe(409);
  });

  test('invalid YAML or a schema error fails the job with line:col messages', async () => {
    const broken = await runJob(first.architect, 'inboundCall:\n  name: [unclosed\n');
    expect(broken.status).toBe('Failure');
    expect(texts(broken).join('\n')).toMatch(/^\d+:\d+: /m);
    const noName = await runJob(first.architect, inboundCall('X').replace('  name: X\n', ''));
    expect(noName.status).toBe('Failure');
    expect(texts(noName).some((t) => /^\d+:\d+: .*name/.test(t))).toBe(true);
  });

  test('a call to a module not published in the org fails the job (missing dependency)', async () => {
    const missing = await runJob(first.architect, inboundCall('Needs Module', { module: 'Absent Module' }));
    expect(missing.status).toBe('Failure');
    expect(texts(missing)[0]).toContain('missing dependencies');
    expect(texts(missing).some((t) => /^\d+:\d+: .*"Absent Module"/.test(t))).toBe(true);
    expect((await first.architect.getFlows({ name: 'Needs Module' })).total).toBe(0);

    expect((await runJob(first.architect, commonModule('Absent Module'))).status).toBe('Success');
    expect((await runJob(first.architect, inboundCall('Needs Module', { module: 'Absent Module' }))).status).toBe(
      'Success',
    );
  });

  test('a module calling a module fails the job', async () => {
    expect((await runJob(first.architect, commonModule('Inner Module'))).status).toBe('Success');
    const nested = await runJob(first.architect, commonModule('Outer Module', { calls: 'Inner Module' }));
    expect(nested.status).toBe('Failure');
    expect(texts(nested).join('\n')).toContain('cannot call another common module');
  });
});

describe('export jobs', () => {
  test('one flow exports as the YAML itself, written afresh from the stored flow (comments gone)', async () => {
    const yaml = `# a comment that a re-serializer would drop\n${inboundCall('Round Trip', { greeting: '"Quoted, with: punctuation"' })}\n\n`;
    const job = await runJob(first.architect, yaml);
    expect(job.status).toBe('Success');
    const exported = await exportFlows(first.architect, [{ flow: { id: job.flow?.id ?? '' } }]);
    expect(exported.state.status).toBe('Success');
    expect(exported.contentType).toContain('yaml');
    const text = exported.body?.toString('utf8') ?? '';
    expect(text).not.toContain('# a comment');
    expect(text).toContain('tts: "Quoted, with: punctuation"');
    expect((parseYaml(text) as { inboundCall: { name: string } }).inboundCall.name).toBe('Round Trip');
  });

  test('several flows export as a zip of one file per flow, by id or by name and type, any version', async () => {
    const a = await runJob(first.architect, inboundCall('Export A', { greeting: 'v1' }));
    await runJob(first.architect, inboundCall('Export A', { greeting: 'v2' }));
    const b = await runJob(first.architect, commonModule('Export B'));
    expect([a.status, b.status]).toEqual(['Success', 'Success']);
    const exported = await exportFlows(first.architect, [
      { flow: { id: a.flow?.id ?? '' }, fileName: 'a-latest' },
      { flow: { id: a.flow?.id ?? '', version: '1.0' }, fileName: 'a_first' },
      { flow: { name: 'Export B', type: 'commonmodule' } },
    ]);
    expect(exported.state.status).toBe('Success');
    expect(exported.contentType).toBe('application/zip');
    const files = readZip(exported.body ?? Buffer.alloc(0));
    expect([...files.keys()]).toEqual(['a-latest.yaml', 'a_first.yaml', 'Export_B.yaml']);
    // Each file is that version's flow, written afresh (architect-export.test.ts checks the writing).
    const flowOf = (name: string) =>
      parseYaml(files.get(name)?.toString() ?? '') as Record<string, Record<string, unknown>>;
    expect(flowOf('a-latest.yaml').inboundCall).toMatchObject({ name: 'Export A', initialGreeting: { tts: 'v2' } });
    expect(flowOf('a_first.yaml').inboundCall).toMatchObject({ name: 'Export A', initialGreeting: { tts: 'v1' } });
    expect(flowOf('Export_B.yaml').commonModule).toMatchObject({ name: 'Export B' });
  });

  test("a version's export does not change when a newer version is published (the older one is then kept as text)", async () => {
    const v1 = await runJob(first.architect, inboundCall('Kept Export', { greeting: 'first words' }));
    const id = v1.flow?.id ?? '';
    const before = (await exportFlows(first.architect, [{ flow: { id, version: '1.0' } }])).body?.toString('utf8');
    expect(before).toContain('first words');
    for (const words of ['second words', 'third words'])
      expect((await runJob(first.architect, inboundCall('Kept Export', { greeting: words }))).status).toBe('Success');
    const after = (await exportFlows(first.architect, [{ flow: { id, version: '1.0' } }])).body?.toString('utf8');
    expect(after).toBe(before);
    const latest = (await exportFlows(first.architect, [{ flow: { id } }])).body?.toString('utf8');
    expect(latest).toContain('third words');
  });

  test('an unknown or unpublished flow fails the export, naming it', async () => {
    const draft = await first.architect.postFlows({ name: 'Never Published', type: 'inboundcall' });
    const exported = await exportFlows(first.architect, [
      { flow: { id: draft.id ?? '' } },
      { flow: { name: 'Nope', type: 'inboundcall' } },
    ]);
    expect(exported.state.status).toBe('Failure');
    expect(texts(exported.state)).toEqual([
      expect.stringContaining('"Never Published" has no published version'),
      expect.stringContaining('"Nope" was not found'),
    ]);
    expect(
      await rejection(first.architect.postFlowsExportJobs({ flows: [{ flow: { id: 'x' }, fileName: 'bad name!' }] })),
    ).toMatchObject({ status: 400 });
  });
});

describe('locks', () => {
  test("a flow locked by another client fails the first client's job, naming the holder; a second checkout is a 409", async () => {
    const created = await runJob(first.architect, inboundCall('Contended'));
    const id = created.flow?.id ?? '';
    const locked = await second.architect.postFlowsActionsCheckout(id);
    expect(locked.lockedClient).toMatchObject({ id: 'second-client' });

    const blocked = await runJob(first.architect, inboundCall('Contended', { greeting: 'Mine' }));
    expect(blocked.status).toBe('Failure');
    expect(texts(blocked).join('\n')).toContain('locked by another entity: client "second-client"');
    expect((await first.architect.getFlow(id)).publishedVersion?.id).toBe('1.0');

    const again = await rejection(first.architect.postFlowsActionsCheckout(id));
    expect(again).toMatchObject({ status: 409, code: 'architect.flow.locked.by.user' });
    expect(again.message).toContain('second-client');
    expect(await rejection(second.architect.postFlowsActionsCheckout(id))).toMatchObject({ status: 409 });

    await second.architect.postFlowsActionsCheckin(id);
    expect((await runJob(first.architect, inboundCall('Contended', { greeting: 'Mine' }))).status).toBe('Success');
  });

  test("saving without the lock is a 409; unlock checks the holder's draft in as a new version", async () => {
    const created = await runJob(first.architect, inboundCall('Drafted'));
    const id = created.flow?.id ?? '';
    const notLocked = await rejection(first.architect.postFlowVersions(id, { any: 'config' }));
    expect(notLocked).toMatchObject({ status: 409, code: 'architect.flow.not.locked.by.requesting.user' });

    await second.architect.postFlowsActionsCheckout(id);
    expect(await rejection(first.architect.postFlowVersions(id, { any: 'config' }))).toMatchObject({ status: 409 });
    const saved = await second.architect.postFlowVersions(id, { any: 'config' });
    expect(saved.type).toBe('SAVE');
    expect(await rejection(second.architect.postFlowsActionsPublish(id))).toMatchObject({
      status: 409,
      code: 'architect.flow.not.checked.in',
    });

    const unlocked = await first.architect.postFlowsActionsUnlock(id);
    expect(unlocked.lockedClient).toBeUndefined();
    expect(unlocked.checkedInVersion?.id).toBe('2.0');
    expect(unlocked.publishedVersion?.id).toBe('1.0');
    const published = await first.architect.postFlowsActionsPublish(id, { version: '2.0' });
    expect(published).toMatchObject({ actionName: 'PUBLISH', actionStatus: 'SUCCESS', complete: true });
    expect((await first.architect.getFlow(id)).publishedVersion?.id).toBe('2.0');
  });

  test('revert drops the draft and releases the lock', async () => {
    const created = await runJob(first.architect, inboundCall('Reverted'));
    const id = created.flow?.id ?? '';
    await first.architect.postFlowsActionsCheckout(id);
    await first.architect.postFlowVersions(id, { draft: true });
    expect(await rejection(second.architect.postFlowsActionsRevert(id))).toMatchObject({ status: 409 });
    const reverted = await first.architect.postFlowsActionsRevert(id);
    expect(reverted.lockedClient).toBeUndefined();
    expect(reverted.savedVersion?.id).toBe('1.0');
    expect((await first.architect.getFlowVersions(id)).total).toBe(1);
  });
});
