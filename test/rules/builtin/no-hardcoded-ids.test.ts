import { describe, expect, it } from 'vitest';
import { noHardcodedIds } from '../../../src/rules/builtin/no-hardcoded-ids.js';
import { assignUser, inboundCall, runRule } from './harness.js';

const ID = '8f1c2a4e-5b6d-4e7f-9a0b-1c2d3e4f5a6b';
const transfer = (queue: string) => `
- transferToAcd:
    name: To support
    targetQueue:
      lit:
        name: ${queue}
- disconnect:
    name: Bye`;
const QUEUE_PATH = ['inboundCall', 'tasks', 0, 'task', 'actions', 0, 'transferToAcd', 'targetQueue', 'lit', 'name'];

describe('no-hardcoded-ids', () => {
  it('reports a queue named by its id, at the name', () => {
    expect(runRule(noHardcodedIds, inboundCall(transfer(ID)))).toEqual([
      {
        path: QUEUE_PATH,
        message: `queue "${ID}" is an id where Archy takes the queue's name: ids differ between orgs, name it instead`,
      },
    ]);
  });

  it('passes a queue named by its name', () => {
    expect(runRule(noHardcodedIds, inboundCall(transfer('Support')))).toEqual([]);
  });

  it('reports a data action and a module named by ids (map keys), and a GUID inside an expression', () => {
    const text = inboundCall(`
- callData:
    name: Look up
    category:
      Genesys Cloud Data Actions:
        dataAction:
          ${ID}:
            inputs: {}
    outputs:
      failure:
        actions:
          - disconnect:
              name: Failed
- callCommonModule:
    name: Greet
    commonModule:
      ${ID.toUpperCase()}:
        ver_latestPublished:
${assignUser(`FindUserById("${ID}")`)}
- disconnect:
    name: Bye`);
    const reports = runRule(noHardcodedIds, text);
    const actions = ['inboundCall', 'tasks', 0, 'task', 'actions'];
    expect(reports.map((r) => r.path)).toEqual([
      [...actions, 0, 'callData', 'category', 'Genesys Cloud Data Actions', 'dataAction', ID],
      [...actions, 1, 'callCommonModule', 'commonModule', ID.toUpperCase()],
      [...actions, 2, 'updateData', 'statements', 0, 'user', 'value', 'exp'],
    ]);
    expect(reports[0]!.message).toMatch(/^data action ".*" is an id where Archy takes the data action's name/);
    expect(reports[1]!.message).toMatch(/^flow ".*" is an id/);
    expect(reports[2]!.message).toBe(
      `the expression holds the id "${ID}": ids differ between orgs, look the object up by name instead`,
    );
  });

  it('reports a FindQueue of an id once, as the queue it names', () => {
    const text = inboundCall(`
- transferToAcd:
    name: To support
    targetQueue:
      exp: FindQueue("${ID}")
- disconnect:
    name: Bye`);
    const reports = runRule(noHardcodedIds, text);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.message).toMatch(/^queue "/);
  });

  it('options: kinds limits the kinds, allow keeps listed ids, expressions: false skips expressions', () => {
    const text = inboundCall(`${transfer(ID)}\n${assignUser(`FindUserById("${ID}")`)}`);
    expect(runRule(noHardcodedIds, text, { kinds: ['user'] }).map((r) => r.path.at(-1))).toEqual(['exp']);
    expect(runRule(noHardcodedIds, text, { allow: [ID.toUpperCase()] })).toEqual([]);
    expect(runRule(noHardcodedIds, text, { expressions: false }).map((r) => r.path)).toEqual([QUEUE_PATH]);
  });

  it('option keys: more places whose string or lit value must not be an id', () => {
    const text = inboundCall(`
- setParticipantData:
    name: Tag
    attributes:
      - attribute:
          name:
            lit: TeamQueue
          value:
            lit: ${ID}
- disconnect:
    name: Bye`);
    expect(runRule(noHardcodedIds, text)).toEqual([]);
    expect(runRule(noHardcodedIds, text, { keys: ['value'] })).toEqual([
      {
        path: [
          'inboundCall',
          'tasks',
          0,
          'task',
          'actions',
          0,
          'setParticipantData',
          'attributes',
          0,
          'attribute',
          'value',
          'lit',
        ],
        message: `value is the id "${ID}": ids differ between orgs, use a name or a placeholder instead`,
      },
    ]);
  });

  it('validates its options', () => {
    expect(noHardcodedIds.validateOptions!({ kinds: ['queue', 'user'] })).toBeUndefined();
    expect(noHardcodedIds.validateOptions!({ kinds: ['queues'] } as never)).toMatch(/option 'kinds' has 'queues'/);
    expect(noHardcodedIds.validateOptions!({ key: [] } as never)).toBe(
      "unknown option 'key' (options: kinds, expressions, allow, keys)",
    );
  });
});
