import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/fixtures.js';

// The GitHub Action keeps .flowops/cache between runs (action.yml, input `cache`): the script its
// steps call (scripts/action-cache.mjs), run here as GitHub runs it, and the steps' wiring.

const script = join(repoRoot, 'scripts/action-cache.mjs');
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, read by known paths
type Doc = Record<string, any>;

let root: string;
let actionPath: string;
let temp: string;

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'flowops-action-cache-')));
  actionPath = join(root, 'action');
  temp = join(root, 'runner-temp');
  mkdirSync(join(actionPath, 'dist/cli'), { recursive: true });
  mkdirSync(temp);
  writeFileSync(join(actionPath, 'package.json'), '{"name":"flowops"}\n');
  writeFileSync(join(actionPath, 'package-lock.json'), '{}\n');
  writeFileSync(join(actionPath, 'dist/cli/main.js'), 'console.log(1);\n');
  mkdirSync(join(root, 'work/deploy'), { recursive: true });
  writeFileSync(join(root, 'work/deploy/flowops.yaml'), 'flows: flows/*.yaml\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Runs the script as a step does, and returns what it wrote to GITHUB_OUTPUT. */
function step(command: string, env: Record<string, string> = {}): Record<string, string> {
  const output = join(root, `output-${Math.random().toString(36).slice(2)}`);
  writeFileSync(output, '');
  execFileSync(process.execPath, [script, command], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: join(root, 'work'),
    env: {
      PATH: process.env.PATH,
      RUNNER_OS: 'Linux',
      RUNNER_TEMP: temp,
      GITHUB_OUTPUT: output,
      GITHUB_WORKSPACE: join(root, 'work'),
      GITHUB_RUN_ID: '42',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_ACTION_PATH: actionPath,
      FLOWOPS_CONFIG: 'deploy/flowops.yaml',
      ...env,
    },
  });
  return Object.fromEntries(
    readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('scripts/action-cache.mjs', () => {
  it('locate: the cache beside the config, keys per environment and per build, restored once a job', () => {
    const first = step('locate', { FLOWOPS_ENVIRONMENT: 'prod' });
    expect(first.dir).toBe(join(root, 'work/deploy/.flowops/cache'));
    expect(first.prefix).toMatch(/^flowops-cache-v1-Linux-[0-9a-f]{16}-[0-9a-f]{16}-prod-$/);
    expect(first.restore).toBe('true');
    // A second use of the action in the same job (apply after plan) must not restore over the first's work.
    expect(step('locate', { FLOWOPS_ENVIRONMENT: 'prod' })).toEqual({ ...first, restore: 'false' });

    const staging = step('locate', { FLOWOPS_ENVIRONMENT: 'staging' });
    expect(staging.prefix).toBe(first.prefix!.replace(/-prod-$/, '-staging-'));
    expect(step('locate').prefix).toBe(first.prefix!.replace(/-prod-$/, '-default-'));

    // Another build of flowops never restores this one's cache.
    writeFileSync(join(actionPath, 'dist/cli/main.js'), 'console.log(2);\n');
    expect(step('locate', { FLOWOPS_ENVIRONMENT: 'prod' }).prefix).not.toBe(first.prefix);
  });

  it('state: the content changes the hash, the machine-local file stamps do not; every key is new', () => {
    const cache = join(root, 'work/deploy/.flowops/cache');
    const absent = step('state');
    expect(absent.hash).toBe('none');
    mkdirSync(join(cache, 'checks'), { recursive: true });
    mkdirSync(join(cache, 'files'), { recursive: true });
    writeFileSync(join(cache, 'checks/checks-v1.json'), '{"a":1}');
    const before = step('state');
    expect(before.hash).toMatch(/^[0-9a-f]{16}$/);

    writeFileSync(join(cache, 'files/files-v1.json'), '{"stamps":1}');
    const stampsOnly = step('state');
    expect(stampsOnly.hash).toBe(before.hash);
    expect(stampsOnly.key).toMatch(/^42-1-\d+[0-9a-f]{6}$/);
    expect(stampsOnly.key).not.toBe(before.key);

    writeFileSync(join(cache, 'checks/checks-v1.json'), '{"a":2}');
    expect(step('state').hash).not.toBe(before.hash);
    mkdirSync(join(cache, 'flow-exports-v1'));
    writeFileSync(join(cache, 'flow-exports-v1/x@1.json'), '{}');
    expect(step('state').hash).not.toBe(before.hash);
  });

  it('refuses an unknown command', () => {
    expect(() => step('clear')).toThrow(/usage: action-cache.mjs locate\|state/);
  });
});

describe("action.yml's cache steps", () => {
  const steps = (parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as Doc).runs.steps as Doc[];
  const byName = (name: string) => steps.find((s) => s.name === name)!;
  const restore = byName("Restore flowops' cache");
  const save = byName("Save flowops' cache");

  it('restore before the run (once a job), save after it whatever its exit, only what changed', () => {
    const order = [
      "Where flowops' cache is",
      "Restore flowops' cache",
      "flowops' cache as restored",
      'Run flowops',
      "flowops' cache after the run",
      "Save flowops' cache",
    ].map((name) => steps.indexOf(byName(name)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(restore.if).toContain("steps.cache-where.outputs.restore == 'true'");
    expect(save.if).toContain('!cancelled()');
    expect(save.if).toContain('steps.cache-after.outputs.hash != steps.cache-before.outputs.hash');
    for (const name of ["Where flowops' cache is", "Restore flowops' cache", "flowops' cache as restored"])
      expect(byName(name).if).toContain("inputs.cache == 'true'");
  });

  it('restore and save name the same paths (actions/cache keys its entries by them), file stamps left out', () => {
    expect(save.with.path).toBe(restore.with.path);
    expect(String(restore.with.path).trim().split('\n')).toEqual([
      '${{ steps.cache-where.outputs.dir }}',
      '!${{ steps.cache-where.outputs.dir }}/files',
    ]);
    expect(restore.with['restore-keys']).toBe('${{ steps.cache-where.outputs.prefix }}');
    expect(save.with.key).toBe('${{ steps.cache-where.outputs.prefix }}${{ steps.cache-after.outputs.key }}');
  });
});
