import { describe, expect, it } from 'vitest';
import { checkFlowSources, type CheckOptions, type FlowSource } from '../../src/check/index.js';
import { buildGraph } from '../../src/check/graph.js';

// Flows that call or name other flows (bots, transfer targets, in-queue flows, modules) are published
// after them, and a callee nobody has is an error at the call.

/** A flow of `key` whose one task (or state, for messaging) does `action`. */
function flowFile(key: string, name: string, action = ''): string {
  return `${key}:
  name: ${name}
  startUpRef: "/${key}/tasks/task[t]"
  defaultLanguage: en-us
  tasks:
    - task:
        name: T
        refId: t
        actions:
${action}          - disconnect:
              name: Bye
`;
}
const callBot = (bot: string, action = 'callBotFlow') => `          - ${action}:
              name: Ask the bot
              botFlow:
                ${bot}:
                  ver_latestPublished: {}
`;
const transferTo = (target: string) => `          - transferToFlow:
              name: Transfer
              targetFlow:
                name: ${target}
`;
const transferWithInQueue = (inQueue: string) => `          - transferToAcd:
              name: To support
              targetQueue:
                lit:
                  name: Support
              overrideInQueueFlow:
                name: ${inQueue}
`;
const botFile = (name: string, key = 'botFlow') => flowFile(key, name);

const check = (files: Record<string, string>, options: CheckOptions = {}) =>
  checkFlowSources(
    Object.entries(files).map(([path, text]): FlowSource => ({ path, text })),
    options,
  );
