import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { credentials, emulatorForTest } from '../helpers/emulator.js';
import { tempDir } from '../helpers/temp-dir.js';
import { callerYaml, moduleYaml } from '../../bench/generate-org.js';

// `flowops plan --changed-since REF` on a git repository made here: two modules, two lines calling
// each; the org holds the same flows. Each test its own repository and org.

let emulator: RunningEmulator;
let dir: string;
let base: string;
const creds = () => credentials(emulator);
const git = (...args: string[]) =>
  execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args],
    { cwd: dir, encoding: 'utf8' },
  ).trim();
const files: Record<string, string> = {
  'module-0.yaml': moduleYaml(0),
  'module-1.yaml': moduleYaml(1),
  'line-0.yaml': callerYaml(0, 0),
  'line-1.yaml': callerYaml(1, 0),
  'line-2.yaml': callerYaml(2, 1),
  'line-3.yaml': callerYaml(3, 1),
};

async function planned(
  args: string[],
): Promise<{ code: number | null; ids: Record<string, string>; unmanaged: string[]; stderr: string }> {
  const r = await runCli(['plan', '--out', 'plan.json', ...args], { cwd: dir, env: creds() });
  expect(r.code).toBe(0);
  const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as {
    flows: Array<{ id: string; action: string }>;
    unmanaged: string[];
  };
  return {
    code: r.code,
    ids: Object.fromEntries(plan.flows.map((f) => [f.id, f.action])),
    unmanaged: plan.unmanaged,
    stderr: r.stderr,
  };
}

beforeEach(async () => {
  dir = tempDir({
    ...Object.fromEntries(Object.entries(files).map(([name, text]) => [`flows/${name}`, text])),
    'flowops.yaml': 'flows: flows/*.yaml\nenvironments:\n  test:\n    region: mypurecloud.com\n',
    '.gitignore': '.flowops/\nplan.json\n',
  });
  const seed = tempDir(files);
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'flows as in the org');
  base = git('rev-parse', 'HEAD');
  emulator = await emulatorForTest({ seedDir: seed });
  expect(emulator.seeded).toBe(6);
});

describe('flowops plan --changed-since', () => {
  it('nothing changed: nothing planned', async () => {
    const r = await planned(['--changed-since', base]);
    expect(r.code).toBe(0);
    expect(r.ids).toEqual({});
    expect(r.stderr).toContain(
      `Only the flows changed since ${base.slice(0, 7)} are planned: 0 changed, 0 calling a changed module, 6 left out.`,
    );
  });

  it('plans the changed flows and the callers of a changed module, following a renamed file; nothing else', async () => {
    writeFileSync(join(dir, 'flows/module-0.yaml'), moduleYaml(0, { tts: 'Module 0 has news.' }));
    git('commit', '-qam', 'module 0 says something new');
    renameSync(join(dir, 'flows/line-2.yaml'), join(dir, 'flows/second-line.yaml'));
    writeFileSync(join(dir, 'flows/second-line.yaml'), callerYaml(2, 1).replace('Line 2 step 1', 'Line 2 first step'));
    git('add', '-A');
    git('commit', '-qm', 'line 2 moved and reworded');
    writeFileSync(join(dir, 'flows/line-9.yaml'), callerYaml(9, 1)); // not even committed yet

    const r = await planned(['--changed-since', base]);
    expect(r.code).toBe(0);
    expect(r.ids).toEqual({
      'commonmodule:Module 0': 'update',
      'inboundcall:Line 0': 'republish',
      'inboundcall:Line 1': 'republish',
      'inboundcall:Line 2': 'update',
      'inboundcall:Line 9': 'create',
    });
    expect(r.stderr).toContain('3 changed, 2 calling a changed module, 2 left out.');
    // The flows left out are in the repository: not "unmanaged".
    expect(r.unmanaged).toEqual([]);
    expect(r.stderr).toContain('flows/line-2.yaml was renamed to flows/second-line.yaml.');

    // The same against the previous commit: only what changed since.
    const later = await planned(['--changed-since', 'HEAD~1']);
    expect(Object.keys(later.ids).sort()).toEqual(['inboundcall:Line 2', 'inboundcall:Line 9']);
  });

  it('a changed flowops.yaml plans every flow', async () => {
    writeFileSync(join(dir, 'flows/line-9.yaml'), callerYaml(9, 1)); // a seventh flow, not yet committed
    writeFileSync(join(dir, 'flowops.yaml'), readFileSync(join(dir, 'flowops.yaml'), 'utf8') + '# reviewed\n');
    const r = await planned(['--changed-since', 'HEAD']);
    expect(Object.keys(r.ids)).toHaveLength(7);
    expect(r.stderr).toContain('The config file changed since HEAD: every flow is planned.');
  });

  it('a changed flow name is called out: flowops pairs by name, so it is a new flow', async () => {
    writeFileSync(join(dir, 'flows/line-3.yaml'), callerYaml(3, 1).replace('name: Line 3', 'name: Line Three'));
    const r = await planned(['--changed-since', 'HEAD']);
    expect(r.ids['inboundcall:Line Three']).toBe('create');
    expect(r.unmanaged).toEqual(['inboundcall:Line 3']);
    expect(r.stderr).toContain('flows/line-3.yaml: the flow\'s name changed from "Line 3" to "Line Three"');
  });

  it('refuses an unknown REF, and --prune with it', async () => {
    const bad = await runCli(['plan', '--changed-since', 'no-such-branch'], { cwd: dir, env: creds() });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^error: --changed-since no-such-branch: no such commit here \(in GitHub Actions, check out with fetch-depth: 0/m,
    );
    const prune = await runCli(['plan', '--changed-since', 'HEAD', '--prune'], { cwd: dir, env: creds() });
    expect(prune.code).toBe(1);
    expect(prune.stderr).toContain('--changed-since plans some of the flows, --prune needs all of them');
  });
});
