/**
 * The house rules through the binary (issue 17): the demo's rule, suppressions, plugins (one that
 * throws, one that cannot be loaded), mistakes in `rules:`, the check cache keyed by the rules, and
 * plan failing on a rule's error like validate.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixturesDir, repoRoot } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

const NO_ORG = { GENESYS_ENV_URL: '', GENESYS_CLIENT_ID: '', GENESYS_CLIENT_SECRET: '' };
const SUPPORT = 'flows/inbound/support-line.yaml';
const MODULE = 'Shared Common Module - Tag and Greet';

/** A copy of the repository's demo (flows, flowops.yaml with its rules, the embedded org's seed). */
function demoCopy(): string {
  const dir = tempDir({}, 'flowops-rules-demo-');
  for (const p of ['flowops.yaml', 'flows', 'test/fixtures/demo-before', 'test/fixtures/demo-objects.yaml'])
    cpSync(join(repoRoot, p), join(dir, p), { recursive: true });
  return dir;
}

/** The demo's Support Line without its call of the shared module (the action's seven lines). */
function removeCall(dir: string): void {
  const file = join(dir, SUPPORT);
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('          - callCommonModule:');
  const end = text.indexOf('          - evaluateScheduleGroup:');
  expect(start).toBeGreaterThan(0);
  writeFileSync(file, text.slice(0, start) + text.slice(end));
}

const MISSING_CALL = `${SUPPORT}:28:13: error: the first action of startup task "Startup Task" must call common module "${MODULE}" (calls-module)`;

describe('the demo turns calls-module on', () => {
  it('validates as it is; without the call in one line, validate fails at that line', async () => {
    const dir = demoCopy();
    const ok = await runCli(['validate'], { cwd: dir });
    expect(ok.stdout).toContain('4 flows valid in 4 files');
    expect(ok.code).toBe(0);
    removeCall(dir);
    const r = await runCli(['validate'], { cwd: dir, env: { GITHUB_ACTIONS: 'true' } });
    expect(r.stdout.split('\n')).toContain(MISSING_CALL);
    expect(r.stdout).toContain(
      `::error file=${SUPPORT},line=28,col=13::the first action of startup task "Startup Task" must call common module "${MODULE}" (calls-module)`,
    );
    expect(r.stdout).toContain('1 error in 4 files');
    expect(r.code).toBe(1);
    const json = JSON.parse((await runCli(['validate', '--json'], { cwd: dir })).stdout) as {
      diagnostics: Array<{ rule?: string; code: string; line: number }>;
    };
    expect(json.diagnostics).toEqual([
      expect.objectContaining({ rule: 'calls-module', code: 'calls-module', line: 28 }),
    ]);
  });

  it('plan refuses the same flow at the same line, before asking the org anything', async () => {
    const dir = demoCopy();
    removeCall(dir);
    const r = await runCli(['plan'], { cwd: dir, env: NO_ORG });
    expect(r.stderr.split('\n')).toContain(MISSING_CALL);
    expect(r.code).toBe(1);
  });
});

