import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blueprintsDir, blueprintSubstitutions, fixturesDir } from '../helpers/fixtures.js';
import { cliPath, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const LINE = /^[^\s:][^:]*:\d+:\d+: (error|warning): \S.*$/;
const module = readFileSync(`${fixturesDir}context/module.yaml`, 'utf8');
const invalid = (name: string) => readFileSync(`${fixturesDir}invalid/${name}`, 'utf8');
const config = (subs: string) => `flows: flows/**/*.yaml\nenvironments:\n  test:\n    substitutions:\n${subs}`;

describe('flowops validate (the real binary)', () => {
  it('the built binary is executable, as npx flowops needs', () => {
    expect(statSync(cliPath).mode & 0o111).not.toBe(0);
    expect(readFileSync(cliPath, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  });

  it('accepts the demo flows of this repository', async () => {
    const r = await runCli(['validate']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('4 flows valid in 4 files (environment local).');
    expect(r.code).toBe(0);
  });

  it('accepts the real blueprint files given their substitutions', async () => {
    const subs = Object.entries(blueprintSubstitutions)
      .map(([k, v]) => `      ${k}: "${v}"`)
      .join('\n');
    const dir = tempDir({ 'flowops.yaml': config(subs) });
    const r = await runCli(['validate', '--config', `${dir}/flowops.yaml`, blueprintsDir]);
    expect(r.stdout).toMatch(/6 flows valid in 6 files/);
    expect(r.code).toBe(0);
  });

  it('reports every problem of every file in one run, one line each, exit 1, no stack trace', async () => {
    const names = [
      'unknown-module.yaml',
      'broken-absolute-ref.yaml',
      'missing-required.yaml',
      'yaml-syntax.yaml',
      'alias-bomb.yaml',
      'unknown-action.yaml',
    ];
    const files: Record<string, string> = {
      'flowops.yaml': config('      division: Home'),
      'flows/module.yaml': module,
    };
    for (const n of names) files[`flows/${n}`] = invalid(n);
    const dir = tempDir(files);
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    const problems = lines.slice(0, -1);
    for (const line of problems) expect(line).toMatch(LINE);
    for (const n of names) expect(problems.some((l) => l.startsWith(`flows/${n}:`))).toBe(true);
    expect(lines.at(-1)).toBe('5 errors, 1 warning in 7 files (environment test).');
    expect(r.stdout + r.stderr).not.toMatch(/^\s+at /m);
  });

  it('prints GitHub annotations under GitHub Actions', async () => {
    const dir = tempDir({
      'flowops.yaml': config('      division: Home'),
      'flows/module.yaml': module,
      'flows/bad.yaml': invalid('unknown-module.yaml'),
    });
    const r = await runCli(['validate'], { cwd: dir, env: { GITHUB_ACTIONS: 'true' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '::error file=flows/bad.yaml,line=13,col=17::callCommonModule "Greet" calls unknown common module "Greetng Module"',
    );
  });

  it('never prints a value marked secret, even when a message would contain it', async () => {
    const secret = 'Zq9-very-secret-module-name';
    const dir = tempDir({
      'flowops.yaml': config(`      division: Home\n      module: {fromEnv: MODULE_NAME, secret: true}`),
      'flows/module.yaml': module,
      'flows/caller.yaml': invalid('unknown-module.yaml').replace('Greetng Module:', '{{module}}:'),
    });
    for (const extra of [[], ['--json'], ['--debug']]) {
      const r = await runCli(['validate', ...extra], {
        cwd: dir,
        env: { MODULE_NAME: secret, GITHUB_ACTIONS: 'true' },
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('calls unknown common module "***"');
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
  });

  it('reports a config mistake at its position, and an unknown environment in one line', async () => {
    const dir = tempDir({ 'flowops.yaml': 'environments:\n  local:\n    emulatr: true\n' });
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('flowops.yaml:3:5: error: environments.local: unknown key "emulatr"');
    const r2 = await runCli(['validate', '--env', 'nope']);
    expect(r2.code).toBe(1);
    expect(r2.stderr.trim()).toBe('flowops.yaml:1:1: error: unknown environment "nope" (known: local, prod)');
  });

  it('reports a file that is not UTF-8 with the position of the first bad byte', async () => {
    const bytes = Buffer.concat([
      Buffer.from('inboundCall:\n  name: caf'),
      Buffer.from([0xe9]),
      Buffer.from(' line\n'),
    ]);
    const dir = tempDir({ 'bad.yaml': bytes });
    const r = await runCli(['validate', 'bad.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('bad.yaml:2:12: error: file is not valid UTF-8 text');
  });

  it('answers --json with the flows, their dependencies and the diagnostics', async () => {
    const r = await runCli(['validate', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.valid).toBe(true);
    expect(json.order[0]).toBe('commonmodule:Shared Common Module - Tag and Greet');
    expect(
      json.flows.filter((f: { dependsOn: string[] }) =>
        f.dependsOn.includes('commonmodule:Shared Common Module - Tag and Greet'),
      ),
    ).toHaveLength(3);
  });

  it('says what is wrong when there is no config and no paths', async () => {
    const dir = tempDir({ 'readme.txt': 'nothing here' });
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: no flowops.yaml in .*: run flowops in your flows repository/);
  });
});
