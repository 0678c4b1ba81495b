import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildPlan, type LiveFlow } from '../../src/plan/index.js';
import { checkFlowSources } from '../../src/spec/index.js';

const module = (tts: string) => `commonModule:\n  name: Greeting\n  startUpTaskActions:\n    - playAudio:\n        name: Hello\n        audio: {tts: "${tts}"}\n    - endTask: {name: Exit}\n`;
const caller = (name: string) =>
  `inboundCall:\n  name: ${name}\n  description: The ${name}\n  startUpRef: "/inboundCall/tasks/task[s]"\n  tasks:\n    - task:\n        name: Start\n        refId: s\n        actions:\n          - callCommonModule:\n              name: Greet\n              commonModule:\n                Greeting:\n                  ver_latestPublished:\n          - disconnect: {name: Bye}\n`;

function desired(files: Record<string, string>, externalModules: string[] = []) {
  const r = checkFlowSources(Object.entries(files).map(([path, text]) => ({ path, text })), { externalModules });
  expect(r.diagnostics).toEqual([]);
  return r;
}

function live(id: string, type: string, name: string, content?: string, version = '3.0'): LiveFlow {
  const flow: LiveFlow = { id, type, name, publishedVersion: { id: version, datePublished: '2026-11-01T10:00:00Z', createdBy: 'Jane Admin' } };
  if (content !== undefined) flow.content = content;
  return flow;
}

const base = { environment: 'prod', createdAt: '2026-11-24T12:00:00Z', gitCommit: 'abc1234' };

