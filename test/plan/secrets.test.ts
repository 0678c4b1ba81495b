import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildPlan, type LiveFlow } from '../../src/plan/build-plan.js';
import { diffDocuments } from '../../src/plan/diff.js';
import { detectDrift } from '../../src/plan/drift.js';
import { fingerprintKeyOf, normalForm } from '../../src/identity/index.js';
import { liveSecretPlaces } from '../../src/plan/live-secrets.js';
import { MASK, previousSecretValues, secretMaskOf } from '../../src/plan/secrets.js';
import { checkFlowSources, desiredDocument, type CheckResult, type SubstitutionValue } from '../../src/check/index.js';
import { PARTNER_LOOKUP } from '../helpers/flow-yaml.js';

/**
 * A flow calling a data action with a client secret (a secret substitution), a secret embedded in a
 * longer text, and a variable whose initial value holds one (variables are sorted in the normal form).
 */
const flowText = (opts: { hello?: string; before?: string } = {}) => `inboundCall:
  name: Partner Line
  description: Calls the partner
  startUpRef: "/inboundCall/tasks/task[s]"
  variables:
    - stringVariable:
        name: Flow.zToken
        initialValue: {lit: "{{partner_token}}"}
    - stringVariable:
        name: Flow.aNote
        initialValue: {lit: plain note}
  tasks:
    - task:
        name: Start
        refId: s
        actions:
${opts.before ?? ''}          - playAudio: {name: Hello, audio: {tts: "${opts.hello ?? 'Hello, caller.'}"}}
          - playAudio: {name: Key, audio: {tts: "Your key is {{partner_secret}}, {{greeting}}."}}
${PARTNER_LOOKUP}                        # the data action's client secret: {{partner_secret}} (a comment is not data)
                        clientSecret: {lit: "{{partner_secret}}"}
          - disconnect: {name: Bye}
`;

const OLD = { partner_secret: 'not-a-real-secret-xyz', partner_token: 'old-token-123', greeting: 'friend' };
const NEW = { partner_secret: 'rotated-secret-abc', partner_token: 'new-token-456', greeting: 'friend' };
const secretKeys = ['partner_secret', 'partner_token'];

function check(values: Record<string, SubstitutionValue>, text = flowText(), keys = secretKeys): CheckResult {
  const r = checkFlowSources([{ path: 'partner.yaml', text }], { substitutions: values, secretKeys: keys });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r;
}

const identity = { clientId: 'flowops-client', fingerprintKey: fingerprintKeyOf('client-secret') };

/** The flow as someone else published it from `text` with `values` (compared by content). */
function liveOf(r: CheckResult, description = 'Calls the partner'): LiveFlow {
  const flow = r.flows[0]!;
  return {
    id: 'f1',
    type: flow.type,
    name: flow.name,
    description,
    publishedVersion: { id: '3.0', datePublished: '2026-11-01T10:00:00Z', createdBy: 'Jane' },
    content: stringify(desiredDocument(flow)),
  };
}

function planOf(desired: CheckResult, live: CheckResult, description?: string) {
  return buildPlan({
    desired: desired.flows,
    graph: desired.graph,
    live: [liveOf(live, description)],
    environment: 'prod',
    createdAt: '2026-11-24T12:00:00Z',
    identity,
  });
}

const leaks = (value: unknown, secrets: string[]) => secrets.filter((s) => JSON.stringify(value).includes(s));

describe('where secret substitutions land (the check)', () => {
  it('gives each place holding a secret, whole or in part, with its keys; not comments, not other substitutions', () => {
    const flow = check(NEW).flows[0]!;
    expect(flow.secretPlaces).toEqual([
      { path: ['inboundCall', 'variables', 0, 'stringVariable', 'initialValue', 'lit'], keys: ['partner_token'] },
      {
        path: ['inboundCall', 'tasks', 0, 'task', 'actions', 1, 'playAudio', 'audio', 'tts'],
        keys: ['partner_secret'],
      },
      {
        path: [
          'inboundCall',
          'tasks',
          0,
          'task',
          'actions',
          2,
          'callData',
          'category',
          'Partner',
          'dataAction',
          'Lookup',
          'inputs',
          'clientSecret',
          'lit',
        ],
        keys: ['partner_secret'],
      },
    ]);
    // Without secret keys, no places (and the check's cache key differs).
    expect(check(NEW, flowText(), []).flows[0]!.secretPlaces).toBeUndefined();
  });

  it('follows an alias to the secret it repeats', () => {
    const text =
      'commonModule:\n  name: M\n  description: &d "key {{k}}"\n  startUpTaskActions:\n    - playAudio: {name: A, audio: {tts: *d}}\n    - endTask: {name: E}\n';
    expect(check({ k: 's3' }, text, ['k']).flows[0]!.secretPlaces!.map((p) => p.path)).toEqual([
      ['commonModule', 'description'],
      ['commonModule', 'startUpTaskActions', 0, 'playAudio', 'audio', 'tts'],
    ]);
  });

  it('finds the places again in the normal form (variables sorted there)', () => {
    const flow = check(NEW).flows[0]!;
    expect(secretMaskOf(desiredDocument(flow), flow.secretPlaces).pointers.sort()).toEqual([
      '/inboundCall/tasks/0/task/actions/1/playAudio/audio/tts',
      '/inboundCall/tasks/0/task/actions/2/callData/category/Partner/dataAction/Lookup/inputs/clientSecret/lit',
      '/inboundCall/variables/1/stringVariable/initialValue/lit',
    ]);
  });
});

