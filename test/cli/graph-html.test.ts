/**
 * `flowops graph FILE --html OUT` through the built binary: one flow as a self-contained page, no
 * org; every node drawn, none marked; secrets masked; a file that cannot be written is one line.
 * The page in a browser is test/browser/plan-report.test.ts ("one flow as a page").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { inboundCall } from '../helpers/flow-yaml.js';
import { repoRoot } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('flowops graph --html', () => {
  it('the demo main line: a page with every node of the graph drawn, none marked, and a line saying where it went', async () => {
    const dir = tempDir({}, 'flowops-graph-');
    const out = join(dir, 'main-line.html');
    const r = await runCli(['graph', 'flows/inbound/main-line.yaml', '--html', out], { cwd: repoRoot });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`Wrote the drawing of inboundCall "Main Line" (20 nodes) to ${out}`);
    const html = readFileSync(out, 'utf8');
    const statuses = [...html.matchAll(/<g class="node[^"]*" data-status="(\w+)"/g)].map((m) => m[1]);
    expect(statuses).toHaveLength(20);
    expect(new Set(statuses)).toEqual(new Set(['same']));
    expect(html).not.toContain('class="marker"');
    expect(html).toContain('Business hours?');
    // With --mermaid too, the page is written and the flowchart printed.
    const both = await runCli(['graph', 'flows/inbound/main-line.yaml', '--mermaid', '--html', out], {
      cwd: repoRoot,
    });
    expect(both.stdout.startsWith('flowchart TD\n')).toBe(true);
  });

  it('a secret substitution in a name: masked on the page', async () => {
    const SECRET = 'hunter2-not-public';
    const dir = tempDir({
      'flowops.yaml': `flows: flows/**/*.yaml\ndefaultEnvironment: dev\nenvironments:\n  dev:\n    emulator: true\n    substitutions:\n      pin: {value: ${SECRET}, secret: true}\n`,
      'flows/vault.yaml': inboundCall('Vault Line', {
        actions: '        - playAudio: {name: "Code {{pin}}", audio: {tts: "Your code is {{pin}}."}}\n',
      }),
    });
    const r = await runCli(['graph', 'flows/vault.yaml', '--html', 'vault.html'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(dir, 'vault.html'), 'utf8');
    expect(html).toContain('\u2068***\u2069');
    expect(html).not.toContain(SECRET);
  });

  it('a file that cannot be written: one line naming it, exit 1', async () => {
    const r = await runCli(['graph', 'flows/inbound/main-line.yaml', '--html', 'no/such/folder/x.html'], {
      cwd: repoRoot,
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('error: cannot write no/such/folder/x.html: no such folder');
  });
});
