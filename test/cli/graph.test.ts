import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

// `flowops graph FILE [--mermaid]` through the built binary: one flow from its file, no org.
const flow = (name: string, action: string) =>
  `inboundCall:\n  name: ${name}\n  startUpRef: "/inboundCall/tasks/task[s]"\n  tasks:\n    - task:\n        name: Start\n        refId: s\n        actions:\n          - ${action}\n          - disconnect: {name: Bye}\n`;
const SECRET = 'hunter#2"x';
const project = (files: Record<string, string>) =>
  tempDir({
    'flowops.yaml': `flows: [flows/**/*.yaml]\ndefaultEnvironment: dev\nenvironments:\n  dev:\n    emulator: true\n    substitutions:\n      who: {value: '${SECRET}', secret: true}\n      queue: Sales\n`,
    ...files,
  });

describe('flowops graph', () => {
  it('prints an outline of the flow: containers, what they hold indented, the edges that leave each', async () => {
    const r = await runCli(['graph', 'flows/inbound/main-line.yaml'], { cwd: repoRoot });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('inboundCall "Main Line": 20 nodes, 22 edges');
    expect(r.stdout).toContain(
      ['menu "Main Menu"', '  choice 1 "Sales" (menuTransferToAcd)', '    → transfer: queue "Sales"'].join('\n'),
    );
    expect(r.stdout).toContain(
      [
        '  action 1 "Business hours?" (evaluateScheduleGroup)',
        '    closed:',
        '      action 0 "Closed message" (playAudio)',
        '      action 1 "Disconnect after hours" (disconnect)',
        '        → disconnect: disconnect',
        '    open:',
        '      action 0 "To main menu" (jumpToMenu)',
        '        → jump: menu "Main Menu"',
      ].join('\n'),
    );
    // The module the flow calls is in another file of the project: known, drawn as a call.
    expect(r.stdout).toContain('    → call: module "Shared Common Module - Tag and Greet"');
    expect(r.stdout).toContain('outside the flow:\n  queue "Sales"');
  });

  it('--mermaid prints the whole flow as a mermaid flowchart, nothing marked', async () => {
    const r = await runCli(['graph', 'flows/inbound/main-line.yaml', '--mermaid'], { cwd: repoRoot });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('flowchart TD\n')).toBe(true);
    expect(r.stdout.split('\n').filter((l) => /^\s+n\d+[[({>]/.test(l)).length).toBe(20);
    expect(r.stdout).not.toMatch(/class n\d+/);
  });

  it('--mermaid of a flow larger than mermaid draws says so on stderr, and prints it all', async () => {
    const actions = Array.from({ length: 520 }, (_, i) => `playAudio: {name: Step ${i}, audio: {tts: x}}`);
    const big = flow('Big', actions.join('\n          - '));
    const r = await runCli(['graph', 'flows/big.yaml', '--mermaid'], { cwd: project({ 'flows/big.yaml': big }) });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^note: \d+ characters and 52\d edges: mermaid draws at most 50000 characters and 500 edges/,
    );
    expect(r.stdout).toContain('Step 519');
    const small = await runCli(['graph', 'flows/inbound/main-line.yaml', '--mermaid'], { cwd: repoRoot });
    expect(small.stderr).toBe('');
  });

  it('--json prints the graph itself', async () => {
    const r = await runCli(['--json', 'graph', 'flows/inbound/main-line.yaml'], { cwd: repoRoot });
    expect(r.code).toBe(0);
    const graph = JSON.parse(r.stdout) as { flowType: string; name: string; nodes: { id: string }[]; edges: unknown[] };
    expect([graph.flowType, graph.name, graph.nodes.length, graph.edges.length]).toEqual([
      'inboundCall',
      'Main Line',
      20,
      22,
    ]);
    expect(graph.nodes.map((n) => n.id)).toContain('task:Startup Task/action:1/open/action:0');
  });

  it('an invalid file gives validate’s problems at file:line:col and exit 1, no stack trace', async () => {
    const dir = project({ 'flows/a.yaml': `${flow('A', 'playAudio: {name: Hi, audio: {tts: x}}')}  bad: [\n` });
    const r = await runCli(['graph', 'flows/a.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^flows\/a\.yaml:\d+:\d+: error: /m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const missing = await runCli(['graph', 'flows/nope.yaml'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('error: flows/nope.yaml: no such file');
    const folder = await runCli(['graph', 'flows'], { cwd: dir });
    expect(folder.code).toBe(1);
    expect(folder.stderr.trim()).toBe('error: flows: not a file (graph draws one flow file)');
  });

  it("another file's problem does not stop the drawing; a file outside the project is checked alone", async () => {
    const dir = project({
      'flows/a.yaml': flow('A', 'transferToAcd: {name: To sales, targetQueue: {lit: {name: "{{queue}}"}}}'),
      'flows/b.yaml': 'inboundCall: [\n',
      'elsewhere/c.yaml': flow('C', 'transferToAcd: {name: To sales, targetQueue: {lit: {name: "{{queue}}"}}}'),
    });
    const a = await runCli(['graph', 'flows/a.yaml'], { cwd: dir });
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('→ transfer: queue "Sales"');
    const c = await runCli(['graph', join(dir, 'elsewhere/c.yaml')], { cwd: dir });
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('→ transfer: queue "Sales"');
  });

  it('a secret substitution in a name is masked in the outline and in the mermaid text', async () => {
    const dir = project({ 'flows/a.yaml': flow('A', "playAudio: {name: 'Hello {{who}}', audio: {tts: x}}") });
    for (const args of [[], ['--mermaid']]) {
      const r = await runCli(['graph', 'flows/a.yaml', ...args], { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('***');
      for (const form of [SECRET, 'hunter', '#35;2']) expect(r.stdout).not.toContain(form);
    }
  });
});
