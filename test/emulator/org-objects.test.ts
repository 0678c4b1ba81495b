/** IVR configurations, queues and what dependency tracking says points at a flow, through the official SDK. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import platformClient from 'purecloud-platform-client-v2';
import { beforeEach, describe, expect, test } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { emulatorForTest, LOCAL_CLIENT, login, runJob, type Session } from '../helpers/emulator.js';
import { commonModule, inboundCall } from '../helpers/flow-yaml.js';
import { rejection } from './helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

let emulator: RunningEmulator;
let admin: Session;
let routing: InstanceType<typeof platformClient.RoutingApi>;

const inQueueCall = (name: string) =>
  `inqueueCall:\n  name: ${name}\n  startUpTaskActions:\n    - disconnect: {name: Bye}\n`;

async function publish(yaml: string): Promise<string> {
  const job = await runJob(admin.architect, yaml);
  expect(job.status).toBe('Success');
  return job.flow?.id ?? '';
}

// Each test its own org: the IVRs, numbers and names one test takes are free in the next.
beforeEach(async () => {
  emulator = await emulatorForTest({
    clients: [LOCAL_CLIENT, { id: 'architect-only', secret: 'pw', scopes: ['architect:*'] }],
  });
  admin = await login(emulator);
  routing = new platformClient.RoutingApi(admin.client);
});

describe('IVR configurations (/api/v2/architect/ivrs)', () => {
  test('create, read, list by name and number, update with its version, delete', async () => {
    const main = await publish(inboundCall('IVR Main Line'));
    const after = await publish(inboundCall('IVR After Hours'));
    const created = await admin.architect.postArchitectIvrs({
      name: 'Main number +1 317 555 0100',
      dnis: ['+13175550100', '+13175550101'],
      openHoursFlow: { id: main },
      closedHoursFlow: { id: after },
      holidayHoursFlow: { id: after },
    });
    expect(created).toMatchObject({
      name: 'Main number +1 317 555 0100',
      version: 1,
      state: 'active',
      dnis: ['+13175550100', '+13175550101'],
      openHoursFlow: { id: main, name: 'IVR Main Line' },
      closedHoursFlow: { id: after, name: 'IVR After Hours' },
      division: { name: 'Home' },
    });
    const id = created.id ?? '';
    expect(await admin.architect.getArchitectIvr(id)).toEqual(created);
    await admin.architect.postArchitectIvrs({
      name: 'Support number',
      dnis: ['+13175550200'],
      openHoursFlow: { id: main },
    });

    expect((await admin.architect.getArchitectIvrs({ name: 'main number' })).entities?.map((i) => i.id)).toEqual([id]);
    expect((await admin.architect.getArchitectIvrs({ dnis: '+13175550101' })).entities?.map((i) => i.id)).toEqual([id]);
    const page = await admin.architect.getArchitectIvrs({ pageSize: 1, pageNumber: 2 });
    expect(page).toMatchObject({ total: 2, pageCount: 2, pageNumber: 2 });
    expect(page.entities?.map((i) => i.name)).toEqual(['Support number']);

    const updated = await admin.architect.putArchitectIvr(id, {
      name: 'Main number',
      dnis: ['+13175550100'],
      openHoursFlow: { id: main },
      version: 1,
    });
    expect(updated).toMatchObject({ name: 'Main number', version: 2, dnis: ['+13175550100'] });
    expect(updated.closedHoursFlow).toBeUndefined(); // a PUT replaces the configuration
    expect(await rejection(admin.architect.putArchitectIvr(id, { name: 'Main number', version: 1 }))).toMatchObject({
      status: 409,
    });

    await admin.architect.deleteArchitectIvr(id);
    expect(await rejection(admin.architect.getArchitectIvr(id))).toMatchObject({ status: 404, code: 'not.found' });
    expect((await admin.architect.getArchitectIvrs({ name: 'Main number' })).total).toBe(0);
  });

  test('refuses a flow that is unknown or not an inbound call flow, a number in use, a name taken', async () => {
    const module = await publish(commonModule('IVR Not Inbound'));
    const inbound = await publish(inboundCall('IVR Target'));
    expect(
      await rejection(admin.architect.postArchitectIvrs({ name: 'Bad', openHoursFlow: { id: 'no-such-flow' } })),
    ).toMatchObject({ status: 400, message: 'openHoursFlow: the flow no-such-flow does not exist.' });
    expect(
      await rejection(admin.architect.postArchitectIvrs({ name: 'Bad', closedHoursFlow: { id: module } })),
    ).toMatchObject({
      status: 400,
      message:
        'closedHoursFlow: the flow IVR Not Inbound is of type commonmodule; a flow of type inboundcall is required.',
    });
    await admin.architect.postArchitectIvrs({ name: 'Taken', dnis: ['+13175550900'], openHoursFlow: { id: inbound } });
    expect(await rejection(admin.architect.postArchitectIvrs({ name: 'Other', dnis: ['+13175550900'] }))).toMatchObject(
      { status: 400, message: 'dnis: the phone number +13175550900 is in use by the IVR Taken.' },
    );
    expect(await rejection(admin.architect.postArchitectIvrs({ name: 'taken' }))).toMatchObject({ status: 409 });
  });

  test('IVRs need the routing:callRoute permissions', async () => {
    const other = await login(emulator, 'architect-only', 'pw');
    expect(await rejection(other.architect.getArchitectIvrs())).toMatchObject({
      status: 403,
      code: 'missing.permissions',
    });
  });
});

describe('consumingresources: what points at a flow', () => {
  test('an IVR routing to an inbound flow, and a queue whose in-queue flow it is', async () => {
    const line = await publish(inboundCall('Pointed At Line'));
    const hold = await publish(inQueueCall('Pointed At Hold'));
    const ivr = await admin.architect.postArchitectIvrs({
      name: 'Routes To Line',
      dnis: ['+13175550300'],
      closedHoursFlow: { id: line },
    });
    const queue = await routing.postRoutingQueues({ name: 'Support', queueFlow: { id: hold } });
    expect(queue).toMatchObject({ name: 'Support', queueFlow: { id: hold, name: 'Pointed At Hold' } });
    expect(await rejection(routing.postRoutingQueues({ name: 'Wrong', queueFlow: { id: line } }))).toMatchObject({
      status: 400,
    });

    const lineConsumers = await admin.architect.getArchitectDependencytrackingConsumingresources(
      line,
      'INBOUNDCALLFLOW',
    );
    expect(lineConsumers.entities?.map((d) => [d.id, d.name, d.type])).toEqual([
      [ivr.id, 'Routes To Line', 'IVRCONFIGURATION'],
    ]);
    const holdConsumers = await admin.architect.getArchitectDependencytrackingConsumingresources(
      hold,
      'INQUEUECALLFLOW',
    );
    expect(holdConsumers.entities?.map((d) => [d.id, d.name, d.type])).toEqual([[queue.id, 'Support', 'QUEUE']]);
    const onlyFlows = await admin.architect.getArchitectDependencytrackingConsumingresources(line, 'INBOUNDCALLFLOW', {
      resourceType: ['INBOUNDCALLFLOW'],
    });
    expect(onlyFlows.entities).toEqual([]);

    await admin.architect.deleteArchitectIvr(ivr.id ?? '');
    await routing.deleteRoutingQueue(queue.id ?? '');
    expect(
      (await admin.architect.getArchitectDependencytrackingConsumingresources(line, 'INBOUNDCALLFLOW')).entities,
    ).toEqual([]);
    expect(
      (await admin.architect.getArchitectDependencytrackingConsumingresources(hold, 'INQUEUECALLFLOW')).entities,
    ).toEqual([]);
    expect((await rejection(routing.getRoutingQueue(queue.id ?? ''))).status).toBe(404);
    // Without an objects file the org lists no objects: queues made through the API are read by id.
    expect((await rejection(routing.getRoutingQueues({ name: 'Support' }))).status).toBe(404);
  });

  test('deleting a flow an IVR routes to is not refused (the choice): the IVR keeps the id of a deleted flow', async () => {
    const line = await publish(inboundCall('Deleted Under An IVR'));
    const ivr = await admin.architect.postArchitectIvrs({ name: 'Dangling', openHoursFlow: { id: line } });
    await admin.architect.deleteFlow(line);
    expect((await admin.architect.getArchitectIvr(ivr.id ?? '')).openHoursFlow).toMatchObject({
      id: line,
      name: 'Deleted Under An IVR',
    });
  });
});

describe('state file', () => {
  test('IVRs and queues survive a restart; a state file from before them still loads', async () => {
    const dir = tempDir({}, 'flowops-emulator-');
    const stateFile = join(dir, 'state.json');
    const first = await startEmulator({ port: 0, stateFile });
    const session = await login(first);
    const flow = (await runJob(session.architect, inboundCall('Kept Line'))).flow?.id ?? '';
    const ivr = await session.architect.postArchitectIvrs({
      name: 'Kept IVR',
      dnis: ['+15550001'],
      openHoursFlow: { id: flow },
    });
    await first.close();

    const again = await startEmulator({ port: 0, stateFile });
    try {
      const s = await login(again);
      expect(await s.architect.getArchitectIvr(ivr.id ?? '')).toMatchObject({
        name: 'Kept IVR',
        openHoursFlow: { id: flow },
      });
      expect(
        (await s.architect.getArchitectDependencytrackingConsumingresources(flow, 'INBOUNDCALLFLOW')).entities?.map(
          (d) => d.type,
        ),
      ).toEqual(['IVRCONFIGURATION']);
    } finally {
      await again.close();
    }

    const old = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, unknown>;
    delete old.ivrs;
    delete old.queues;
    writeFileSync(stateFile, JSON.stringify(old));
    const older = await startEmulator({ port: 0, stateFile });
    try {
      const s = await login(older);
      expect((await s.architect.getArchitectIvrs()).total).toBe(0);
      const routing = new platformClient.RoutingApi(s.client);
      const made = await routing.postRoutingQueues({ name: 'New Queue' });
      expect((await routing.getRoutingQueue(made.id ?? '')).name).toBe('New Queue');
      expect((await s.architect.postArchitectIvrs({ name: 'New', openHoursFlow: { id: flow } })).name).toBe('New');
    } finally {
      await older.close();
    }
  });
});
