/**
 * The emulator's org objects (an objects file): the list endpoints through the official SDK, paged
 * and filtered; 404 without objects; publish jobs naming objects the org lacks fail with one message
 * each; dependency tracking of objects, and of an IVR of the file routed to an inbound flow.
 */
import platformClient from 'purecloud-platform-client-v2';
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { type OrgObjectsSpec, startEmulator } from '../../src/emulator/index.js';
import { emulatorForTest, login, runJob, type Session } from '../helpers/emulator.js';
import { inboundCall } from '../helpers/flow-yaml.js';
import { tempDir } from '../helpers/temp-dir.js';
import { rejection } from './helpers.js';

const INTEGRATION = 'Genesys Cloud Data Actions';

/** Three of each kind (the third with a name a `name` filter tells apart), and more where a test needs. */
const OBJECTS: OrgObjectsSpec = {
  queues: ['Support', 'Sales', { name: 'Billing "VIP" ', description: 'quotes and a trailing space' }],
  prompts: ['Welcome', 'Goodbye', 'Welcome_Back'],
  systemPrompts: ['on_hold_music', 'queue_position', 'on_hold_beep'],
  dataActions: [
    { integration: INTEGRATION, name: 'Lookup Order' },
    { integration: INTEGRATION, name: 'Lookup Customer' },
    { integration: 'Partner API', name: 'Créer un ticket' },
  ],
  dataTables: ['Blocked Numbers', 'Holidays', 'Blocked Areas'],
  scheduleGroups: ['Office Hours', 'Weekend Hours', 'Office Hours EU'],
  schedules: ['Weekdays', 'Weekends', 'Weekdays Late'],
  emergencyGroups: ['Storm', 'Fire Drill', 'Storm Warning'],
  languages: ['English', 'French', 'English (UK)'],
  skills: ['Billing', 'Spanish', 'Billing Disputes'],
  wrapupCodes: ['Resolved', 'Callback', 'Resolved Later'],
  divisions: ['Sales', 'Support', 'Sales EMEA'],
};

async function orgWith(objects?: OrgObjectsSpec): Promise<Session> {
  return login(await emulatorForTest(objects ? { objects } : {}));
}

type Listing = {
  entities?: Array<{ name?: string }>;
  pageNumber?: number;
  pageSize?: number;
  total?: number;
  pageCount?: number;
};

/** Each list endpoint as the SDK calls it, a filter value, and the names it answers (sorted by name). */
const ENDPOINTS: Array<{
  what: string;
  list: (s: Session, opts: Record<string, unknown>) => Promise<Listing>;
  filter: unknown;
  matches: string[];
}> = [
  {
    what: 'getArchitectPrompts (contains)',
    list: (s, o) => s.architect.getArchitectPrompts(o),
    filter: ['welcome'],
    matches: ['Welcome', 'Welcome_Back'],
  },
  {
    what: 'getArchitectSystemprompts (contains)',
    list: (s, o) => s.architect.getArchitectSystemprompts(o),
    filter: 'ON_HOLD',
    matches: ['on_hold_beep', 'on_hold_music'],
  },
  {
    what: 'getArchitectSchedulegroups (contains)',
    list: (s, o) => s.architect.getArchitectSchedulegroups(o),
    filter: 'office',
    matches: ['Office Hours', 'Office Hours EU'],
  },
  {
    what: 'getArchitectSchedules (contains)',
    list: (s, o) => s.architect.getArchitectSchedules(o),
    filter: 'weekdays',
    matches: ['Weekdays', 'Weekdays Late'],
  },
  {
    what: 'getArchitectEmergencygroups (contains)',
    list: (s, o) => s.architect.getArchitectEmergencygroups(o),
    filter: 'storm',
    matches: ['Storm', 'Storm Warning'],
  },
  {
    what: 'getFlowsDatatables (exact regardless of case, or a * pattern)',
    list: (s, o) => s.architect.getFlowsDatatables(o),
    filter: 'blocked*',
    matches: ['Blocked Areas', 'Blocked Numbers'],
  },
  {
    what: 'getIntegrationsActions (contains)',
    list: (s, o) => new platformClient.IntegrationsApi(s.client).getIntegrationsActions(o),
    filter: 'lookup',
    matches: ['Lookup Customer', 'Lookup Order'],
  },
  {
    what: 'getRoutingLanguages (contains)',
    list: (s, o) => new platformClient.RoutingApi(s.client).getRoutingLanguages(o),
    filter: 'english',
    matches: ['English', 'English (UK)'],
  },
  {
    what: 'getRoutingSkills (starts with)',
    list: (s, o) => new platformClient.RoutingApi(s.client).getRoutingSkills(o),
    filter: 'billing',
    matches: ['Billing', 'Billing Disputes'],
  },
  {
    what: 'getRoutingWrapupcodes (contains)',
    list: (s, o) => new platformClient.RoutingApi(s.client).getRoutingWrapupcodes(o),
    filter: 'resolved',
    matches: ['Resolved', 'Resolved Later'],
  },
  {
    what: 'getAuthorizationDivisions (contains)',
    list: (s, o) => new platformClient.AuthorizationApi(s.client).getAuthorizationDivisions(o),
    filter: 'sales',
    matches: ['Sales', 'Sales EMEA'],
  },
  {
    what: 'getRoutingQueues (exact regardless of case, or a * pattern)',
    list: (s, o) => new platformClient.RoutingApi(s.client).getRoutingQueues(o),
    filter: 'billing*',
    matches: ['Billing "VIP" '],
  },
];

