import { describe, expect, it } from 'vitest';
import { unreachable } from '../../../src/rules/builtin/unreachable.js';
import { inboundCall, mainMenu, runRule } from './harness.js';

const task = (name: string, refId: string, action: string) => `    - task:
        name: ${name}
        refId: ${refId}
        actions:
          - ${action}`;
const bye = 'disconnect:\n              name: Bye';
const jumpTo = (ref: string) => `jumpToTask:\n              targetTaskRef: "${ref}"`;

describe('unreachable', () => {
  it('reports a task nothing refers to, and one only an unreachable task refers to', () => {
    const text = inboundCall(
      `- disconnect:\n    name: Bye`,
      [task('Old Promo', 'promo', jumpTo('/inboundCall/tasks/task[promo2]')), task('Promo 2', 'promo2', bye)].join(
        '\n',
      ),
    );
    expect(runRule(unreachable, text)).toEqual([
      {
        path: ['inboundCall', 'tasks', 1],
        message: 'task "Old Promo" is never reached: neither the start nor any reference or menu choice leads to it',
      },
      {
        path: ['inboundCall', 'tasks', 2],
        message: 'task "Promo 2" is never reached: neither the start nor any reference or menu choice leads to it',
      },
    ]);
  });

  it('follows jumps, menu choices (relative and bare refIds) and the error handling', () => {
    const text = `${inboundCall(
      `- jumpToMenu:\n    name: Menu\n    targetMenuRef: "/inboundCall/menus/menu[main]"`,
      [task('Agent', 'agent', bye), task('Oops', 'oops', bye), task('Chained', 'chained', bye)].join('\n'),
    )}
${mainMenu(`          - menuJumpToTask:
              name: Agent
              dtmf: digit_1
              targetTaskRef: "agent"
          - menuTask:
              name: Inline
              dtmf: digit_2
              task:
                actions:
                  - ${jumpTo('/inboundCall/tasks/task[chained]')}`)}
  settingsErrorHandling:
    errorHandling:
      jumpToTask:
        targetTaskRef: "/inboundCall/tasks/task[oops]"`;
    expect(runRule(unreachable, text)).toEqual([]);
  });

  it('reports a menu no choice or jump reaches', () => {
    const text = `${inboundCall('- disconnect:\n    name: Bye')}
${mainMenu('          - menuDisconnect:\n              name: Bye\n              dtmf: digit_9')}`;
    expect(runRule(unreachable, text).map((r) => r.path)).toEqual([['inboundCall', 'menus', 0]]);
  });

  it('says nothing when a reference leads into another file', () => {
    const text = inboundCall(`- ${jumpTo('./shared.yaml#/common/tasks/task[x]')}`, task('Lonely', 'lonely', bye));
    expect(runRule(unreachable, text)).toEqual([]);
  });

  it('has no options', () => {
    expect(unreachable.validateOptions!({})).toBeUndefined();
    expect(unreachable.validateOptions!({ ignore: [] })).toBe("unknown option 'ignore' (this rule has no options)");
  });
});
