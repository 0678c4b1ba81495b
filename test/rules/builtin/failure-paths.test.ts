import { describe, expect, it } from 'vitest';
import { failurePaths } from '../../../src/rules/builtin/failure-paths.js';
import { inboundCall, mainMenu, runRule } from './harness.js';

const ACTIONS = ['inboundCall', 'tasks', 0, 'task', 'actions'];
const transfer = (outputs: string) => `
- transferToAcd:
    name: To support
    targetQueue:
      lit:
        name: Support
${outputs}
- disconnect:
    name: Bye`;

describe('failure-paths', () => {
  it('reports a transfer without a failure output, at the action', () => {
    expect(runRule(failurePaths, inboundCall(transfer('')))).toEqual([
      {
        path: [...ACTIONS, 0],
        message: 'transferToAcd "To support" has no failure output: when it fails, nothing handles it',
      },
    ]);
  });

  it('reports an empty failure output, at the output', () => {
    const text = inboundCall(transfer('    outputs:\n      failure:\n        actions: []'));
    expect(runRule(failurePaths, text)).toEqual([
      {
        path: [...ACTIONS, 0, 'transferToAcd', 'outputs', 'failure'],
        message: 'transferToAcd "To support" has an empty failure output: when it fails, nothing handles it',
      },
    ]);
  });

  it('passes a failure output with actions', () => {
    const text = inboundCall(
      transfer(`    outputs:
      failure:
        actions:
          - playAudio:
              name: Sorry
              audio:
                tts: Support cannot take your call right now.`),
    );
    expect(runRule(failurePaths, text)).toEqual([]);
  });

  it('finds data actions and bot calls nested in other outputs and in menu choices; leaves other actions alone', () => {
    const text = inboundCall(
      `
- decision:
    name: VIP?
    condition:
      exp: "true"
    outputs:
      "yes":
        actions:
          - callData:
              name: Look up
              category:
                Genesys Cloud Data Actions:
                  dataAction:
                    Get VIP:
                      inputs: {}
              outputs:
                success:
                  actions:
                    - disconnect:
                        name: Done
- jumpToMenu:
    name: Menu
    targetMenuRef: "/inboundCall/menus/menu[main]"`,
      mainMenu(`
          - menuTask:
              name: Bot
              dtmf: digit_1
              task:
                actions:
                  - callBotFlow:
                      name: Ask the bot
                      botFlow:
                        Helper Bot:
                          ver_latestPublished:
                  - disconnect:
                      name: Bye`),
    );
    expect(runRule(failurePaths, text).map((r) => r.path)).toEqual([
      [...ACTIONS, 0, 'decision', 'outputs', 'yes', 'actions', 0],
      ['inboundCall', 'menus', 0, 'menu', 'choices', 0, 'menuTask', 'task', 'actions', 0],
    ]);
    expect(runRule(failurePaths, text, { actions: ['callBotFlow'] })).toHaveLength(1);
  });

  it('validates its options', () => {
    expect(failurePaths.validateOptions!({ actions: ['transferToAcd'] })).toBeUndefined();
    expect(failurePaths.validateOptions!({ actions: 'transferToAcd' } as never)).toBe(
      "option 'actions' must be a list of strings",
    );
  });
});
