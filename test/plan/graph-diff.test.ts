import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { writeArchitectExport } from '../../src/emulator/architect-export.js';
import { flowGraph } from '../../src/plan/flow-graph.js';
import { diffGraphs, type GraphDiff } from '../../src/plan/graph-diff.js';
import { blueprintDocument, blueprintFiles, demoDocument, demoFiles, edgeText } from '../helpers/flow-documents.js';

type Doc = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: tests edit a parsed document in place
type Any = any;

/** What is not the same, as `status id` for nodes and `status before => after` for edges. */
function differences(diff: GraphDiff): { nodes: string[]; edges: string[] } {
  return {
    nodes: diff.nodes
      .filter((c) => c.status !== 'same')
      .map((c) => `${c.status} ${c.before?.id ?? ''}${c.before && c.after ? ' => ' : ''}${c.after?.id ?? ''}`),
    edges: diff.edges
      .filter((c) => c.status !== 'same')
      .map(
        (c) =>
          `${c.status} ${c.before ? edgeText(c.before) : ''}${c.before && c.after ? ' => ' : ''}${c.after ? edgeText(c.after) : ''}`,
      ),
  };
}

/** The main line's diff after `edit` changed a copy of it. */
function mainLineDiff(edit: (body: Any) => void): { nodes: string[]; edges: string[] } {
  const before = demoDocument('flows/inbound/main-line.yaml');
  const after = structuredClone(before) as Any;
  edit(after.inboundCall);
  return differences(diffGraphs(flowGraph(before), flowGraph(after)));
}

const T = 'task:Startup Task';
const M = 'menu:Main Menu';

describe('diffGraphs', () => {
  it('an unchanged flow: every node and edge the same', () => {
    const doc = demoDocument('flows/inbound/main-line.yaml');
    const diff = diffGraphs(flowGraph(doc), flowGraph(doc));
    expect(diff.nodes.every((c) => c.status === 'same')).toBe(true);
    expect(diff.edges.every((c) => c.status === 'same')).toBe(true);
    expect(diff.nodes.length).toBe(flowGraph(doc).nodes.length);
  });

  it('an added action is one added node: the actions after it pair with themselves, not shifted', () => {
    const result = mainLineDiff((body) => {
      body.tasks[0].task.actions.splice(1, 0, { playAudio: { name: 'Hold on', audio: { tts: 'One moment.' } } });
    });
    expect(result.nodes).toEqual([`added ${T}/action:1`]);
    expect(result.edges).toEqual([
      // The module call now goes on to the new action, which goes on to the schedule check.
      `changed ${T}/action:0 -next-> ${T}/action:1 => ${T}/action:0 -next-> ${T}/action:1`,
      `added ${T}/action:1 -next-> ${T}/action:2`,
    ]);
  });

  it('a removed menu choice: the choice, its edges and the queue only it named are removed', () => {
    const result = mainLineDiff((body) => {
      body.menus[0].menu.choices.splice(1, 1); // Billing
    });
    expect(result.nodes).toEqual([`removed ${M}/choice:1`, 'removed queue:Billing']);
    expect(result.edges).toEqual([
      `removed ${M}/choice:1 -transfer-> queue:Billing`,
      `removed ${M} -choice:2-> ${M}/choice:1`,
    ]);
  });

  it('a changed transfer target: the choice changed, its transfer edge changed, the queues swapped', () => {
    const result = mainLineDiff((body) => {
      body.menus[0].menu.choices[0].menuTransferToAcd.targetQueue = { lit: { name: 'Inside Sales' } };
    });
    expect(result.nodes).toEqual([
      `changed ${M}/choice:0 => ${M}/choice:0`,
      'added queue:Inside Sales',
      'removed queue:Sales',
    ]);
    expect(result.edges).toEqual([
      `changed ${M}/choice:0 -transfer-> queue:Sales => ${M}/choice:0 -transfer-> queue:Inside Sales`,
    ]);
  });

  it('a renamed task is that task changed, as the plan reads it (an edit of the one task in its place), its actions the same', () => {
    const result = mainLineDiff((body) => {
      body.tasks[0].task.name = 'Opening Task';
    });
    // The plan's list alignment pairs items of the same kind left between aligned ones: the only
    // task before and the only task after are the same task, renamed. Its actions keep their places,
    // so they pair too, and the edges to and from them are the same ones under the new name.
    expect(result.nodes).toEqual([`changed ${T} => task:Opening Task`]);
    expect(result.edges).toEqual([]);
  });

  it('a menu added before the existing one is one added node: the existing menu pairs with itself by its name', () => {
    const result = mainLineDiff((body) => {
      body.menus.splice(0, 0, { menu: { name: 'Welcome Menu', choices: [] } });
    });
    expect(result.nodes).toEqual(['added menu:Welcome Menu']);
    expect(result.edges).toEqual([]);
  });

  it.each([...demoFiles.map((f) => ['demo', f]), ...blueprintFiles.map((f) => ['blueprint', f])])(
    "the %s flow %s and the emulator's Architect export of it: no difference",
    (kind, file) => {
      const document = kind === 'demo' ? demoDocument(file) : blueprintDocument(file);
      for (const revision of [1, 2] as const) {
        const exported = parse(writeArchitectExport(document, undefined, revision)) as Doc;
        const diff = diffGraphs(flowGraph(document), flowGraph(exported));
        expect(differences(diff)).toEqual({ nodes: [], edges: [] });
      }
    },
  );
});
