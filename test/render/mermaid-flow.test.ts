import { describe, expect, it } from 'vitest';
import { flowGraph } from '../../src/plan/flow-graph.js';
import { diffGraphs } from '../../src/plan/graph-diff.js';
import { changeMermaid, flowMermaid, MAX_LABEL, text } from '../../src/render/mermaid-flow.js';
import { AWKWARD_NAMES } from '../helpers/awkward-names.js';
import { blueprintDocument, blueprintFiles, demoDocument } from '../helpers/flow-documents.js';

// The mermaid drawings: the whole flow, the part around a change (marked by class and by a text
// marker), safe ids and escaped labels, dangling edges, bounds. test/browser/mermaid.test.ts renders
// them with mermaid itself.
type Doc = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: tests edit a parsed document in place
type Any = any;

/** A flow whose one task holds `names.length` play-audio actions named so, then a disconnect. */
function flowOf(names: string[], extra: Any = {}): Doc {
  return {
    inboundCall: {
      name: 'Test Line',
      startUpRef: '/inboundCall/tasks/task[t]',
      tasks: [
        {
          task: {
            name: 'Main Task',
            refId: 't',
            actions: [
              ...names.map((name) => ({ playAudio: { name, audio: { tts: 'x' } } })),
              { disconnect: { name: 'Bye' } },
            ],
          },
        },
      ],
      ...extra,
    },
  };
}

/** The line that declares the node whose label holds `label` (escaped as the renderer does). */
const nodeLine = (mermaid: string, label: string) =>
  mermaid.split('\n').find((l) => /^\s+n\d+/.test(l) && l.includes(text(label)));
/** `class ... name` lines: the node ids marked `name`. */
const marked = (mermaid: string, name: string) =>
  mermaid
    .split('\n')
    .filter((l) => l.trim().startsWith('class ') && l.trim().endsWith(` ${name}`))
    .flatMap((l) => l.trim().split(' ')[1]!.split(','));
const idOf = (line: string | undefined) => /^\s+(n\d+)/.exec(line ?? '')?.[1];

