import { describe, expect, it } from 'vitest';
import { type FlowGraph, flowGraph } from '../../src/plan/flow-graph.js';
import { blueprintDocument, blueprintFiles, demoDocument, demoFiles, edgeText } from '../helpers/flow-documents.js';

type Doc = Record<string, unknown>;

const blueprintGraph = (file: string): FlowGraph => flowGraph(blueprintDocument(file));

const edgesFrom = (graph: FlowGraph, from: string) => graph.edges.filter((e) => e.from === from).map(edgeText);

/** Every edge leads to a node of the graph, and no id is used twice. */
function expectWhole(graph: FlowGraph): void {
  const ids = graph.nodes.map((n) => n.id);
  expect(new Set(ids).size).toBe(ids.length);
  const known = new Set(ids);
  expect(graph.edges.filter((e) => e.to === undefined || !known.has(e.to) || !known.has(e.from))).toEqual([]);
}

describe('flowGraph on the real blueprint files', () => {
  it.each(blueprintFiles)('%s: a graph with no dangling edge', (file) => {
    const graph = blueprintGraph(file);
    expectWhole(graph);
    expect(graph.edges.some((e) => e.from === 'start')).toBe(true);
    // No refId makes it into an id: Architect regenerates them.
    expect(graph.nodes.filter((n) => /_\d+\b/.test(n.id))).toEqual([]);
  });

  it('SimpleFinancialIvr: the start goes to the main menu, whose choices carry their digit and lead to queues or disconnect', () => {
    const graph = blueprintGraph('SimpleFinancialIvr_v2-0.yaml');
    expect(edgesFrom(graph, 'start')).toEqual(['start -start-> menu:Main Menu']);
    expect(edgesFrom(graph, 'menu:Main Menu')).toEqual([
      'menu:Main Menu -choice:9-> menu:Main Menu/choice:0',
      'menu:Main Menu -choice:1-> menu:Main Menu/choice:1',
      'menu:Main Menu -choice:2-> menu:Main Menu/choice:2',
    ]);
    const choices = graph.nodes.filter((n) => n.kind === 'choice');
    expect(choices.map((n) => [n.type, n.label, n.dtmf])).toEqual([
      ['menuDisconnect', 'Disconnect', '9'],
      ['menuTransferToAcd', 'SimpleFinancial401K', '1'],
      ['menuTransferToAcd', 'SimpleFinancialIRA', '2'],
    ]);
    expect(edgesFrom(graph, 'menu:Main Menu/choice:0')).toEqual(['menu:Main Menu/choice:0 -disconnect-> disconnect']);
    expect(edgesFrom(graph, 'menu:Main Menu/choice:1')).toEqual([
      'menu:Main Menu/choice:1 -transfer-> queue:Simple Financial 401K queue',
    ]);
  });

  it('DR-Fallback-Ivr: a voicemail transfer with its failure path, then a disconnect', () => {
    const graph = blueprintGraph('DR-Fallback-Ivr.yaml');
    const task = 'task:Voicemail Queue';
    expect(edgesFrom(graph, 'start')).toEqual([`start -start-> ${task}`]);
    expect(edgesFrom(graph, task)).toEqual([`${task} -contains-> ${task}/action:0`]);
    expect(edgesFrom(graph, `${task}/action:0`)).toEqual([
      `${task}/action:0 -transfer-> queue:General Help`,
      `${task}/action:0 -failure:failure-> ${task}/action:0/failure/action:0`,
      `${task}/action:0 -next-> ${task}/action:1`,
    ]);
    // The failure path goes on with the action after the transfer.
    expect(edgesFrom(graph, `${task}/action:0/failure/action:0`)).toEqual([
      `${task}/action:0/failure/action:0 -next-> ${task}/action:1`,
    ]);
    expect(edgesFrom(graph, `${task}/action:1`)).toEqual([`${task}/action:1 -disconnect-> disconnect`]);
  });

  it('the messaging flow: a state calling the bot and the module, then a transfer', () => {
    const graph = blueprintGraph('merge-external-contact/MergeExternalContactMessageFlow.yaml');
    const state = 'state:Initial State';
    expect(edgesFrom(graph, 'start')).toEqual([`start -start-> ${state}`]);
    expect(edgesFrom(graph, `${state}/action:0`)).toEqual([
      `${state}/action:0 -call-> botFlow:Merge Contact Bot`,
      `${state}/action:0 -next-> ${state}/action:1`,
    ]);
    expect(edgesFrom(graph, `${state}/action:2`)).toContain(`${state}/action:2 -call-> module:Resolve Contact`);
    expect(graph.edges.map(edgeText)).toContain(`${state}/action:4 -transfer-> queue:Support`);
  });

  it('a common module starts with its startup actions', () => {
    const graph = blueprintGraph('merge-external-contact/ResolveContact.yaml');
    expect(edgesFrom(graph, 'start')).toEqual(['start -start-> action:0']);
    expect(graph.nodes.find((n) => n.id === 'action:0')).toMatchObject({ parent: 'start', list: 'startUpTaskActions' });
  });
});