describe('the list endpoints of an org with objects', () => {
  test.each(ENDPOINTS)('$what: paged, sorted by name, filtered by name', async ({ list, filter, matches }) => {
    const session = await orgWith(OBJECTS);
    const all = await list(session, { pageSize: 500 });
    const names = (all.entities ?? []).map((e) => e.name ?? '');
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(names).toEqual(expect.arrayContaining(matches));
    const second = await list(session, { pageSize: 2, pageNumber: 2 });
    expect(second).toMatchObject({
      pageNumber: 2,
      pageSize: 2,
      total: all.total,
      pageCount: Math.ceil(names.length / 2),
    });
    expect((second.entities ?? []).map((e) => e.name)).toEqual(names.slice(2, 4));
    const filtered = await list(session, { name: filter, pageSize: 100 });
    expect((filtered.entities ?? []).map((e) => e.name)).toEqual(matches);
  });

  test('a name filter without wildcards: exact for queues and data tables, a prefix for skills', async () => {
    const session = await orgWith(OBJECTS);
    const routing = new platformClient.RoutingApi(session.client);
    const names = (l: Listing) => (l.entities ?? []).map((e) => e.name);
    expect(names(await session.architect.getFlowsDatatables({ name: 'BLOCKED NUMBERS' }))).toEqual(['Blocked Numbers']);
    expect(names(await session.architect.getFlowsDatatables({ name: 'Blocked' }))).toEqual([]);
    expect(names(await routing.getRoutingQueues({ name: 'billing "vip" ' }))).toEqual(['Billing "VIP" ']);
    // The trailing space is part of the name: without it, no queue has that name.
    expect(names(await routing.getRoutingQueues({ name: 'Billing "VIP"' }))).toEqual([]);
    expect(names(await routing.getRoutingSkills({ name: 'Disputes' }))).toEqual([]);
  });

  test('data actions carry their integration as category; integrations are listed with their actions', async () => {
    const session = await orgWith(OBJECTS);
    const integrations = new platformClient.IntegrationsApi(session.client);
    const listed = await integrations.getIntegrations({ pageSize: 25 });
    expect(listed.entities?.map((i) => i.name)).toEqual([INTEGRATION, 'Partner API']);
    const partner = listed.entities?.find((i) => i.name === 'Partner API');
    const actions = await integrations.getIntegrationsActions({ category: 'partner api' });
    expect(actions.entities).toEqual([
      expect.objectContaining({ name: 'Créer un ticket', category: 'Partner API', integrationId: partner?.id }),
    ]);
    expect(actions.entities?.[0]?.id).toMatch(/^custom_-_[0-9a-f-]{36}$/);
  });

  test('the Home division is always there, flagged as home', async () => {
    const session = await orgWith({});
    const divisions = await new platformClient.AuthorizationApi(session.client).getAuthorizationDivisions();
    expect(divisions.entities).toEqual([expect.objectContaining({ name: 'Home', homeDivision: true })]);
  });
});

