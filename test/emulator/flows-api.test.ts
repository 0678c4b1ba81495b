/** Login, flows CRUD and listing, through the official SDK over HTTP. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { login, newClient, runJob, type Session } from '../helpers/emulator.js';
import { commonModule, inboundCall } from '../helpers/flow-yaml.js';
import { rejection } from './helpers.js';

let emulator: RunningEmulator;
let admin: Session;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    clients: [
      { id: 'local-client', secret: 'local-secret' },
      { id: 'viewer', secret: 'viewer-secret', scopes: ['architect:flow:view'] },
    ],
  });
  admin = await login(emulator);
});
afterAll(() => emulator.close());

describe('login', () => {
  test('client credentials give a bearer token the SDK uses', async () => {
    const client = newClient(emulator);
    const auth = await client.loginClientCredentialsGrant('local-client', 'local-secret');
    expect(auth.accessToken).toMatch(/^[\w-]{20,}$/);
    expect(auth.tokenExpiryTime).toBeGreaterThan(Date.now() + 3_600_000);
  });

  test('a wrong secret or an unknown client is a 401', async () => {
    for (const [id, secret] of [
      ['local-client', 'wrong'],
      ['nobody', 'local-secret'],
    ] as const) {
      const response = await fetch(`${emulator.url}/login/oauth/token`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'invalid_client' });
    }
    const error = await rejection(newClient(emulator).loginClientCredentialsGrant('local-client', 'wrong'));
    expect(error).toBeTruthy();
  });

  test('an unknown bearer token is a 401 with the real error body', async () => {
    const client = newClient(emulator);
    client.setAccessToken('not-a-token');
    client.setReturnExtendedResponses(true);
    const { ArchitectApi } = (await import('purecloud-platform-client-v2')).default;
    const error = await rejection(new ArchitectApi(client).getFlows());
    expect(error.status).toBe(401);
    expect(error.body).toMatchObject({ status: 401, code: 'bad.credentials', message: 'Invalid login credentials.' });
    expect(Object.keys(error.body as object)).toEqual(
      expect.arrayContaining([
        'message',
        'code',
        'status',
        'messageWithParams',
        'messageParams',
        'contextId',
        'details',
        'errors',
      ]),
    );
  });

  test('tokens expire', async () => {
    const short = await startEmulator({ port: 0, tokenTtlSeconds: 1 });
    try {
      const session = await login(short);
      await session.architect.getFlows();
      await new Promise((r) => setTimeout(r, 1100));
      expect((await rejection(session.architect.getFlows())).code).toBe('bad.credentials');
    } finally {
      await short.close();
    }
  });

  test('a client without a permission gets 403 naming it', async () => {
    const viewer = await login(emulator, 'viewer', 'viewer-secret');
    await viewer.architect.getFlows();
    const error = await rejection(viewer.architect.postFlowsJobs());
    expect(error).toMatchObject({ status: 403, code: 'missing.permissions' });
    expect(error.message).toContain('architect:job:create');
  });
});

describe('flows', () => {
  test('a job creates a flow, a second job updates it with a new published version', async () => {
    const created = await runJob(admin.architect, inboundCall('Create Update', { greeting: 'Hello' }));
    expect(created).toMatchObject({ status: 'Success', command: 'Create' });
    const id = created.flow?.id ?? '';
    const flow = await admin.architect.getFlow(id);
    expect(flow).toMatchObject({
      id,
      name: 'Create Update',
      type: 'INBOUNDCALL',
      description: 'Test flow Create Update',
      active: true,
      deleted: false,
    });
    expect(flow.division?.name).toBe('Home');
    expect(flow.publishedVersion?.id).toBe('1.0');
    expect(flow.lockedClient).toBeUndefined();

    const updated = await runJob(admin.architect, inboundCall('Create Update', { greeting: 'Changed' }));
    expect(updated).toMatchObject({ status: 'Success', command: 'Update', flow: { id } });
    const after = await admin.architect.getFlow(id);
    expect(after.publishedVersion?.id).toBe('2.0');
    expect(after.checkedInVersion?.id).toBe('2.0');
    const versions = await admin.architect.getFlowVersions(id);
    expect(versions.entities?.map((v) => [v.id, v.type])).toEqual([
      ['1.0', 'PUBLISH'],
      ['2.0', 'PUBLISH'],
    ]);
    expect(versions.total).toBe(2);
    expect((await admin.architect.getFlowVersion(id, '1.0')).createdByClient?.id).toBe('local-client');
  });

  test('list pages with the real listing shape, and filters by type (comma-joined or repeated)', async () => {
    for (let i = 0; i < 7; i++)
      expect((await runJob(admin.architect, inboundCall(`Paged ${i}`))).status).toBe('Success');
    for (let i = 0; i < 3; i++)
      expect((await runJob(admin.architect, commonModule(`Paged Module ${i}`))).status).toBe('Success');

    const page1 = await admin.architect.getFlows({ name: 'Paged', pageSize: 4, pageNumber: 1, sortBy: 'name' });
    expect(page1).toMatchObject({ total: 10, pageSize: 4, pageNumber: 1, pageCount: 3 });
    expect(page1.entities).toHaveLength(4);
    expect(page1.nextUri).toContain('pageNumber=2');
    expect(page1.previousUri).toBeUndefined();
    expect(page1.lastUri).toContain('pageNumber=3');
    const page3 = await admin.architect.getFlows({ name: 'Paged', pageSize: 4, pageNumber: 3, sortBy: 'name' });
    expect(page3.entities).toHaveLength(2);
    expect(page3.nextUri).toBeUndefined();
    const names = [
      page1,
      await admin.architect.getFlows({ name: 'Paged', pageSize: 4, pageNumber: 2, sortBy: 'name' }),
      page3,
    ].flatMap((p) => p.entities?.map((f) => f.name) ?? []);
    expect(new Set(names).size).toBe(10);

    const modules = await admin.architect.getFlows({ type: ['commonmodule'], name: 'Paged' });
    expect(modules.entities?.map((f) => f.type)).toEqual(['COMMONMODULE', 'COMMONMODULE', 'COMMONMODULE']);
    const both = await admin.architect.getFlows({
      type: ['commonmodule', 'inboundcall'],
      name: 'Paged',
      pageSize: 100,
    });
    expect(both.total).toBe(10);

    const token = admin.token;
    const repeated = await fetch(
      `${emulator.url}/api/v2/flows?type=commonmodule&type=inboundcall&name=Paged%20Module`,
      {
        headers: { Authorization: `Bearer ${token}` },
      },
    );
    expect(((await repeated.json()) as { total: number }).total).toBe(3);
    expect((await rejection(admin.architect.getFlows({ pageSize: 501 }))).status).toBe(400);

    const ids = (modules.entities ?? []).map((f) => f.id ?? '');
    const looked = await admin.architect.getFlowsLookup([ids[0] ?? '', ids[2] ?? '', 'unknown-id']);
    expect(looked.entities?.map((f) => f.id).sort()).toEqual([ids[0], ids[2]].sort());
  });

  test('POST, PUT and DELETE; a deleted flow answers 410', async () => {
    const flow = await admin.architect.postFlows({ name: 'Made By Post', type: 'inboundcall', description: 'empty' });
    expect(flow).toMatchObject({ name: 'Made By Post', type: 'INBOUNDCALL', lockedClient: { id: 'local-client' } });
    const dup = await rejection(admin.architect.postFlows({ name: 'made by post', type: 'inboundcall' }));
    expect(dup).toMatchObject({ status: 409, code: 'architect.flow.name.already.exists' });
    const renamed = await admin.architect.putFlow(flow.id ?? '', { name: 'Renamed By Put', description: 'changed' });
    expect(renamed).toMatchObject({ name: 'Renamed By Put', description: 'changed' });
    await admin.architect.deleteFlow(flow.id ?? '');
    expect(await rejection(admin.architect.getFlow(flow.id ?? ''))).toMatchObject({ status: 410 });
    expect((await admin.architect.getFlow(flow.id ?? '', { deleted: true })).deleted).toBe(true);
    expect(await rejection(admin.architect.getFlow('no-such-flow'))).toMatchObject({ status: 404, code: 'not.found' });
    expect((await admin.architect.getFlows({ name: 'Renamed By Put' })).total).toBe(0);
  });

  test('consumingresources lists the flows whose published version calls a module', async () => {
    const module = await runJob(admin.architect, commonModule('Shared Greeting'));
    expect(module.status).toBe('Success');
    for (const name of ['Caller A', 'Caller B']) {
      expect((await runJob(admin.architect, inboundCall(name, { module: 'Shared Greeting' }))).status).toBe('Success');
    }
    expect((await runJob(admin.architect, inboundCall('Not A Caller'))).status).toBe('Success');
    const consumers = await admin.architect.getArchitectDependencytrackingConsumingresources(
      module.flow?.id ?? '',
      'COMMONMODULEFLOW',
    );
    expect(consumers.entities?.map((d) => [d.name, d.type, d.version])).toEqual([
      ['Caller A', 'INBOUNDCALLFLOW', '1.0'],
      ['Caller B', 'INBOUNDCALLFLOW', '1.0'],
    ]);
    const callerId = (await admin.architect.getFlows({ name: 'Caller A' })).entities?.[0]?.id ?? '';
    const consumed = await admin.architect.getArchitectDependencytrackingConsumedresources(
      callerId,
      '1.0',
      'INBOUNDCALLFLOW',
    );
    expect(consumed.entities?.map((d) => [d.id, d.name, d.type])).toEqual([
      [module.flow?.id, 'Shared Greeting', 'COMMONMODULEFLOW'],
    ]);
    const deleteModule = await rejection(admin.architect.deleteFlow(module.flow?.id ?? ''));
    expect(deleteModule).toMatchObject({ status: 409, code: 'architect.flow.in.use' });
  });
});
