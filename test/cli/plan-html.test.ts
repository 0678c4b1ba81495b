/**
 * `flowops plan --html FILE` through the real binary against the emulator: the report beside the
 * other outputs, every changed flow drawn with its changes marked, secrets masked, written also when
 * the plan fails its checks (as the markdown is), and a clear error when the file cannot be written.
 * What the page does in a browser is test/browser/plan-report.test.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { demoObjectsFile, editFile, makeDemoRepo } from '../helpers/demo-org.js';
import { credentials, emulatorForTest } from '../helpers/emulator.js';
import { inboundCall } from '../helpers/flow-yaml.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The nodes of a report's drawings that carry `status`, as `key` attributes. */
function keysWith(html: string, status: string): string[] {
  return [...html.matchAll(new RegExp(`<g class="node[^"]*" data-status="${status}" data-key="([^"]*)"`, 'g'))].map(
    (m) => m[1]!,
  );
}

describe('flowops plan --html', () => {
  it('the demo: a section per changed flow, its drawing with the added call marked, beside the saved plan and markdown', async () => {
    const repo = makeDemoRepo();
    const emulator = await emulatorForTest({ seedDir: repo.seedDir });
    editFile(
      join(repo.dir, 'flows/inbound/main-line.yaml'),
      '          - evaluateScheduleGroup:',
      '          - playAudio:\n              name: New hello\n              audio:\n                tts: Hello there.\n          - evaluateScheduleGroup:',
    );
    const r = await runCli(['plan', '--out', 'plan.json', '--markdown', 'plan.md', '--html', 'report.html'], {
      cwd: repo.dir,
      env: credentials(emulator),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(repo.dir, 'plan.json'))).toBe(true);
    const html = readFileSync(join(repo.dir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<section class="flow" id="flow-0" data-action="update" data-flow="inboundcall:Main Line"');
    expect(keysWith(html, 'added')).toEqual(['task:Startup Task/action:1']);
    expect(html).toMatch(/data-status="added"[^>]*><title>added: task:Startup Task\/action:1\n.*?>\+<\/text>/s);
    expect(html).toContain('New hello');
    // The change list in the markdown plan's words.
    expect(html).toContain('task &quot;Startup Task&quot; &gt; action 2 &quot;New hello&quot; (playAudio)');
    // Nothing from the network: no URL to fetch, and a policy that forbids any.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain("default-src 'none'");
    // The saved plan holds no drawing.
    expect(readFileSync(join(repo.dir, 'plan.json'), 'utf8')).not.toContain('"graph"');
  });

  it('an org that matches the files: a report that says there are no changes', async () => {
    const repo = makeDemoRepo();
    const emulator = await emulatorForTest({ seedDir: repo.seedDir });
    const r = await runCli(['plan', '--html', 'report.html'], { cwd: repo.dir, env: credentials(emulator) });
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(repo.dir, 'report.html'), 'utf8');
    expect(html).toContain('<strong>No changes.</strong> The live flows match the repository.');
    expect(html).not.toContain('<section class="flow"');
  });

  it('a secret substitution in a changed action: masked in the drawing and the change list, the value nowhere in the file', async () => {
    const SECRET = 'hunter2-not-public';
    const flow = (greeting: string, code = 'Your code is', first = '') =>
      inboundCall('Vault Line', {
        actions: `        - playAudio: {name: "Hello", audio: {tts: "${greeting}"}}\n${first}        - playAudio: {name: "Code {{pin}}", audio: {tts: "${code} {{pin}}."}}\n`,
      });
    const dir = tempDir({
      'flowops.yaml': `flows: flows/**/*.yaml\ndefaultEnvironment: test\nenvironments:\n  test:\n    region: mypurecloud.com\n    substitutions:\n      pin: {value: ${SECRET}, secret: true}\n`,
      'flows/vault.yaml': flow('Hi.'),
    });
    const emulator = await emulatorForTest();
    expect((await runCli(['apply', '--auto-approve'], { cwd: dir, env: credentials(emulator) })).code).toBe(0);
    // An action before the secret's, and the secret's text changes: it is drawn and listed.
    writeFileSync(
      join(dir, 'flows/vault.yaml'),
      flow('Hello again.', 'Your new code is', '        - playAudio: {name: "First", audio: {tts: "One."}}\n'),
    );
    const r = await runCli(['plan', '--html', 'report.html'], { cwd: dir, env: credentials(emulator) });
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(keysWith(html, 'added')).toEqual(['task:Start/action:1']);
    // The action named by the secret is drawn changed, its name masked; its text listed masked.
    expect(html).toMatch(
      /data-status="changed" data-key="task:Start\/action:2"[^>]*>.*?<text class="name"[^>]*>\u2068\*\*\*\u2069<\/text>/s,
    );
    expect(html).toContain('&gt; audio.tts</td><td>&quot;***&quot;</td><td>&quot;***&quot;</td>');
    expect(html).not.toContain(SECRET);
  });

  it('a plan that fails its reference check: no saved plan, but the report is written, as the markdown is', async () => {
    const repo = makeDemoRepo();
    const emulator = await emulatorForTest({ seedDir: repo.seedDir, objects: demoObjectsFile });
    editFile(join(repo.dir, 'flowops.yaml'), 'support_queue: "Support"', 'support_queue: "No Such Queue"');
    const r = await runCli(['plan', '--out', 'plan.json', '--markdown', 'plan.md', '--html', 'report.html'], {
      cwd: repo.dir,
      env: credentials(emulator),
    });
    expect(r.code).toBe(1);
    expect(existsSync(join(repo.dir, 'plan.json'))).toBe(false);
    expect(existsSync(join(repo.dir, 'plan.md'))).toBe(true);
    const html = readFileSync(join(repo.dir, 'report.html'), 'utf8');
    expect(html).toMatch(/<li class="error">[^<]*No Such Queue/);
  });

  it('a file that cannot be written: one line naming it, exit 1, no stack trace', async () => {
    const repo = makeDemoRepo();
    const emulator = await emulatorForTest({ seedDir: repo.seedDir });
    const r = await runCli(['plan', '--html', 'no/such/folder/report.html'], {
      cwd: repo.dir,
      env: credentials(emulator),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot write no/such/folder/report.html: no such folder');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