describe('the plan masks secret places on both sides', () => {
  it('a rotated secret: neither the old nor the new value in the changes or the patch; non-secret neighbours shown', () => {
    const p = planOf(check(NEW, flowText({ hello: 'Hello again.' })), check(OLD));
    const flow = p.flows[0]!;
    expect(flow.action).toBe('update');
    expect(
      leaks(
        flow,
        [...Object.values(OLD), ...Object.values(NEW)].filter((v) => v !== 'friend'),
      ),
    ).toEqual([]);
    const byWhere = Object.fromEntries(flow.changes.map((c) => [c.where, [c.from, c.to]]));
    expect(byWhere).toEqual({
      'variable "Flow.zToken" > initialValue.lit': [MASK, MASK],
      'task "Start" > action 1 "Hello" (playAudio) > audio.tts': ['Hello, caller.', 'Hello again.'],
      'task "Start" > action 2 "Key" (playAudio) > audio.tts': [MASK, MASK],
      'task "Start" > action 3 "Ask partner" (callData) > category.Partner.dataAction.Lookup.inputs.clientSecret.lit': [
        MASK,
        MASK,
      ],
    });
    const values = flow.patch.filter((op) => op.path.includes('clientSecret')).map((op) => [op.op, op.value]);
    expect(values).toEqual([
      ['test', MASK],
      ['replace', MASK],
    ]);
    expect(flow.patch.filter((op) => op.path.endsWith('/actions/0/playAudio/audio/tts')).map((op) => op.value)).toEqual(
      ['Hello, caller.', 'Hello again.'],
    );
  });

  it('the live place paired by the alignment is masked when an action was inserted before it (indices differ)', () => {
    const before = '          - playAudio: {name: Intro, audio: {tts: "Intro."}}\n';
    const p = planOf(check(NEW, flowText({ before })), check(OLD));
    const flow = p.flows[0]!;
    expect(leaks(flow, [OLD.partner_secret, NEW.partner_secret])).toEqual([]);
    expect(flow.changes.find((c) => c.where.includes('clientSecret'))).toMatchObject({
      path: '/inboundCall/tasks/0/task/actions/3/callData/category/Partner/dataAction/Lookup/inputs/clientSecret/lit',
      from: MASK,
      to: MASK,
    });
    expect(flow.changes.find((c) => c.kind === 'add')).toMatchObject({
      where: 'task "Start" > action 1 "Intro" (playAudio)',
    });
  });

  it('a whole action added or removed keeps its other values, its secrets masked', () => {
    const desired = check(NEW);
    const without = check(OLD, flowText().replace(/ {10}- callData:[\s\S]*?(?= {10}- disconnect)/, ''));
    const added = planOf(desired, without).flows[0]!;
    expect(leaks(added, [NEW.partner_secret])).toEqual([]);
    const change = added.changes.find((c) => c.kind === 'add')!;
    expect(JSON.stringify(change.to)).toContain('partner-client');
    expect(JSON.stringify(added.patch.find((op) => op.op === 'add')!.value)).toContain('"clientSecret":{"lit":"***"}');
  });

  it('a secret in the description: masked in the changes, and the plan does not record the live description', () => {
    const text = flowText().replace(
      'description: Calls the partner',
      'description: "Calls the partner with {{partner_secret}}"',
    );
    const p = planOf(check(NEW, text), check(OLD, text), `Calls the partner with ${OLD.partner_secret}`);
    const flow = p.flows[0]!;
    expect(leaks(flow, [OLD.partner_secret, NEW.partner_secret])).toEqual([]);
    expect(flow.changes.find((c) => c.where === 'description')).toMatchObject({ from: MASK, to: MASK });
    expect(flow.liveDescription).toBeUndefined();
    // Without the secret there, the live description is recorded as before.
    expect(planOf(check(NEW), check(OLD)).flows[0]!.liveDescription).toBe('Calls the partner');
  });

  it('without secret places (the behaviour removed), the old value would show: the check above is meaningful', () => {
    const desired = check(NEW);
    const flow = { ...desired.flows[0]!, secretPlaces: undefined };
    const p = buildPlan({
      desired: [flow],
      graph: desired.graph,
      live: [liveOf(check(OLD))],
      environment: 'prod',
      createdAt: '2026-11-24T12:00:00Z',
      identity,
    });
    expect(leaks(p.flows[0]!, [OLD.partner_secret])).toEqual([OLD.partner_secret]);
  });

  it("learns a rotated secret's old value from the masked pair (for export), also embedded in a longer text", () => {
    const desired = check(NEW).flows[0]!;
    const live = check(OLD).flows[0]!;
    const { masked } = diffDocuments(normalForm(desiredDocument(live)), normalForm(desiredDocument(desired)), {
      secrets: secretMaskOf(desiredDocument(desired), desired.secretPlaces),
    });
    const learnt = masked.flatMap((pair) => previousSecretValues(pair, NEW));
    expect(learnt).toEqual(
      expect.arrayContaining([
        { key: 'partner_token', value: OLD.partner_token },
        { key: 'partner_secret', value: OLD.partner_secret },
      ]),
    );
    expect(previousSecretValues({ from: 'Key OLD, edited', to: 'Key NEW.', keys: ['k'] }, { k: 'NEW' })).toEqual([]);
  });

  it('finds the live scalars holding the old values, by their paths in the live document (not the normal form)', () => {
    const places = liveSecretPlaces(check(NEW).flows[0]!, liveOf(check(OLD)), NEW);
    expect(places).toEqual(
      expect.arrayContaining([
        {
          path: ['inboundCall', 'variables', 0, 'stringVariable', 'initialValue', 'lit'],
          pieces: [{ value: OLD.partner_token, text: '{{partner_token}}' }],
        },
        {
          path: ['inboundCall', 'tasks', 0, 'task', 'actions', 1, 'playAudio', 'audio', 'tts'],
          pieces: [{ value: OLD.partner_secret, text: '{{partner_secret}}' }],
        },
      ]),
    );
    expect(places).toHaveLength(3);
    // The text around a secret edited too: the whole value, as the file has it.
    const edited = check(OLD, flowText().replace('Your key is', 'Your old key was'));
    expect(liveSecretPlaces(check(NEW).flows[0]!, liveOf(edited), NEW)).toContainEqual({
      path: ['inboundCall', 'tasks', 0, 'task', 'actions', 1, 'playAudio', 'audio', 'tts'],
      pieces: [],
      whole: 'Your key is {{partner_secret}}, friend.',
    });
  });
});

