/**
 * The pure parts of the HTML report: what a drawing holds (draw-model.ts), how a line is cut to its
 * box, escaping, and the page's text for an empty plan and a flow too big to draw whole. The page in
 * a browser is test/browser/plan-report.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { flowGraph } from '../../src/plan/flow-graph.js';
import { diffGraphs, type GraphDiff } from '../../src/plan/graph-diff.js';
import { attachGraph } from '../../src/plan/plan-graphs.js';
import type { Plan, PlannedFlow } from '../../src/plan/types.js';
import { aroundChanges, diffModel, edgeText, moduleModel } from '../../src/render/html/draw-model.js';
import { escapeHtml } from '../../src/render/html/escape.js';
import { fit } from '../../src/render/html/layout.js';
import { renderPlanHtml } from '../../src/render/html/plan-report.js';

type Doc = Record<string, unknown>;

const line = (actions: unknown[], menus: unknown[] = []): Doc => ({
  inboundCall: {
    name: 'Line',
    startUpRef: '/inboundCall/tasks/task[t]',
    tasks: [{ task: { name: 'Start', refId: 't', actions } }],
    ...(menus.length ? { menus } : {}),
  },
});
const say = (name: string) => ({ playAudio: { name, audio: { tts: name } } });
const menu = (name: string, refId: string) => ({ menu: { name, refId, audio: { tts: name }, choices: [] } });
const jump = (name: string, target: string) => ({ jumpToMenu: { name, targetMenuRef: target } });

const plan = (flows: PlannedFlow[]): Plan => ({
  formatVersion: 2,
  environment: 'prod',
  createdAt: '2026-12-03T00:00:00.000Z',
  flows,
  summary: { create: 0, update: flows.length, republish: 0, delete: 0, unchanged: 0 },
  unmanaged: [],
});
const updated = (name: string, diff?: GraphDiff, dependsOn: string[] = []): PlannedFlow => {
  const flow: PlannedFlow = {
    id: `inboundcall:${name}`,
    type: 'inboundcall',
    name,
    path: `flows/${name}.yaml`,
    action: 'update',
    patch: [],
    changes: [],
    dependsOn,
  };
  if (diff) attachGraph(flow, diff);
  return flow;
};

describe('diffModel: both sides in one drawing', () => {
  it('a removed node keeps a key of its own (its id may be a later node’s in the desired graph)', () => {
    const model = diffModel(diffGraphs(flowGraph(line([say('A'), say('B')])), flowGraph(line([say('B')]))));
    const marked = model.nodes.filter((n) => n.status !== 'same').map((n) => `${n.status} ${n.key}`);
    expect(marked).toEqual(['removed before:task:Start/action:0']);
    expect(model.nodes.map((n) => n.key)).toContain('task:Start/action:0');
    // The arrow from the task to its first action: to A before, to B after.
    expect(model.edges.filter((e) => e.status !== 'same').map((e) => `${e.status} ${e.from} -> ${e.to}`)).toEqual([
      'removed before:task:Start/action:0 -> task:Start/action:0',
      'removed task:Start -> before:task:Start/action:0',
      'added task:Start -> task:Start/action:0',
    ]);
  });

  it('an arrow to another place is an old arrow removed and a new one added; a dangling reference ends in a node saying what it names', () => {
    const menus = [menu('Main', 'm'), menu('Other', 'o')];
    const before = line([jump('Go', '/inboundCall/menus/menu[m]')], menus);
    const after = line([jump('Go', '/inboundCall/menus/menu[o]')], menus);
    const model = diffModel(diffGraphs(flowGraph(before), flowGraph(after)));
    expect(model.edges.filter((e) => e.status !== 'same').map((e) => `${edgeText(e)} -> ${e.to}`)).toEqual([
      '− jump -> menu:Main',
      '+ jump -> menu:Other',
    ]);
    const broken = diffModel(diffGraphs(flowGraph(after), flowGraph(line([jump('Go', 'nowhere')], menus))));
    const missing = broken.nodes.find((n) => n.kind === 'missing');
    expect(missing).toMatchObject({ title: 'not found', status: 'added' });
    expect(broken.edges.some((e) => e.to === missing!.key && e.kind === 'jump')).toBe(true);
  });

  it('aroundChanges: the changed nodes and arrows, and what is two arrows from them, nothing further', () => {
    const names = Array.from({ length: 12 }, (_, i) => `S${i}`);
    const after = [...names.slice(0, 6), 'New', ...names.slice(6)];
    const model = diffModel(diffGraphs(flowGraph(line(names.map(say))), flowGraph(line(after.map(say)))));
    const part = aroundChanges(model);
    // S5 -> S6 was an arrow (removed), so S5 and S6 count as changed; two steps on either side.
    expect(part.nodes.map((n) => n.name ?? n.title)).toEqual(['S3', 'S4', 'S5', 'New', 'S6', 'S7', 'S8']);
    expect(
      part.edges.every((e) => part.nodes.some((n) => n.key === e.from) && part.nodes.some((n) => n.key === e.to)),
    ).toBe(true);
  });

  it('moduleModel: only the calls a change is part of', () => {
    const p = plan([
      { ...updated('A', undefined, ['commonmodule:M']), action: 'unchanged' },
      updated('B', undefined, ['commonmodule:M']),
      { ...updated('C', undefined, ['commonmodule:N']), action: 'unchanged' },
    ]);
    const model = moduleModel(p);
    expect(model.edges.map((e) => `${e.from} -> ${e.to}`)).toEqual(['commonmodule:M -> inboundcall:B']);
    expect(model.nodes.map((n) => `${n.status} ${n.name}`)).toEqual([
      'same commonmodule "M"',
      'changed inboundcall "B"',
    ]);
  });
});

describe('text in boxes and pages', () => {
  it('fit: a long line cut with … by whole characters (an emoji is not split); a short one kept', () => {
    expect(fit('Short name')).toBe('Short name');
    expect(fit('abcdefghij', 6)).toBe('abcde…');
    expect(fit('ab👩‍💻cd', 4)).toBe('ab…');
    expect(fit('ab👩‍💻cd', 5)).toBe('ab👩‍💻…');
  });

  it('escapeHtml: the characters that open or end markup', () => {
    expect(escapeHtml(`<a href="x">'&'</a> -->`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; --&gt;');
  });

  it('an empty plan: a page that says there are no changes, and draws nothing', async () => {
    const html = await renderPlanHtml({
      ...plan([]),
      summary: { create: 0, update: 0, republish: 0, delete: 0, unchanged: 3 },
    });
    expect(html).toContain('<strong>No changes.</strong> The live flows match the repository.');
    expect(html).not.toContain('<svg class="drawing"');
  });

  it('a change only in the flow’s own settings: the drawing, and a line saying no box changes', async () => {
    const graph = flowGraph(line([say('A')]));
    const flow = updated('Settings', diffGraphs(graph, graph));
    flow.changes.push({
      kind: 'replace',
      where: 'initialGreeting.tts',
      path: '/inboundCall/initialGreeting/tts',
      from: 'a',
      to: 'b',
    });
    const html = await renderPlanHtml(plan([flow]));
    expect(html).toContain('No box or arrow changes: what changes is in the flow’s own settings (the list beside).');
    expect(html).toContain('<svg class="drawing"');
  });

  it('a create and a republish say why their change list is empty (not "no change")', async () => {
    const graph = flowGraph(line([say('A')]));
    const created = { ...updated('New'), action: 'create' as const };
    attachGraph(created, diffGraphs({ ...graph, nodes: [], edges: [] }, graph));
    const again = { ...updated('Caller'), action: 'republish' as const, reason: 'commonmodule "Greeting" changes' };
    attachGraph(again, diffGraphs(graph, graph));
    const html = await renderPlanHtml(plan([created, again]));
    expect(html).toContain('A new flow: everything in it is added.');
    expect(html).toContain('it is published again because commonmodule &quot;Greeting&quot; changes.');
    expect(html).not.toContain('No change inside the flow.');
  });

  it('a module that hundreds of changing flows call: the modules graph says so instead of drawing a row of 400 boxes', async () => {
    const callers = Array.from({ length: 400 }, (_, i) => ({
      ...updated(`L${i}`, undefined, ['commonmodule:M']),
      action: 'republish' as const,
    }));
    const html = await renderPlanHtml(plan([{ ...updated('M'), id: 'commonmodule:M' }, ...callers]));
    expect(html).toContain('401 flows: too many to draw; the sections below say which are republished and why.');
    expect(html).not.toContain('<section class="modules"><h2>Modules and their callers</h2>\n<div');
  });

  it('a flow too big to draw whole: the part around its change, and how to draw all of it', async () => {
    const names = Array.from({ length: 900 }, (_, i) => `S${i}`);
    const diff = diffGraphs(flowGraph(line(names.map(say))), flowGraph(line([...names, 'New'].map(say))));
    const html = await renderPlanHtml(plan([updated('Big', diff)]));
    expect(html).toContain(
      'Drawn around its changes: 4 of its 903 nodes (the changed ones and those two steps from them). The whole flow: <code>flowops graph flows/Big.yaml --html FILE</code>.',
    );
    // The new last action, the one before it (its arrow added) and two more before that.
    expect(html.match(/<g class="node/g)).toHaveLength(4);
  });
});
