import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { credentials, emulatorForTest, login, type Session } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// A flow that calls a bot, through the real binary and the emulator (official SDK on both sides):
// the bot is published first, and a bot nobody has is an error at the call.

let emulator: RunningEmulator;
let ui: Session;
const CI = { id: 'flowops-ci', secret: 'ci-secret' };
const env = () => credentials(emulator, CI);

const config =
  'flows: flows/**/*.yaml\ndefaultEnvironment: test\nenvironments:\n  test:\n    region: mypurecloud.com\n';
// The caller's file sorts before the bot's: the order comes from the call, not from the paths.
const caller = (bot: string) => `inboundCall:
  name: Order Line
  division: Home
  startUpRef: "/inboundCall/tasks/task[t]"
  defaultLanguage: en-us
  tasks:
    - task:
        name: T
        refId: t
        actions:
          - callBotFlow:
              name: Ask the bot
              botFlow:
                ${bot}:
                  ver_latestPublished: {}
          - disconnect:
              name: Bye
`;
const bot = `botFlow:
  name: Order Bot
  division: Home
  startUpRef: "/botFlow/tasks/task[t]"
  defaultLanguage: en-us
  tasks:
    - task:
        name: T
        refId: t
        actions:
          - disconnect:
              name: Bye
`;

beforeEach(async () => {
  emulator = await emulatorForTest({ clients: [CI, { id: 'jane', secret: 'pw' }] });
  ui = await login(emulator, 'jane', 'pw');
});

describe('flows that call flows (the real binary, against the emulator)', () => {
  it('a caller and the bot it calls are published bot first', async () => {
    const dir = tempDir({ 'flowops.yaml': config, 'flows/a-line.yaml': caller('Order Bot'), 'flows/z-bot.yaml': bot });
    const plan = await runCli(['plan', '--out', 'plan.json'], { cwd: dir, env: env() });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    // What apply waits on: the caller's upload waits for the flows it depends on (apply/apply-plan.ts).
    const saved = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as {
      flows: Array<{ id: string; dependsOn: string[] }>;
    };
    expect(saved.flows.map((f) => [f.id, f.dependsOn])).toEqual([
      ['bot:Order Bot', []],
      ['inboundcall:Order Line', ['bot:Order Bot']],
    ]);
    const r = await runCli(['apply', 'plan.json'], { cwd: dir, env: env() });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const applied = r.stdout.split('\n').filter((l) => l.includes('✓ applied'));
    expect(applied, r.stdout).toEqual([
      expect.stringMatching(/✓ applied +bot "Order Bot" +version 1.0/),
      expect.stringMatching(/✓ applied +inboundcall "Order Line" +version 1.0/),
    ]);
    const flows = (await ui.architect.getFlows({ pageSize: 100 })).entities!;
    const published = async (name: string) => {
      const flow = flows.find((f) => f.name === name)!;
      const v = await ui.architect.getFlowVersion(flow.id!, flow.publishedVersion!.id!);
      return Date.parse(v.datePublished!);
    };
    expect(await published('Order Bot')).toBeLessThanOrEqual(await published('Order Line'));
    const again = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env: env() });
    expect(again.stdout).toContain('No changes.');
  });

  it('a call to a bot nobody has is an error at the call, before anything is asked of the org', async () => {
    const dir = tempDir({ 'flowops.yaml': config, 'flows/a-line.yaml': caller('Ghost Bot') });
    for (const command of [['validate'], ['plan']]) {
      const r = await runCli(command, { cwd: dir, env: env() });
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toContain(
        'flows/a-line.yaml:14:17: error: callBotFlow names unknown bot flow "Ghost Bot"',
      );
      expect(r.stdout + r.stderr).not.toMatch(/^\s+at /m);
    }
    expect((await ui.architect.getFlows({ pageSize: 100 })).entities ?? []).toEqual([]);
  });

  it('a bot kept elsewhere is listed under externalFlows', async () => {
    const dir = tempDir({
      'flowops.yaml': `${config}externalFlows: [Ghost Bot]\n`,
      'flows/a-line.yaml': caller('Ghost Bot'),
    });
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('validate --json lists the objects each flow names, where', async () => {
    const dir = tempDir({ 'flowops.yaml': config, 'flows/a-line.yaml': caller('Order Bot'), 'flows/z-bot.yaml': bot });
    const r = await runCli(['validate', '--json'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { flows: Array<{ name: string; references: unknown[] }> };
    expect(report.flows.find((f) => f.name === 'Order Line')!.references).toEqual([
      { kind: 'division', name: 'Home', path: ['inboundCall', 'division'], line: 3, column: 13 },
      {
        kind: 'flow',
        name: 'Order Bot',
        flowTypes: ['bot'],
        path: ['inboundCall', 'tasks', 0, 'task', 'actions', 0, 'callBotFlow', 'botFlow', 'Order Bot'],
        line: 14,
        column: 17,
      },
    ]);
  });
});