describe('flowGraph on the demo flows', () => {
  it.each(demoFiles)('%s: a graph with no dangling edge', (file) => {
    expectWhole(flowGraph(demoDocument(file)));
  });

  it('main-line: the schedule decision branches, the jump to the menu, the inline task of a choice', () => {
    const graph = flowGraph(demoDocument('flows/inbound/main-line.yaml'));
    const task = 'task:Startup Task';
    expect(edgesFrom(graph, `${task}/action:0`)).toEqual([
      `${task}/action:0 -call-> module:Shared Common Module - Tag and Greet`,
      `${task}/action:0 -next-> ${task}/action:1`,
    ]);
    expect(edgesFrom(graph, `${task}/action:1`)).toEqual([
      // In the normal form's key order.
      `${task}/action:1 -output:closed-> ${task}/action:1/closed/action:0`,
      `${task}/action:1 -output:open-> ${task}/action:1/open/action:0`,
    ]);
    expect(edgesFrom(graph, `${task}/action:1/open/action:0`)).toEqual([
      `${task}/action:1/open/action:0 -jump-> menu:Main Menu`,
    ]);
    const support = 'menu:Main Menu/choice:2';
    expect(graph.nodes.find((n) => n.id === support)).toMatchObject({
      type: 'menuTask',
      label: 'Technical support',
      dtmf: '3',
    });
    expect(edgesFrom(graph, support)).toEqual([`${support} -contains-> ${support}/action:0`]);
    expect(edgesFrom(graph, `${support}/action:0`)).toEqual([
      `${support}/action:0 -transfer-> queue:Support`,
      `${support}/action:0 -failure:failure-> ${support}/action:0/failure/action:0`,
      `${support}/action:0 -next-> ${support}/action:1`,
    ]);
  });
});

const task = (actions: unknown[], extra: Doc = {}): Doc => ({
  inboundCall: {
    name: 'Built',
    startUpRef: '/inboundCall/tasks/task[t]',
    tasks: [{ task: { name: 'T', refId: 't', actions } }],
    ...extra,
  },
});

