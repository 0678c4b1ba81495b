import { describe, expect, it } from 'vitest';
import { checkFlowSources, type SubstitutionValue } from '../../src/check/index.js';
import { fingerprintKeyOf } from '../../src/identity/index.js';
import { buildPlan, type LiveFlow } from '../../src/plan/index.js';

// The plan's drawing input: which flows get a graph diff, what it marks, that secrets stay out of its
// labels and that it never reaches the plan's JSON.
const identity = { clientId: 'flowops-client', fingerprintKey: fingerprintKeyOf('k') };
const base = { environment: 'prod', createdAt: '2026-12-03T12:00:00Z', identity };

const module = (tts: string) =>
  `commonModule:\n  name: Greeting\n  startUpTaskActions:\n    - playAudio:\n        name: Hello\n        audio: {tts: "${tts}"}\n    - endTask: {name: Exit}\n`;
const caller = (queue: string, greet = 'Greet') =>
  `inboundCall:\n  name: Main Line\n  startUpRef: "/inboundCall/tasks/task[s]"\n  tasks:\n    - task:\n        name: Start\n        refId: s\n        actions:\n          - callCommonModule:\n              name: ${greet}\n              commonModule:\n                Greeting:\n                  ver_latestPublished:\n          - transferToAcd:\n              name: To queue\n              targetQueue: {lit: {name: ${queue}}}\n          - disconnect: {name: Bye}\n`;

function check(
  files: Record<string, string>,
  substitutions: Record<string, SubstitutionValue> = {},
  secretKeys: string[] = [],
) {
  const r = checkFlowSources(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    { substitutions, secretKeys },
  );
  expect(r.diagnostics).toEqual([]);
  return r;
}

/** A flow a person published, with its export. */
const live = (id: string, type: string, name: string, content: string): LiveFlow => ({
  id,
  type,
  name,
  content,
  publishedVersion: { id: '3.0', datePublished: '2026-11-01T10:00:00Z', createdBy: 'Jane' },
});

const statuses = (flow: { graph?: { nodes: { status: string; after?: { id: string }; before?: { id: string } }[] } }) =>
  Object.fromEntries(
    (flow.graph?.nodes ?? []).filter((n) => n.status !== 'same').map((n) => [(n.after ?? n.before)!.id, n.status]),
  );

/** The plan of `after` against an org a person published `before` to; the caller "Main Line" of it. */
function planOver(before: ReturnType<typeof check>, after: ReturnType<typeof check>) {
  const text = (name: string) => before.flows.find((f) => f.name === name)!.text;
  const p = buildPlan({
    ...base,
    desired: after.flows,
    graph: after.graph,
    live: [
      live('m1', 'commonmodule', 'Greeting', text('Greeting')),
      live('c1', 'inboundcall', 'Main Line', text('Main Line')),
    ],
  });
  return { plan: p, flow: p.flows.find((f) => f.name === 'Main Line')! };
}

describe('plan graphs', () => {
  it('a create is drawn with every node added', () => {
    const r = check({ 'm.yaml': module('Hi') });
    const [flow] = buildPlan({ ...base, desired: r.flows, graph: r.graph, live: [] }).flows;
    expect(flow!.action).toBe('create');
    expect(flow!.graph!.nodes.length).toBeGreaterThan(2);
    expect(flow!.graph!.nodes.every((n) => n.status === 'added')).toBe(true);
  });

  it('an update marks what changed (the new queue added, the old removed, the transfer changed), and the rest the same', () => {
    const before = check({ 'm.yaml': module('Hi'), 'c.yaml': caller('Sales') });
    const after = check({ 'm.yaml': module('Hi'), 'c.yaml': caller('Support') });
    const { plan: p, flow } = planOver(before, after);
    expect(flow.action).toBe('update');
    expect(statuses(flow)).toEqual({
      'task:Start/action:1': 'changed',
      'queue:Support': 'added',
      'queue:Sales': 'removed',
    });
    // An unchanged flow is not drawn.
    expect(p.flows.find((f) => f.name === 'Greeting')!.graph).toBeUndefined();
  });

  it('a republished caller is drawn as it is, with the changed module marked', () => {
    const before = check({ 'm.yaml': module('Hi'), 'c.yaml': caller('Sales') });
    const after = check({ 'm.yaml': module('Hello there'), 'c.yaml': caller('Sales') });
    const { flow } = planOver(before, after);
    expect(flow.action).toBe('republish');
    expect(statuses(flow)).toEqual({ 'module:Greeting': 'changed' });
  });

  it('a secret substitution in a name is masked in every label and id, on both sides', () => {
    const text = caller('Sales', '{{token}}');
    const old = check({ 'c.yaml': text, 'm.yaml': module('Hi') }, { token: 'old-secret-111' }, ['token']);
    const now = check(
      { 'c.yaml': text.replace('Sales', 'Support'), 'm.yaml': module('Hi') },
      { token: 'new-secret-222' },
      ['token'],
    );
    const { flow } = planOver(old, now);
    expect(flow.action).toBe('update');
    const drawn = JSON.stringify(flow.graph);
    expect(drawn).toContain('***');
    expect(drawn).not.toContain('new-secret-222');
    expect(drawn).not.toContain('old-secret-111');
  });

  it('the graph is not in the plan JSON (the saved plan, --json)', () => {
    const r = check({ 'm.yaml': module('Hi') });
    const p = buildPlan({ ...base, desired: r.flows, graph: r.graph, live: [] });
    expect(p.flows[0]!.graph).toBeDefined();
    expect(JSON.stringify(p)).not.toContain('"graph"');
  });
});
