/**
 * The write path against the emulator, through the real SDK over HTTP: publish (create, update),
 * get and find, locks held by another client, missing modules, invalid files, unlock, delete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { RemoteError } from '../../src/errors.js';
import { connectGenesys, FlowDeleteError, FlowJobError, type GenesysClient } from '../../src/genesys/index.js';
import { emulatorStats, login, type Session } from '../helpers/emulator.js';
import { callerYaml, CLIENT, commonModuleYaml, inboundCallYaml } from './helpers.js';

const SECOND = { id: 'second-client', secret: 'second-secret' };
const FAST = { retry: { baseDelayMs: 1, maxDelayMs: 5 } };

let emulator: RunningEmulator;
let client: GenesysClient;
/** Another OAuth client in the same org: someone editing in Architect. */
let second: Session;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, clients: [{ id: CLIENT.clientId, secret: CLIENT.clientSecret }, SECOND] });
  client = await connectGenesys({ target: emulator.url, credentials: CLIENT, ...FAST });
  second = await login(emulator, SECOND.id, SECOND.secret);
});

afterAll(async () => {
  await client?.close();
  await emulator?.close();
});

async function jobFailure(promise: Promise<unknown>): Promise<FlowJobError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(FlowJobError);
  return outcome as FlowJobError;
}

