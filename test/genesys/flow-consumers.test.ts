/** flowConsumers: what points at a flow, from dependency tracking, against the emulator through the SDK. */
import platformClient from 'purecloud-platform-client-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { connectGenesys, consumerTypeName, dependencyTypeOfFlow, type GenesysClient } from '../../src/genesys/index.js';
import { emulatorStats, login, type Session } from '../helpers/emulator.js';
import { callerYaml, CLIENT, commonModuleYaml, inboundCallYaml, publishYaml } from './helpers.js';

let emulator: RunningEmulator;
let client: GenesysClient;
let admin: Session;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, clients: [{ id: CLIENT.clientId, secret: CLIENT.clientSecret }] });
  client = await connectGenesys({ target: emulator.url, credentials: CLIENT });
  admin = await login(emulator, CLIENT.clientId, CLIENT.clientSecret);
});
afterAll(async () => {
  await client?.close();
  await emulator?.close();
});

const idOf = async (name: string) =>
  (await client.findFlow(
    name.startsWith('Module') ? 'commonmodule' : name.startsWith('Hold') ? 'inqueuecall' : 'inboundcall',
    name,
  ))!.id;

describe('flowConsumers', () => {
  it('names IVRs, queues and calling flows for people; nothing for a flow nothing points at', async () => {
    await publishYaml(emulator, commonModuleYaml('Module Shared'));
    await publishYaml(emulator, callerYaml('Line Calling', 'Module Shared'));
    await publishYaml(emulator, inboundCallYaml('Line Routed'));
    await publishYaml(emulator, inboundCallYaml('Line Alone'));
    await publishYaml(
      emulator,
      'inqueueCall:\n  name: Hold Music\n  startUpTaskActions:\n    - disconnect: {name: Bye}\n',
    );
    const routed = await idOf('Line Routed');
    const ivr = await admin.architect.postArchitectIvrs({
      name: 'Main number +1 317 555 0100',
      dnis: ['+13175550100'],
      openHoursFlow: { id: routed },
    });
    const queue = await new platformClient.RoutingApi(admin.client).postRoutingQueues({
      name: 'Support',
      queueFlow: { id: await idOf('Hold Music') },
    });

    const before = client.stats.consumerChecks;
    expect(await client.flowConsumers(routed, 'inboundcall')).toEqual([
      { type: 'IVR', name: 'Main number +1 317 555 0100', id: ivr.id },
    ]);
    expect(await client.flowConsumers(await idOf('Hold Music'), 'inqueuecall')).toEqual([
      { type: 'queue', name: 'Support', id: queue.id },
    ]);
    expect(await client.flowConsumers(await idOf('Module Shared'), 'commonmodule')).toEqual([
      { type: 'flow', name: 'Line Calling', id: await idOf('Line Calling') },
    ]);
    expect(await client.flowConsumers(await idOf('Line Alone'), 'inboundcall')).toEqual([]);
    expect(client.stats.consumerChecks - before).toBe(4);
  });

  it('reads every page', async () => {
    await publishYaml(emulator, inboundCallYaml('Line Popular'));
    const popular = await idOf('Line Popular');
    for (let i = 0; i < 120; i++)
      await admin.architect.postArchitectIvrs({
        name: `Number ${String(i).padStart(3, '0')}`,
        openHoursFlow: { id: popular },
      });
    const checks = client.stats.consumerChecks;
    const requests = (await emulatorStats(emulator)).requests;
    const consumers = await client.flowConsumers(popular, 'inboundcall');
    expect(consumers).toHaveLength(120);
    expect(new Set(consumers.map((c) => c.name)).size).toBe(120);
    expect(client.stats.consumerChecks - checks).toBe(2);
    expect((await emulatorStats(emulator)).requests - requests).toBe(2);
  });

  it('object types of flows, and consumer types for people (pure)', () => {
    expect(
      ['inboundcall', 'commonmodule', 'bot', 'digitalbot', 'workflow', 'inqueuecall'].map(dependencyTypeOfFlow),
    ).toEqual(['INBOUNDCALLFLOW', 'COMMONMODULEFLOW', 'BOTFLOW', 'DIGITALBOTFLOW', 'WORKFLOW', 'INQUEUECALLFLOW']);
    expect(
      [
        'IVRCONFIGURATION',
        'QUEUE',
        'INBOUNDCALLFLOW',
        'WORKFLOW',
        'BOTFLOW',
        'DIGITALBOTFLOW',
        'EMAILROUTE',
        'DATAACTION',
        undefined,
      ].map(consumerTypeName),
    ).toEqual(['IVR', 'queue', 'flow', 'flow', 'bot', 'bot', 'email route', 'dataaction', 'object']);
  });
});