describe('suppressions: # flowops-ignore rule-id: reason, on the line above', () => {
  const COMMENT = '          # flowops-ignore calls-module: the support line greets in its own menu\n';
  function suppressed(comment: string, removed = true): string {
    const dir = demoCopy();
    if (removed) removeCall(dir);
    const file = join(dir, SUPPORT);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(27, 0, comment.trimEnd());
    writeFileSync(file, lines.join('\n'));
    return dir;
  }

  it('with a reason, silences the rule on the next line', async () => {
    const r = await runCli(['validate'], { cwd: suppressed(COMMENT) });
    expect(r.stdout).toBe('4 flows valid in 4 files (environment local).\n');
    expect(r.code).toBe(0);
  });

  it('without a reason, is an error and silences nothing', async () => {
    const r = await runCli(['validate'], { cwd: suppressed('          # flowops-ignore calls-module') });
    expect(r.stdout).toContain(
      `${SUPPORT}:28:11: error: flowops-ignore calls-module needs a reason: "# flowops-ignore calls-module: why the rule does not apply here"`,
    );
    expect(r.stdout).toContain(`${SUPPORT}:29:13: error: the first action of startup task`);
    expect(r.code).toBe(1);
  });

  it('one that silences nothing is a warning; one naming no known rule is an error', async () => {
    const unused = await runCli(['validate'], { cwd: suppressed(COMMENT, false) });
    expect(unused.stdout).toContain(
      `${SUPPORT}:28:11: warning: flowops-ignore calls-module suppresses nothing: no calls-module problem on line 29 (remove it)`,
    );
    expect(unused.code).toBe(0);
    const dir = suppressed(COMMENT, false);
    const config = join(dir, 'flowops.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/calls-module: \{.*\}/, 'calls-module: off'));
    expect((await runCli(['validate'], { cwd: dir })).stdout).toContain(
      `${SUPPORT}:28:11: warning: flowops-ignore calls-module suppresses nothing: calls-module is off`,
    );
    const unknown = await runCli(['validate'], {
      cwd: suppressed('          # flowops-ignore calls-modules: typo', false),
    });
    expect(unknown.stdout).toContain(`${SUPPORT}:28:11: error: flowops-ignore names unknown rule "calls-modules"`);
    expect(unknown.code).toBe(1);
  });
});

/** A project with the example plugins in rules/ and one flow transferring to a queue (rule-plugins/queue-line.yaml). */
function pluginProject(rules: string, queue = 'Test Support'): string {
  const plugins = ['no-test-queues.mjs', 'throws.mjs', 'broken.mjs', 'no-rules.mjs'];
  return tempDir({
    'flowops.yaml': `flows: flows/*.yaml\nrules:\n${rules}\nenvironments:\n  test:\n    substitutions: {division: Home, xfer: Transfer to the support queue now, queue: ${queue}}\n`,
    ...Object.fromEntries(plugins.map((p) => [`rules/${p}`, readFileSync(`${fixturesDir}rule-plugins/${p}`, 'utf8')])),
    'flows/line.yaml': readFileSync(`${fixturesDir}rule-plugins/queue-line.yaml`, 'utf8'),
  });
}
// The queue's placeholder on line 10, as written (not where the longer substituted name puts it).
const QUEUE_COL = '          - transferToAcd: {name: {{xfer}}, targetQueue: {lit: {name: '.length + 1;

describe('plugins: rules.plugins, ES modules relative to flowops.yaml', () => {
  it("a plugin's rule, configured like a built-in, reports at the file's line and column through substitutions", async () => {
    const dir = pluginProject('  plugins: [./rules/no-test-queues.mjs]\n  no-test-queues: error');
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.stdout).toContain(
      `flows/line.yaml:10:${QUEUE_COL}: error: Queue Line names test queue "Test Support" (no-test-queues)`,
    );
    expect(r.code).toBe(1);
    // Options reach the rule.
    const other = await runCli(['validate'], {
      cwd: pluginProject('  plugins: [./rules/no-test-queues.mjs]\n  no-test-queues: {severity: warn, prefix: QA}'),
    });
    expect(other.stdout).toContain('1 flow valid in 1 file');
    expect(other.code).toBe(0);
  });

  it("a plugin's rule not configured does not run", async () => {
    const r = await runCli(['validate'], { cwd: pluginProject('  plugins: [./rules/no-test-queues.mjs]') });
    // (Other built-ins may warn at their defaults; this plugin's rule says nothing.)
    expect(r.stdout).toContain('1 flow valid in 1 file');
    expect(r.stdout).not.toContain('no-test-queues');
    expect(r.code).toBe(0);
  });

  it('a rule that throws is its plugin’s error on the flow, and the other rules still run', async () => {
    const dir = pluginProject(
      '  plugins: [./rules/throws.mjs, ./rules/no-test-queues.mjs]\n  always-throws: warn\n  no-test-queues: warn\n  calls-module: {module: Greeting}',
    );
    const r = await runCli(['validate'], { cwd: dir });
    const lines = r.stdout.split('\n');
    expect(lines).toContain(
      'flows/line.yaml:1:1: error: rule always-throws of plugin ./rules/throws.mjs failed on this flow: cannot read properties of undefined (reading "tasks") (always-throws)',
    );
    expect(lines).toContain(
      `flows/line.yaml:10:${QUEUE_COL}: warning: Queue Line names test queue "Test Support" (no-test-queues)`,
    );
    expect(lines).toContain(
      'flows/line.yaml:10:13: error: inboundcall "Queue Line" does not call common module "Greeting" (calls-module)',
    );
    expect(r.code).toBe(1);
  });

  it('a plugin that cannot be loaded is one line naming the file, exit 1, no stack trace', async () => {
    for (const [plugin, why] of [
      ['./rules/broken.mjs', /^flowops\.yaml:3:13: error: rules\.plugins: cannot load \.\/rules\/broken\.mjs: .+$/],
      [
        './rules/missing.mjs',
        /^flowops\.yaml:3:13: error: rules\.plugins: cannot load \.\/rules\/missing\.mjs: no such file$/,
      ],
      [
        './rules/no-rules.mjs',
        /^flowops\.yaml:3:13: error: rules\.plugins: cannot load \.\/rules\/no-rules\.mjs: its default export has no "rules" list/,
      ],
    ] as const) {
      const r = await runCli(['validate'], { cwd: pluginProject(`  plugins: [${plugin}]`) });
      expect(r.stderr.trimEnd().split('\n'), plugin).toHaveLength(1);
      expect(r.stderr.trimEnd(), plugin).toMatch(why);
      expect(r.code, plugin).toBe(1);
    }
  });
});