describe('an emulator without objects', () => {
  test('answers 404 on the object list endpoints, queues included, and keeps queues by id and IVRs', async () => {
    const session = await orgWith();
    for (const { what, list } of ENDPOINTS) {
      const error = await rejection(list(session, {}));
      expect(error.status, what).toBe(404);
    }
    // Queues made through the API are kept (read by id); IVR configurations are listed (the API makes them).
    const routing = new platformClient.RoutingApi(session.client);
    const queue = await routing.postRoutingQueues({ name: 'Made Here' });
    expect((await routing.getRoutingQueue(queue.id ?? '')).name).toBe('Made Here');
    expect((await session.architect.getArchitectIvrs()).entities).toEqual([]);
  });

  test('publishes a flow naming any queue and data action (nothing is checked)', async () => {
    const session = await orgWith();
    const job = await runJob(session.architect, flowNaming({ queue: 'Nobody', action: 'Nothing' }));
    expect(job.status).toBe('Success');
  });
});

/** An inbound call flow that looks up a data action, then transfers to a queue (and plays a prompt). */
function flowNaming(names: {
  queue: string;
  action: string;
  integration?: string;
  prompt?: string;
  flow?: string;
}): string {
  return inboundCall(names.flow ?? 'Order Line', {
    actions: `        - callData:
            name: Look it up
            category:
              ${names.integration ?? INTEGRATION}:
                dataAction:
                  ${JSON.stringify(names.action)}:
                    inputs:
                      orderId:
                        exp: Call.Ani
        - playAudio:
            name: Greet
            audio:
              exp: ToAudio(Prompt.${names.prompt ?? 'Welcome'})
        - transferToAcd:
            name: To the queue
            targetQueue:
              lit:
                name: ${JSON.stringify(names.queue)}
`,
  });
}

describe('publish jobs in an org with objects', () => {
  test('a flow naming a missing queue and a missing data action fails, one message for each', async () => {
    const session = await orgWith(OBJECTS);
    const job = await runJob(session.architect, flowNaming({ queue: 'Support Tier 2', action: 'Cancel Order' }));
    expect(job.status).toBe('Failure');
    expect(job.messages?.map((m) => m.text)).toEqual([
      `The flow cannot be published due to missing dependencies: data action "Cancel Order" of the integration "${INTEGRATION}", queue "Support Tier 2".`,
      `23:19: The data action "Cancel Order" of the integration "${INTEGRATION}" does not exist in this org.`,
      '35:23: The queue "Support Tier 2" does not exist in this org.',
    ]);
    expect((await session.architect.getFlows({ name: 'Order Line' })).entities).toEqual([]);
  });

  test('names match regardless of case, but exactly otherwise: quotes, unicode and a trailing space', async () => {
    const session = await orgWith(OBJECTS);
    const ok = await runJob(
      session.architect,
      flowNaming({ queue: 'BILLING "vip" ', action: 'créer un TICKET', integration: 'partner api' }),
    );
    expect(ok.messages?.map((m) => m.text)).toEqual([expect.stringMatching(/^Published inboundcall flow/)]);
    const trimmed = await runJob(
      session.architect,
      flowNaming({ queue: 'Billing "VIP"', action: 'Créer un ticket', integration: 'Partner API', prompt: 'Hello' }),
    );
    expect(trimmed.messages?.map((m) => m.text).slice(1)).toEqual([
      expect.stringMatching(/: The user prompt "Hello" does not exist in this org\.$/),
      expect.stringMatching(/: The queue "Billing "VIP"" does not exist in this org\.$/),
    ]);
  });

  test('a data action is looked for in the integration the flow names', async () => {
    const session = await orgWith(OBJECTS);
    const job = await runJob(
      session.architect,
      flowNaming({ queue: 'Support', action: 'Lookup Order', integration: 'Partner API' }),
    );
    expect(job.messages?.map((m) => m.text)[1]).toMatch(
      /The data action "Lookup Order" of the integration "Partner API" does not exist/,
    );
  });

  test('Find*("literal"), schedule and emergency groups, language skills and the division are checked too', async () => {
    const session = await orgWith(OBJECTS);
    const yaml = inboundCall('Checked Line', { division: 'Nowhere' })
      .replace(
        'defaultLanguageSkill:\n        noValue: true',
        'defaultLanguageSkill:\n        lit:\n          name: Klingon',
      )
      .replace(
        '        - disconnect:',
        `        - updateData:
            name: Find one
            statements:
              - queue:
                  variable: Flow.q
                  value:
                    exp: FindQueue("Ghost Queue")
        - evaluateScheduleGroup:
            name: Hours
            inServiceSchedules:
              noValue: true
            evaluate:
              now: true
            scheduleGroup:
              lit:
                name: Night Hours
            emergencyGroup:
              lit:
                name: Storm
            outputs:
              open:
                actions:
                  - disconnect:
                      name: Open bye
        - disconnect:`,
      );
    const job = await runJob(session.architect, yaml);
    const texts = job.messages?.map((m) => (m.text ?? '').replace(/^\d+:\d+: /, '')) ?? [];
    expect(texts).toEqual(
      expect.arrayContaining([
        'The division "Nowhere" does not exist in this org.',
        'The language skill "Klingon" does not exist in this org.',
        'The queue "Ghost Queue" does not exist in this org.',
        'The schedule group "Night Hours" does not exist in this org.',
      ]),
    );
    expect(texts.join('\n')).not.toContain('Storm');
  });
});