describe('drift masks secret places', () => {
  it('someone else changed the client secret in the org: masked on both sides, their other edit shown', () => {
    const desired = check(NEW);
    const theirs = check({ ...NEW, partner_secret: 'typed-in-the-ui-999' }, flowText({ hello: 'Hi from the UI.' }));
    const report = detectDrift({
      environment: 'prod',
      desired: desired.flows,
      live: [liveOf(theirs)],
      identity,
      ownVersions: new Map(),
    });
    expect(report.drifted).toHaveLength(1);
    const changes = report.drifted[0]!.changes;
    expect(leaks(changes, ['typed-in-the-ui-999', NEW.partner_secret])).toEqual([]);
    expect(changes.map((c) => [c.where, c.from, c.to])).toEqual([
      ['task "Start" > action 1 "Hello" (playAudio) > audio.tts', 'Hello, caller.', 'Hi from the UI.'],
      ['task "Start" > action 2 "Key" (playAudio) > audio.tts', MASK, MASK],
      [
        'task "Start" > action 3 "Ask partner" (callData) > category.Partner.dataAction.Lookup.inputs.clientSecret.lit',
        MASK,
        MASK,
      ],
    ]);
    // The behaviour removed: the value typed in the UI shows.
    const unmasked = detectDrift({
      environment: 'prod',
      desired: [{ ...desired.flows[0]!, secretPlaces: undefined }],
      live: [liveOf(theirs)],
      identity,
      ownVersions: new Map(),
    });
    expect(leaks(unmasked.drifted[0]!.changes, ['typed-in-the-ui-999'])).toEqual(['typed-in-the-ui-999']);
  });
});
