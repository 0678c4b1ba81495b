import { describe, expect, it } from 'vitest';
import { dynamicLookups } from '../../../src/rules/builtin/dynamic-lookups.js';
import { assignUser, inboundCall, indent, runRule } from './harness.js';

const ACTIONS = ['inboundCall', 'tasks', 0, 'task', 'actions'];
/** One updateData action whose statements each hold an expression. */
const expressions = (exps: string[]) => `
- updateData:
    name: Look ups
    statements:
${exps.map((exp) => `      - queue:\n          variable: Task.Q\n          value:\n            exp: '${exp}'`).join('\n')}
- disconnect:
    name: Bye`;
const statementPath = (i: number) => [...ACTIONS, 0, 'updateData', 'statements', i, 'queue', 'value', 'exp'];
const queues = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `FindQueue("Queue ${i + from}")`);

describe('dynamic-lookups', () => {
  it('passes 25 unique lookups of one type, and the same queue looked up again', () => {
    expect(runRule(dynamicLookups, inboundCall(expressions([...queues(25), 'FindQueue("Queue 0")'])))).toEqual([]);
  });

  it('reports the 26th unique lookup of one type, once, where it is', () => {
    expect(runRule(dynamicLookups, inboundCall(expressions(queues(27))))).toEqual([
      {
        path: statementPath(25),
        message: 'FindQueue("Queue 25") is unique queue lookup 26 of this flow: Genesys allows 25 of one type',
      },
    ]);
  });

  it('reports the 101st unique lookup of the flow, types together (Find actions and functions alike)', () => {
    const fns = ['FindQueue', 'FindUser', 'FindGroup', 'FindSkill'];
    const exps = fns.flatMap((fn) => Array.from({ length: 25 }, (_, i) => `${fn}("${fn} ${i}")`));
    const text = inboundCall(`${expressions(exps)}
- findScheduleGroup:
    name: Hours
    findName:
      lit: Weekend
    findResult:
      var: Task.Hours`);
    expect(runRule(dynamicLookups, text)).toEqual([
      {
        path: [...ACTIONS, 2],
        message: 'findScheduleGroup "Hours" is unique lookup 101 of this flow: Genesys allows 100 in all',
      },
    ]);
  });

  it('counts a dynamic argument by its expression, and reads nested calls and quoted parentheses', () => {
    const exps = [...queues(24), 'FindQueue(Task.Name)', 'FindQueue(Append("a)", Task.Suffix))'];
    expect(runRule(dynamicLookups, inboundCall(expressions(exps))).map((r) => r.message)).toEqual([
      'FindQueue(Append("a)", Task.Suffix)) is unique queue lookup 26 of this flow: Genesys allows 25 of one type',
    ]);
  });

  it('reports a lookup inside a loop, and not FindString or other functions', () => {
    const text = inboundCall(`
- loop:
    name: Each agent
    currentIndex:
      var: Task.i
    loopCount:
      lit: 3
    outputs:
      loop:
        actions:
${indent(assignUser('FindUser(Task.Emails[Task.i])'), 10)}
- updateData:
    name: Position
    statements:
      - integer:
          variable: Task.At
          value:
            exp: FindString(Task.Text, "x")
- disconnect:
    name: Bye`);
    expect(runRule(dynamicLookups, text)).toEqual([
      {
        path: [
          ...ACTIONS,
          0,
          'loop',
          'outputs',
          'loop',
          'actions',
          0,
          'updateData',
          'statements',
          0,
          'user',
          'value',
          'exp',
        ],
        message:
          'FindUser(Task.Emails[Task.i]) inside a loop looks the object up on every turn: look it up once before the loop',
      },
    ]);
    expect(runRule(dynamicLookups, text, { inLoop: false })).toEqual([]);
  });

  it('options set the limits', () => {
    expect(runRule(dynamicLookups, inboundCall(expressions(queues(3))), { maxPerType: 2 })).toHaveLength(1);
    expect(runRule(dynamicLookups, inboundCall(expressions(queues(3))), { maxTotal: 1 })).toHaveLength(1);
    expect(dynamicLookups.validateOptions!({ maxPerType: 0 })).toBe(
      "option 'maxPerType' must be a whole number above 0",
    );
  });
});