describe('flowGraph edges', () => {
  it('a broken reference is a dangling edge, not an error', () => {
    const graph = flowGraph(
      task([{ jumpToMenu: { name: 'Lost', targetMenuRef: '/inboundCall/menus/menu[nowhere]' } }]),
    );
    expect(edgesFrom(graph, 'task:T/action:0')).toEqual(['task:T/action:0 -jump-> ?/inboundCall/menus/menu[nowhere]']);
    const noStart = flowGraph({ inboundCall: { name: 'X', startUpRef: 'gone', tasks: [] } });
    expect(noStart.edges).toEqual([{ from: 'start', kind: 'start', label: '', missing: 'gone' }]);
  });

  it('a switch: each case and the default an edge, labelled; an empty case goes on to the next action', () => {
    const graph = flowGraph(
      task([
        {
          switch: {
            name: 'Route',
            evaluate: {
              firstTrue: {
                cases: [
                  { case: { value: { exp: 'true' }, actions: [{ disconnect: { name: 'Bye' } }] } },
                  { case: { value: { exp: 'false' }, actions: [] } },
                ],
                default: { actions: [{ jumpToTask: { name: 'Again', targetTaskRef: '/inboundCall/tasks/task[t]' } }] },
              },
            },
          },
        },
        { callTask: { name: 'Again first', targetTaskRef: '/inboundCall/tasks/task[t]' } },
        { playAudio: { name: 'After', audio: { tts: 'x' } } },
      ]),
    );
    expect(edgesFrom(graph, 'task:T/action:1')).toEqual([
      // References are resolved once every item is known, so their edges come last.
      'task:T/action:1 -next-> task:T/action:2',
      'task:T/action:1 -call-> task:T',
    ]);
    expect(edgesFrom(graph, 'task:T/action:0')).toEqual([
      'task:T/action:0 -output:case 1-> task:T/action:0/case:0/action:0',
      'task:T/action:0 -output:case 2-> task:T/action:1',
      'task:T/action:0 -output:default-> task:T/action:0/default/action:0',
      'task:T/action:0 -next-> task:T/action:1',
    ]);
    expect(edgesFrom(graph, 'task:T/action:0/default/action:0')).toEqual([
      'task:T/action:0/default/action:0 -jump-> task:T',
    ]);
  });

  it('speech terms of a choice, and a relative reference', () => {
    const graph = flowGraph({
      inboundCall: {
        name: 'Speech',
        startUpRef: '/inboundCall/menus/menu[m]',
        menus: [
          {
            menu: {
              name: 'M',
              refId: 'm',
              defaultChildMenuRef: './choices/menuDisconnect[bye]',
              choices: [
                {
                  menuDisconnect: {
                    name: 'Bye',
                    refId: 'bye',
                    dtmf: 'digit_9',
                    speechRecTerms: { 'en-us': { lit: ['goodbye', 'hang up'] } },
                  },
                },
              ],
            },
          },
        ],
      },
    });
    expect(graph.nodes.find((n) => n.id === 'menu:M/choice:0')).toMatchObject({
      dtmf: '9',
      speech: ['goodbye', 'hang up'],
    });
    expect(edgesFrom(graph, 'menu:M')).toEqual([
      'menu:M -choice:9-> menu:M/choice:0',
      'menu:M -choice:default-> menu:M/choice:0',
    ]);
  });

  it('names that look like ids stay apart: a slash is escaped, a repeated name numbered', () => {
    const play = { playAudio: { name: 'P', audio: { tts: 'x' } } };
    const graph = flowGraph({
      inboundCall: {
        name: 'Ids',
        tasks: [
          { task: { name: 'A/action:0', actions: [play] } },
          { task: { name: 'A', actions: [play] } },
          { task: { name: 'A', actions: [play] } },
        ],
      },
    });
    expectWhole(graph);
    expect(graph.nodes.filter((n) => n.kind === 'task').map((n) => n.id)).toEqual([
      'task:A\\/action:0',
      'task:A',
      'task:A#2',
    ]);
  });

  it('a 200-action task is a chain of 200 nodes, and a 20000-action one stays linear', () => {
    const actions = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        i % 10 === 5
          ? {
              decision: {
                name: `D${i}`,
                condition: { exp: 'true' },
                outputs: {
                  yes: { actions: [{ jumpToTask: { name: `J${i}`, targetTaskRef: '/inboundCall/tasks/task[t]' } }] },
                },
              },
            }
          : { playAudio: { name: `A${i}`, audio: { tts: `${i}` } } },
      );
    const graph = flowGraph(task(actions(200)));
    expect(graph.nodes.filter((n) => n.kind === 'action')).toHaveLength(220);
    expect(graph.edges.filter((e) => e.kind === 'next')).toHaveLength(199);
    expect(graph.edges.filter((e) => e.kind === 'jump').every((e) => e.to === 'task:T')).toBe(true);
    const started = performance.now();
    const big = flowGraph(task(actions(20_000)));
    expect(big.nodes).toHaveLength(22_002);
    // Quadratic work on 20000 actions would take minutes; linear takes well under a second.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