describe('--seed in an org with objects', () => {
  test('a seed flow naming a missing object stops the start at its file:line:col', async () => {
    const dir = tempDir({ 'order-line.yaml': flowNaming({ queue: 'Support Tier 2', action: 'Lookup Order' }) });
    const started = startEmulator({ port: 0, seedDir: dir, objects: OBJECTS });
    await expect(started).rejects.toThrow(
      `${join(dir, 'order-line.yaml')}:35:23: The queue "Support Tier 2" does not exist in this org.`,
    );
  });
});

describe('dependency tracking of org objects', () => {
  test('a version consumes the objects it names; an object lists the flows naming it', async () => {
    const emulator = await emulatorForTest({
      objects: {
        ...OBJECTS,
        ivrs: [{ name: 'Main number', dnis: ['+13175550100'], openHoursFlow: { name: 'Order Line' } }],
      },
    });
    const session = await login(emulator);
    // The IVR of the file waits for its flow: it routes to it once it is published.
    expect((await session.architect.getArchitectIvrs()).entities?.[0]?.openHoursFlow).toBeUndefined();
    const job = await runJob(session.architect, flowNaming({ queue: 'Support', action: 'Lookup Order' }));
    expect(job.status).toBe('Success');
    const flowId = job.flow?.id ?? '';
    const ivr = (await session.architect.getArchitectIvrs()).entities?.[0];
    expect(ivr?.openHoursFlow).toMatchObject({ id: flowId, name: 'Order Line' });

    const consumed = await session.architect.getArchitectDependencytrackingConsumedresources(
      flowId,
      '1.0',
      'INBOUNDCALLFLOW',
    );
    expect(consumed.entities?.map((d) => [d.type, d.name])).toEqual([
      ['DATAACTION', 'Lookup Order'],
      ['USERPROMPT', 'Welcome'],
      ['QUEUE', 'Support'],
    ]);
    const queueId = consumed.entities?.find((d) => d.type === 'QUEUE')?.id ?? '';
    const routing = new platformClient.RoutingApi(session.client);
    expect((await routing.getRoutingQueues({ name: 'Support' })).entities?.[0]?.id).toBe(queueId);

    const byQueue = await session.architect.getArchitectDependencytrackingConsumingresources(queueId, 'QUEUE');
    expect(byQueue.entities).toEqual([
      expect.objectContaining({ id: flowId, type: 'INBOUNDCALLFLOW', version: '1.0' }),
    ]);
    const actionId = consumed.entities?.find((d) => d.type === 'DATAACTION')?.id ?? '';
    const byAction = await session.architect.getArchitectDependencytrackingConsumingresources(actionId, 'DATAACTION');
    expect(byAction.entities?.map((d) => d.name)).toEqual(['Order Line']);
    const unused = (await routing.getRoutingQueues({ name: 'Sales' })).entities?.[0]?.id ?? '';
    expect(
      (await session.architect.getArchitectDependencytrackingConsumingresources(unused, 'QUEUE')).entities,
    ).toEqual([]);

    const byFlow = await session.architect.getArchitectDependencytrackingConsumingresources(flowId, 'INBOUNDCALLFLOW');
    expect(byFlow.entities).toEqual([
      expect.objectContaining({ id: ivr?.id, name: 'Main number', type: 'IVRCONFIGURATION' }),
    ]);
  });
});