describe('publishFlow, getFlow, findFlow', () => {
  it('creates a flow (1.0), then updates it (2.0); get and find see each version', async () => {
    const before = await emulatorStats(emulator);
    const statsBefore = client.stats;
    const created = await client.publishFlow(inboundCallYaml('Write Line', 'Hello'));
    expect(created).toEqual({
      flowId: expect.any(String),
      jobId: expect.any(String),
      command: 'Create',
      messages: [expect.stringContaining('as version 1.0')],
    });

    const first = await client.getFlow(created.flowId);
    expect(first).toMatchObject({
      id: created.flowId,
      name: 'Write Line',
      type: 'inboundcall',
      description: 'Integration test line Write Line',
      publishedVersion: { id: '1.0', createdBy: CLIENT.clientId, datePublished: expect.any(String) },
    });
    expect(first?.lockedBy).toBeUndefined();

    // Every request is counted: the emulator saw exactly the API requests the client counted.
    const after = await emulatorStats(emulator);
    const stats = client.stats;
    expect(after.requests - before.requests).toBe(stats.requests - statsBefore.requests);
    expect(stats.publishJobs - statsBefore.publishJobs).toBe(1);
    expect(stats.uploads - statsBefore.uploads).toBe(1);
    // register + the job checks + the getFlow
    expect(stats.requests - statsBefore.requests).toBe(1 + (stats.publishPolls - statsBefore.publishPolls) + 1);

    const updated = await client.publishFlow(inboundCallYaml('Write Line', 'Hello again'));
    expect(updated).toMatchObject({
      flowId: created.flowId,
      command: 'Update',
      messages: [expect.stringContaining('as version 2.0')],
    });
    expect((await client.getFlow(created.flowId))?.publishedVersion?.id).toBe('2.0');

    // findFlow matches type and name exactly, ignoring case; the same summary as listFlows gives.
    const found = await client.findFlow('INBOUNDCALL', 'write line');
    const listed = (await client.listFlows(['inboundcall'])).find((f) => f.id === created.flowId);
    expect(found).toEqual(listed);
    expect(found?.publishedVersion?.id).toBe('2.0');
    expect(await client.findFlow('commonmodule', 'Write Line')).toBeUndefined();
    expect(await client.findFlow('inboundcall', 'Write')).toBeUndefined();
    expect(await client.getFlow('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('findFlow picks the exact name among many partial matches', async () => {
    for (const name of ['Find Me Too', 'Find Me', 'Also Find Me']) await client.publishFlow(inboundCallYaml(name));
    expect((await client.findFlow('inboundcall', 'FIND ME'))?.name).toBe('Find Me');
  });
});

describe('locks', () => {
  it("a flow checked out by another client fails with reason 'locked' and the holder; the lock stays; unlock then publish works", async () => {
    const { flowId } = await client.publishFlow(inboundCallYaml('Locked Line'));
    await second.architect.postFlowsActionsCheckout(flowId);

    const error = await jobFailure(client.publishFlow(inboundCallYaml('Locked Line', 'Mine')));
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.reason).toBe('locked');
    expect(error.holder).toBe(SECOND.id);
    expect(error.message).toMatch(/^Architect job \S+ locked by second-client: .*locked by another entity/);
    expect(error.messages.join('\n')).toContain('--forceUnlock');

    // Nothing changed: still locked by the second client, still version 1.0.
    const live = await client.getFlow(flowId);
    expect(live).toMatchObject({ lockedBy: SECOND.id, publishedVersion: { id: '1.0' } });

    await client.unlockFlow(flowId);
    expect((await client.getFlow(flowId))?.lockedBy).toBeUndefined();
    const published = await client.publishFlow(inboundCallYaml('Locked Line', 'Mine'));
    expect(published.flowId).toBe(flowId);
    expect((await client.getFlow(flowId))?.publishedVersion?.id).toBe('2.0');
  });
});

describe('job failures', () => {
  it("a call to a module that is not published fails with 'missing-dependency'", async () => {
    const error = await jobFailure(client.publishFlow(callerYaml('Orphan Caller', 'Never Published Module')));
    expect(error.reason).toBe('missing-dependency');
    expect(error.messages[0]).toMatch(/cannot be published due to missing dependencies/);
    expect(error.messages.join('\n')).toContain('Never Published Module');
    expect(await client.findFlow('inboundcall', 'Orphan Caller')).toBeUndefined();
  });

  it("an invalid file fails with 'invalid' and Architect's line:col messages", async () => {
    const broken = inboundCallYaml('Broken Line')
      .replace('  startUpRef: "/inboundCall/tasks/task[start]"\n', '')
      .replace('disconnect:', 'disconnectt:');
    const error = await jobFailure(client.publishFlow(broken));
    expect(error.reason).toBe('invalid');
    expect(error.messages.length).toBeGreaterThanOrEqual(1);
    for (const text of error.messages) expect(text).toMatch(/^\d+:\d+: /);
    expect(error.message).toMatch(/^Architect job \S+ invalid flow: \d+:\d+: /);

    const unparsable = await jobFailure(client.publishFlow('inboundCall:\n  name: [unclosed\n'));
    expect(unparsable.reason).toBe('invalid');
    expect(unparsable.messages[0]).toMatch(/^\d+:\d+: /);
  });
});

describe('deleteFlow', () => {
  it('refuses a module that a published flow calls with a typed in-use error, once; deletes an unused flow', async () => {
    const module = await client.publishFlow(commonModuleYaml('Used Module'));
    await client.publishFlow(callerYaml('Module Caller', 'Used Module'));

    const before = client.stats.requests;
    const refused = await client.deleteFlow(module.flowId).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(FlowDeleteError);
    expect(refused).toBeInstanceOf(RemoteError);
    expect(refused).toMatchObject({ reason: 'in-use', status: 409, flowId: module.flowId });
    expect((refused as FlowDeleteError).message).toMatch(/still used by other flows.*Module Caller/);
    // Not retried: a 409 is one request.
    expect(client.stats.requests - before).toBe(1);
    expect((await client.getFlow(module.flowId))?.publishedVersion?.id).toBe('1.0');

    const unused = await client.publishFlow(inboundCallYaml('Short Lived'));
    await client.deleteFlow(unused.flowId);
    expect(await client.getFlow(unused.flowId)).toBeUndefined();
    expect(await client.findFlow('inboundcall', 'Short Lived')).toBeUndefined();
    // Deleting what is gone already is done (a retried DELETE whose answer was lost).
    await client.deleteFlow(unused.flowId);
  });

  it("a flow locked by another client is refused with reason 'locked' and the holder", async () => {
    const { flowId } = await client.publishFlow(inboundCallYaml('Locked For Delete'));
    await second.architect.postFlowsActionsCheckout(flowId);
    const refused = (await client.deleteFlow(flowId).catch((error: unknown) => error)) as FlowDeleteError;
    expect(refused).toBeInstanceOf(FlowDeleteError);
    expect(refused).toMatchObject({ reason: 'locked', holder: SECOND.id, status: 409 });
    expect(await client.getFlow(flowId)).toMatchObject({ lockedBy: SECOND.id });
    await second.architect.postFlowsActionsCheckin(flowId);
  });
});