describe('buildPlan', () => {
  it('creates what the org lacks, in dependency order (module first)', () => {
    const r = desired({ 'a.yaml': caller('Main Line'), 'm.yaml': module('Hi') });
    const plan = buildPlan({ ...base, desired: r.flows, graph: r.graph, live: [] });
    expect(plan.flows.map((f) => [f.id, f.action])).toEqual([
      ['commonmodule:Greeting', 'create'],
      ['inboundcall:Main Line', 'create'],
    ]);
    expect(plan.flows[1]!.dependsOn).toEqual(['commonmodule:Greeting']);
    expect(plan.summary).toEqual({ create: 2, update: 0, republish: 0, delete: 0, unchanged: 0 });
    expect(plan.formatVersion).toBe(1);
  });

  it('sees no change when the live content equals the desired one, whatever its formatting', () => {
    const r = desired({ 'a.yaml': caller('Main Line'), 'm.yaml': module('Hi') });
    // Same content, other key order and style, plus the audit note apply writes.
    const relaid = stringify(JSON.parse(JSON.stringify(r.flows.find((f) => f.name === 'Main Line')!.document)), { sortMapEntries: true }).replace('description: The Main Line', 'description: The Main Line [flowops abc1234]');
    const plan = buildPlan({ ...base, desired: r.flows, graph: r.graph, live: [live('m1', 'commonmodule', 'Greeting', module('Hi')), live('c1', 'inboundcall', 'Main Line', relaid)] });
    expect(plan.flows.map((f) => f.action)).toEqual(['unchanged', 'unchanged']);
    expect(plan.flows[1]!.liveHash).toBe(plan.flows[1]!.desiredHash);
  });

  it('republishes a caller published before its module\'s current version (it runs an older copy); not one published after or at the same time', () => {
    const r = desired({ 'a.yaml': caller('Main Line'), 'b.yaml': caller('Billing Line'), 'c.yaml': caller('Support Line'), 'm.yaml': module('Hi') });
    const at = (flow: LiveFlow, datePublished: string): LiveFlow => ({ ...flow, publishedVersion: { ...flow.publishedVersion!, datePublished } });
    const plan = buildPlan({
      ...base,
      desired: r.flows,
      graph: r.graph,
      live: [
        at(live('m1', 'commonmodule', 'Greeting', module('Hi'), '7.0'), '2026-11-20T09:00:00.000Z'),
        at(live('c1', 'inboundcall', 'Main Line', caller('Main Line')), '2026-11-20T08:59:59.999Z'),
        at(live('c2', 'inboundcall', 'Billing Line', caller('Billing Line')), '2026-11-20T09:00:00.000Z'),
        at(live('c3', 'inboundcall', 'Support Line', caller('Support Line')), '2026-11-21T00:00:00.000Z'),
      ],
    });
    expect(plan.flows.map((f) => [f.name, f.action])).toEqual([
      ['Greeting', 'unchanged'],
      ['Billing Line', 'unchanged'],
      ['Main Line', 'republish'],
      ['Support Line', 'unchanged'],
    ]);
    expect(plan.flows[2]!.reason).toBe('commonmodule "Greeting" was published after it (version 7.0, 2026-11-20T09:00:00.000Z): it still runs an earlier copy of the module');
    expect(plan.flows[2]!.dependsOn).toEqual(['commonmodule:Greeting']);
  });

  it('updates a changed module and republishes its unchanged callers, saying why', () => {
    const r = desired({ 'a.yaml': caller('Main Line'), 'b.yaml': caller('Billing Line'), 'm.yaml': module('Hello there') });
    const plan = buildPlan({
      ...base,
      desired: r.flows,
      graph: r.graph,
      live: [live('m1', 'commonmodule', 'Greeting', module('Hi')), live('c1', 'inboundcall', 'Main Line', caller('Main Line')), live('c2', 'inboundcall', 'Billing Line', caller('Billing Line'))],
    });
    const [mod, ...callers] = plan.flows;
    expect(mod).toMatchObject({ action: 'update', liveFlowId: 'm1', livePublishedVersion: { id: '3.0', createdBy: 'Jane Admin' } });
    expect(mod!.changes).toEqual([{ kind: 'replace', where: 'action 1 "Hello" (playAudio) > audio.tts', path: '/commonModule/startUpTaskActions/0/playAudio/audio/tts', from: 'Hi', to: 'Hello there' }]);
    expect(mod!.liveHash).not.toBe(mod!.desiredHash);
    for (const c of callers) expect(c).toMatchObject({ action: 'republish', reason: 'commonmodule "Greeting" changes', patch: [] });
    expect(plan.summary).toMatchObject({ update: 1, republish: 2 });
  });

  it('publishes a flow that exists but was never published', () => {
    const r = desired({ 'm.yaml': module('Hi') });
    const plan = buildPlan({ ...base, desired: r.flows, graph: r.graph, live: [{ id: 'm1', type: 'commonmodule', name: 'Greeting' }] });
    expect(plan.flows[0]).toMatchObject({ action: 'update', liveFlowId: 'm1', reason: 'the flow exists but has no published version' });
  });

  it('lists flows no file describes as unmanaged, and deletes them only with prune (callers first)', () => {
    const r = desired({ 'a.yaml': caller('Main Line'), 'm.yaml': module('Hi') });
    const org = [
      live('m1', 'commonmodule', 'Greeting', module('Hi')),
      live('c1', 'inboundcall', 'Main Line', caller('Main Line')),
      live('old', 'inboundcall', 'Old Line', caller('Old Line')),
      live('oldm', 'commonmodule', 'Old Module', module('x').replace('Greeting', 'Old Module')),
      live('q', 'inqueuecall', 'Not ours'),
    ];
    const kept = buildPlan({ ...base, desired: r.flows, graph: r.graph, live: org });
    expect(kept.unmanaged).toEqual(['commonmodule:Old Module', 'inboundcall:Old Line']);
    expect(kept.summary.delete).toBe(0);
    const pruned = buildPlan({ ...base, desired: r.flows, graph: r.graph, live: org, prune: true });
    expect(pruned.flows.filter((f) => f.action === 'delete').map((f) => f.id)).toEqual(['inboundcall:Old Line', 'commonmodule:Old Module']);
  });

  it('refuses to prune a module that flows in the repository still call', () => {
    const r = desired({ 'a.yaml': caller('Main Line').replace('Greeting:', 'Legacy:'), 'm.yaml': module('Hi') }, ['Legacy']);
    expect(() => buildPlan({ ...base, desired: r.flows, graph: r.graph, live: [live('m', 'commonmodule', 'Legacy', module('x'))], prune: true })).toThrow('cannot delete commonmodule "Legacy": flows in this repository still call it');
  });
});