describe('flowMermaid: the whole flow', () => {
  it('draws every node once, with safe ids and no marking', () => {
    const graph = flowGraph(demoDocument('flows/inbound/main-line.yaml'));
    const mermaid = flowMermaid(graph);
    const declared = mermaid.split('\n').filter((l) => /^\s+n\d+[[({>]/.test(l));
    expect(declared.length).toBe(graph.nodes.length);
    expect(mermaid.split('\n')[0]).toBe('flowchart TD');
    expect(mermaid).not.toMatch(/class \S+ (added|removed|changed)/);
    expect(mermaid).not.toMatch(/"[+−~] /);
    // Every edge drawn (no `… more`: nothing is left out).
    expect(mermaid.split('\n').filter((l) => /^\s+n\d+ -->/.test(l)).length).toBe(graph.edges.length);
    expect(mermaid).not.toContain('more"');
    // Menus and tasks are subgraphs holding what they contain.
    expect(mermaid).toContain('subgraph g0["menu Main Menu"]');
    expect(mermaid).toContain('subgraph g1["task Startup Task"]');
  });

  it.each(blueprintFiles)('draws the blueprint %s whole', (file) => {
    const graph = flowGraph(blueprintDocument(file));
    const mermaid = flowMermaid(graph);
    expect(mermaid.split('\n').filter((l) => /^\s+n\d+[[({>]/.test(l)).length).toBe(
      graph.nodes.length + new Set(graph.edges.filter((e) => !e.to).map((e) => e.missing)).size,
    );
  });
});

describe('changeMermaid: the part around the change', () => {
  it('marks an added, a removed and a changed node by class and by text marker', () => {
    const before = demoDocument('flows/inbound/main-line.yaml') as Any;
    const after = structuredClone(before);
    const actions = after.inboundCall.tasks[0].task.actions;
    actions.splice(1, 0, { playAudio: { name: 'Hold on', audio: { tts: 'One moment.' } } });
    after.inboundCall.menus[0].menu.choices.pop(); // "Hang up"
    after.inboundCall.menus[0].menu.choices[0].menuTransferToAcd.name = 'Sales team';
    const diagram = changeMermaid(diffGraphs(flowGraph(before), flowGraph(after)))!;
    const m = diagram.text;
    const added = nodeLine(m, '+ Hold on');
    const removed = nodeLine(m, '− 9: Hang up');
    const changed = nodeLine(m, '~ 1: Sales team');
    expect([added, removed, changed].every(Boolean)).toBe(true);
    expect(marked(m, 'added')).toEqual([idOf(added)]);
    expect(marked(m, 'removed')).toEqual([idOf(removed)]);
    expect(marked(m, 'changed')).toEqual([idOf(changed)]);
    expect(m).toContain('classDef added fill:');
    // The edges too: the removed choice's edge dotted and marked, the new action's thick.
    expect(m).toMatch(new RegExp(`n\\d+ -\\.->\\|"− 9"\\| ${idOf(removed)}`));
    expect(m).toMatch(new RegExp(`${idOf(added)} ==>\\|"\\+"\\| n\\d+`));
    expect(m).toMatch(/linkStyle \d+ stroke:#cf222e/);
    // Unchanged parts far from the change are left out and counted.
    expect(diagram.drawn).toBeLessThan(diagram.total);
    expect(m).not.toContain('Closed message');
    expect(m).not.toContain('Disconnect after hours');
    expect(m).toMatch(/e\d+\(\["… \d+ more"\]\)/);
  });

  it('a task removed whole: its subgraph title and its nodes carry the marker', () => {
    const extra = (more: boolean) => ({
      tasks: [
        { task: { name: 'Main Task', refId: 't', actions: [{ disconnect: { name: 'Bye' } }] } },
        ...(more ? [{ task: { name: 'Old Task', refId: 'o', actions: [{ endTask: { name: 'Done' } }] } }] : []),
      ],
    });
    const diagram = changeMermaid(diffGraphs(flowGraph(flowOf([], extra(true))), flowGraph(flowOf([], extra(false)))))!;
    expect(diagram.text).toContain('subgraph g0["− task Old Task"]');
    expect(nodeLine(diagram.text, '− Done')).toBeDefined();
  });

  it('a 200-action task with one changed action draws a handful of nodes, the rest counted', () => {
    const names = Array.from({ length: 200 }, (_, i) => `Step ${i}`);
    const before = flowOf(names);
    const after = flowOf(names.map((n) => (n === 'Step 100' ? 'Step one hundred' : n)));
    const diagram = changeMermaid(diffGraphs(flowGraph(before), flowGraph(after)))!;
    expect(diagram.total).toBeGreaterThan(200);
    expect(diagram.drawn).toBeLessThanOrEqual(5);
    expect(diagram.changed).toBe(1);
    expect(diagram.text).toContain('~ Step one hundred');
    expect(diagram.text).toContain('Step 99');
    expect(diagram.text).toContain('Step 101');
    expect(diagram.text).not.toContain('Step 98"');
    // One `… 1 more` before Step 99, one after Step 101.
    expect(diagram.text.match(/… 1 more/g)?.length).toBe(2);
  });

  it('bounds the drawing: changed nodes past maxNodes are counted, not drawn; a long text draws fewer', () => {
    const names = Array.from({ length: 100 }, (_, i) => `Step ${i}`);
    const after = flowOf(names.map((n, i) => (i % 10 === 0 ? `${n} changed` : n)));
    const diff = diffGraphs(flowGraph(flowOf(names)), flowGraph(after));
    const small = changeMermaid(diff, { maxNodes: 12 })!;
    expect(small.drawn).toBeLessThanOrEqual(12);
    expect(small.changed).toBe(10);
    expect(small.notDrawn).toBeGreaterThan(0);
    expect(small.text.match(/"~ Step \d+ changed/g)?.length).toBe(10 - small.notDrawn);
    const short = changeMermaid(diff, { maxChars: 2000 })!;
    expect(short.text.length).toBeLessThanOrEqual(2000);
    expect(short.notDrawn).toBeGreaterThan(0);
  });

  it('a changed menu of 100 choices draws its first neighbours within the bound, the rest counted', () => {
    const menu = (name: string) => ({
      menus: [
        {
          menu: {
            name,
            refId: 'm',
            audio: { tts: 'x' },
            choices: Array.from({ length: 100 }, (_, i) => ({
              menuDisconnect: { name: `Choice ${i}`, dtmf: `digit_${i % 10}` },
            })),
          },
        },
      ],
    });
    const diff = diffGraphs(flowGraph(flowOf(['One'], menu('Big'))), flowGraph(flowOf(['One'], menu('Bigger'))));
    const diagram = changeMermaid(diff, { maxNodes: 20 })!;
    expect(diagram.drawn).toBeLessThanOrEqual(20);
    expect(diagram.text).toContain('~ menu: Bigger');
    expect(diagram.text).toMatch(/… \d{2} more/);
  });

  it("keeps within mermaid's 500 edges whatever the node bound", () => {
    const empty = { flowType: 'inboundCall', name: 'Test Line', nodes: [], edges: [] };
    const names = Array.from({ length: 700 }, (_, i) => `Step ${i}`);
    const diagram = changeMermaid(diffGraphs(empty, flowGraph(flowOf(names))), { maxNodes: 5000, maxChars: 1e7 })!;
    const edges = diagram.text.split('\n').filter((l) => / (-->|==>|-\.->|-\.-)/.test(l));
    expect(edges.length).toBeGreaterThan(100);
    expect(edges.length).toBeLessThanOrEqual(500);
    expect(diagram.notDrawn).toBeGreaterThan(0);
  });

  it('a created flow is all added; nothing changed gives no drawing', () => {
    const doc = flowOf(['One', 'Two']);
    const empty = { flowType: 'inboundCall', name: 'Test Line', nodes: [], edges: [] };
    const created = changeMermaid(diffGraphs(empty, flowGraph(doc)))!;
    expect(marked(created.text, 'added').length).toBe(flowGraph(doc).nodes.length);
    expect(changeMermaid(diffGraphs(flowGraph(doc), flowGraph(doc)))).toBeUndefined();
  });

  it('a broken reference draws as an edge to a "missing: …" node, not a crash', () => {
    const before = flowOf(['One']);
    const after = flowOf(['One'], { startUpRef: '/inboundCall/tasks/task[gone]' });
    const diagram = changeMermaid(diffGraphs(flowGraph(before), flowGraph(after)))!;
    const missing = diagram.text.split('\n').find((l) => l.includes('missing: '));
    expect(missing).toMatch(/^\s+n\d+>"~ missing: .*gone.*"\]$/);
    expect(marked(diagram.text, 'missing')).toEqual([idOf(missing)]);
    expect(flowMermaid(flowGraph(after))).toMatch(/n\d+>"missing: .*gone.*"\]/);
  });
});

describe('labels', () => {
  it.each(Object.entries(AWKWARD_NAMES))('%s: escaped with entity codes, ids stay n0, n1…', (_, name) => {
    const before = flowOf(['Plain']);
    const after = flowOf(['Plain', name], {
      menus: [{ menu: { name, refId: 'm', audio: { tts: 'x' }, choices: [] } }],
    });
    const diagram = changeMermaid(diffGraphs(flowGraph(before), flowGraph(after)))!;
    for (const line of diagram.text.split('\n').slice(1)) {
      // Every line is a declaration by safe id, an edge between safe ids, a subgraph, or styling.
      expect(line).toMatch(/^\s+(n\d+|e\d+|g\d+|subgraph g\d+\[|end$|classDef |class |linkStyle )/);
      // Inside a label: no quote, no raw character mermaid or a browser would read.
      const labels = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
      for (const label of labels)
        expect(label.replace(/<br\/>/g, ' ')).not.toMatch(/[<>&|`%\n]|#(?!(quot|amp|lt|gt|\d+);)|style|classDef/);
    }
    expect(diagram.text).not.toContain('<script');
    expect(diagram.text).not.toContain('<img');
    expect(nodeLine(diagram.text, `+ ${name.replace(/\s+/g, ' ')}`)).toBeDefined();
  });

  it('text: entity codes, whole code points when cut, no line breaks', () => {
    expect(text('a "b" <c> & #d; `e` | f %%')).toBe(
      'a #quot;b#quot; #lt;c#gt; #amp; #35;d; #96;e#96; #124; f #37;#37;',
    );
    expect(text('style: classDef')).toBe('s#116;yle: c#108;assDef');
    expect(text('x\ny\r\nz')).toBe('x y z');
    const long = text('😀'.repeat(200));
    expect(Array.from(long).length).toBe(MAX_LABEL);
    expect(long.endsWith('😀…')).toBe(true);
  });
});