const errors = (result: ReturnType<typeof check>) =>
  result.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.file}:${d.line}:${d.col} ${d.code}: ${d.message}`);

describe('calls and transfers are edges of the dependency graph', () => {
  it('a bot called by callBotFlow is published before its caller (whatever the order of the files)', () => {
    const result = check({
      'a-caller.yaml': flowFile('inboundCall', 'Main', callBot('order bot')),
      'z-bot.yaml': botFile('Order Bot'),
    });
    expect(errors(result)).toEqual([]);
    expect(result.graph.order).toEqual(['bot:Order Bot', 'inboundcall:Main']);
    expect(result.graph.dependsOn['inboundcall:Main']).toEqual(['bot:Order Bot']);
    expect(result.graph.callers['bot:Order Bot']).toEqual(['inboundcall:Main']);
  });

  it('a digital bot, a transfer target and an in-queue flow are each published before the flow naming them', () => {
    const result = check({
      'a.yaml': flowFile(
        'inboundCall',
        'A Main',
        callBot('Chat Bot', 'callDigitalBotFlow') + transferTo('B Other line') + transferWithInQueue('C Hold'),
      ),
      'b.yaml': flowFile('inboundCall', 'B Other line'),
      'c.yaml': flowFile('inqueueCall', 'C Hold'),
      'd.yaml': botFile('Chat Bot', 'digitalBot'),
    });
    expect(errors(result)).toEqual([]);
    expect(result.graph.dependsOn['inboundcall:A Main']).toEqual([
      'digitalbot:Chat Bot',
      'inboundcall:B Other line',
      'inqueuecall:C Hold',
    ]);
    expect(result.graph.order.at(-1)).toBe('inboundcall:A Main');
  });

  it('a transfer names a flow of the types it may reach: a bot of that name is not it', () => {
    const result = check({
      'a.yaml': flowFile('inboundCall', 'Main', transferTo('Helper')),
      'b.yaml': botFile('Helper'),
    });
    expect(errors(result)).toEqual([
      'a.yaml:13:23 unknown-flow: transferToFlow names unknown flow "Helper": no inboundcall/inboundemail/inboundshortmessage/inboundchat/workflow flow of that name among the flows (list flows kept elsewhere under externalFlows in flowops.yaml)',
    ]);
    expect(result.graph.dependsOn['inboundcall:Main']).toEqual([]);
  });

  it('flows transferring to each other are no cycle: the transfers order what they can, and each is published', () => {
    const both = check({
      'a.yaml': flowFile('inboundCall', 'A', transferTo('B')),
      'b.yaml': flowFile('inboundCall', 'B', transferTo('A')),
      'c.yaml': flowFile('inboundCall', 'C', transferTo('B')),
    });
    expect(errors(both)).toEqual([]);
    // In id order, A's transfer is taken first; B's back to A would close a cycle and only that one is left out.
    expect(both.graph.dependsOn['inboundcall:A']).toEqual(['inboundcall:B']);
    expect(both.graph.dependsOn['inboundcall:B']).toEqual([]);
    expect(both.graph.order).toEqual(['inboundcall:B', 'inboundcall:A', 'inboundcall:C']);
    const self = check({ 'a.yaml': flowFile('inboundCall', 'A', transferTo('A')) });
    expect(errors(self)).toEqual([]);
    expect(self.graph.order).toEqual(['inboundcall:A']);
  });

  it('a required edge (a module or bot call) is kept; a transfer that would go against it is left out', () => {
    const { graph, cycles } = buildGraph(
      ['bot:Helper', 'inboundcall:Main'],
      { 'inboundcall:Main': ['bot:Helper'] },
      { 'bot:Helper': ['inboundcall:Main'] },
    );
    expect(cycles).toEqual([]);
    expect(graph.dependsOn).toEqual({ 'bot:Helper': [], 'inboundcall:Main': ['bot:Helper'] });
    expect(graph.order).toEqual(['bot:Helper', 'inboundcall:Main']);
  });
});

describe('a callee nobody has is an error at the call', () => {
  it('a bot neither among the flows nor in externalFlows, at its key', () => {
    const result = check({ 'flows/caller.yaml': flowFile('inboundCall', 'Main', callBot('Ghost Bot')) });
    expect(errors(result)).toEqual([
      'flows/caller.yaml:13:17 unknown-flow: callBotFlow names unknown bot flow "Ghost Bot": no bot flow of that name among the flows (list flows kept elsewhere under externalFlows in flowops.yaml)',
    ]);
  });

  it('an in-queue flow of a transfer, at its name', () => {
    const result = check({ 'a.yaml': flowFile('inboundCall', 'Main', transferWithInQueue('Nowhere')) });
    expect(errors(result)).toEqual([
      expect.stringMatching(/^a\.yaml:16:23 unknown-flow: overrideInQueueFlow names unknown in-queue flow "Nowhere"/),
    ]);
  });

  it('externalFlows (names regardless of case) are known', () => {
    const files = {
      'a.yaml': flowFile('inboundCall', 'Main', callBot('Ghost Bot') + transferWithInQueue('Hold')),
    };
    const result = check(files, { externalFlows: ['ghost bot', 'HOLD'] });
    expect(errors(result)).toEqual([]);
  });

  it('a bot name from a substitution with no value is one error (the missing substitution), not two', () => {
    const result = check({ 'a.yaml': flowFile('inboundCall', 'Main', callBot('{{bot}}')) }, { environment: 'prod' });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['missing-substitution']);
  });

  it('a bot name from a substitution: the error is at the placeholder', () => {
    const result = check(
      { 'a.yaml': flowFile('inboundCall', 'Main', callBot('{{bot}}')) },
      { substitutions: { bot: 'A Much Longer Bot' } },
    );
    expect(errors(result)).toEqual([expect.stringMatching(/^a\.yaml:13:17 unknown-flow: .*"A Much Longer Bot"/)]);
  });
});

describe('buildGraph', () => {
  it('orders callees first, ties by id, ignores callees not among the ids', () => {
    const { graph, cycles } = buildGraph(['c', 'b', 'a', 'd'], { a: ['b', 'x'], b: ['c'], d: ['c'] });
    expect(cycles).toEqual([]);
    expect(graph.order).toEqual(['c', 'b', 'a', 'd']);
    expect(graph.dependsOn).toEqual({ a: ['b'], b: ['c'], c: [], d: ['c'] });
    expect(graph.callers).toEqual({ b: ['a'], c: ['b', 'd'] });
  });

  it('names the ids of a cycle', () => {
    const { graph, cycles } = buildGraph(['a', 'b', 'c'], { a: ['b'], b: ['a'], c: ['a'] });
    expect(cycles).toEqual([['a', 'b', 'a']]);
    expect(graph.order).toEqual([]);
  });
});