describe('mistakes under rules: are errors at their place in flowops.yaml', () => {
  it.each([
    ['  calls-modul: error', 'flowops.yaml:3:3: error: rules.calls-modul: unknown rule (did you mean "calls-module"?)'],
    [
      '  calls-module: fatal',
      'flowops.yaml:3:17: error: rules.calls-module: a rule takes a severity (error, warn or off)',
    ],
    ['  calls-module: error', 'flowops.yaml:3:3: error: rules.calls-module: option "module" is required'],
    ['  calls-module: {module: X, frist: true}', 'flowops.yaml:3:3: error: rules.calls-module: unknown option "frist"'],
    [
      '  calls-module: {module: X, flowTypes: [inboundcalls]}',
      'flowops.yaml:3:3: error: rules.calls-module: option "flowTypes": "inboundcalls" is not a flow type',
    ],
    ['  Calls_Module: error', 'flowops.yaml:3:3: error: rules: "Calls_Module" is not a valid rule id'],
    ['  plugins: ./rules/no-test-queues.mjs', 'flowops.yaml:3:12: error: rules.plugins: a list of ES module files'],
  ])('%s', async (rules, message) => {
    const r = await runCli(['validate'], { cwd: pluginProject(rules) });
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(1);
  });
});

describe('rule results are cached with each file’s check, keyed by the rules and the plugins', () => {
  it('a warm run says the same; a changed setting or a changed plugin file is run again', async () => {
    const dir = pluginProject('  plugins: [./rules/no-test-queues.mjs]\n  no-test-queues: error');
    const cold = await runCli(['validate'], { cwd: dir });
    expect(cold.stdout).toContain('error: Queue Line names test queue');
    expect((await runCli(['validate'], { cwd: dir })).stdout).toBe(cold.stdout);
    const config = join(dir, 'flowops.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('no-test-queues: error', 'no-test-queues: warn'));
    expect((await runCli(['validate'], { cwd: dir })).stdout).toContain('warning: Queue Line names test queue');
    const plugin = join(dir, 'rules/no-test-queues.mjs');
    writeFileSync(plugin, readFileSync(plugin, 'utf8').replace('names test queue', 'transfers to test queue'));
    expect((await runCli(['validate'], { cwd: dir })).stdout).toContain('warning: Queue Line transfers to test queue');
  });
});
