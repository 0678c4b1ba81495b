/**
 * Secrets: a recognisable client secret (the emulator's client has it) and a substitution marked
 * `secret: true` (`{fromEnv: PARTNER_KEY, secret: true}`), used in flow text so that it reaches the
 * plan's diff, the job upload and error messages. Neither may appear in anything flowops prints or
 * writes locally: stdout and stderr of every command at every verbosity (plain, --json, --debug),
 * plan files, markdown files, `.flowops/` and every other file under the repository; nor in the
 * audit note flowops writes into the flow descriptions of the org. The substitution's value itself
 * is flow content and legitimately reaches the org (checked, so that the test knows it travelled).
 * Then the substitution is rotated (a new value in the variable): the old value, still live, is known
 * only by where the files' placeholders stand, and must appear nowhere either (plan, drift, export).
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { callerPath, callerYaml, generateOrg, modulePath, moduleYaml } from '../../bench/generate-org.js';
import { recordFigures, runBinary, type TimedResult } from './helpers.js';
import { credentials } from '../helpers/emulator.js';

const CLIENT_ID = 'secrets-client';
const hex = () => randomBytes(12).toString('hex');
const CLIENT_SECRET = `CLIENTSECRET-${hex()}`;
const SUB_SECRET = `PARTNERKEY-${hex()}`;
/** The substitution's value after a rotation (in the environment variable): SUB_SECRET is then the old one, still live. */
const ROTATED_SECRET = `ROTATEDKEY-${hex()}`;
/** A wrong secret, given once to see that a refused login does not echo it. */
const WRONG_SECRET = `WRONGSECRET-${hex()}`;
const SECRETS = { client: CLIENT_SECRET, substitution: SUB_SECRET, rotated: ROTATED_SECRET, wrongClient: WRONG_SECRET };

/** The forms a secret could leak in: itself, its random part alone (truncated or partly masked), base64 (Basic auth). */
function leakForms(): Array<{ label: string; needle: string }> {
  const forms: Array<{ label: string; needle: string }> = [];
  for (const [label, s] of Object.entries(SECRETS)) {
    forms.push({ label, needle: s });
    forms.push({ label: `${label} (random part)`, needle: s.split('-')[1]! });
    forms.push({ label: `${label} (base64)`, needle: Buffer.from(s).toString('base64').replace(/=+$/, '') });
    forms.push({
      label: `${label} (Basic auth)`,
      needle: Buffer.from(`${CLIENT_ID}:${s}`).toString('base64').replace(/=+$/, ''),
    });
  }
  return forms;
}

function expectNoSecret(where: string, text: string): void {
  for (const { label, needle } of leakForms()) {
    const at = text.indexOf(needle);
    expect(at, `${label} secret in ${where}: ...${text.slice(Math.max(0, at - 120), at + needle.length + 40)}...`).toBe(
      -1,
    );
  }
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

let emulator: RunningEmulator;
let repo: { dir: string; seedDir: string; objectsFile: string };
let orgDir: string;
const figures = { commands: 0, debugRuns: 0, jsonRuns: 0, filesScanned: 0, maskedOccurrences: 0 };

const env = (secret = CLIENT_SECRET, partnerKey = SUB_SECRET) => ({
  ...credentials(emulator, { id: CLIENT_ID, secret }),
  PARTNER_KEY: partnerKey,
});

/** Runs the binary (killed past 60 s), scans what it printed, and counts it for the figures. */
async function run(
  args: string[],
  options: { secret?: string; partnerKey?: string; expectCode?: number | number[] } = {},
): Promise<TimedResult> {
  const result = await runBinary(args, {
    cwd: repo.dir,
    env: env(options.secret, options.partnerKey),
    timeoutMs: 60_000,
  });
  figures.commands++;
  if (args.includes('--debug')) figures.debugRuns++;
  if (args.includes('--json')) figures.jsonRuns++;
  figures.maskedOccurrences += (result.stdout + result.stderr).split('***').length - 1;
  const label = `flowops ${args.join(' ')}`;
  expect(result.timedOut, label).toBe(false);
  expectNoSecret(`the stdout of ${label}`, result.stdout);
  expectNoSecret(`the stderr of ${label}`, result.stderr);
  if (options.expectCode !== undefined)
    expect([options.expectCode].flat(), `${label} exited ${result.code}:\n${result.stdout}${result.stderr}`).toContain(
      result.code,
    );
  return result;
}

function withSecret(i: number, words: string): string {
  return moduleYaml(i, { tts: `${words} Partner key {{partner_key}}.` });
}

beforeAll(async () => {
  repo = generateOrg(4, 1);
  orgDir = mkdtempSync(join(tmpdir(), 'flowops-secrets-org-'));
  appendFileSync(
    join(repo.dir, 'flowops.yaml'),
    '    substitutions:\n      partner_key: {fromEnv: PARTNER_KEY, secret: true}\n',
  );
  // The org starts as the seed (the four flows as generated, no secret). The secret goes in a module
  // (updated, so its callers are republished) and in a caller's own text.
  writeFileSync(modulePath(repo.dir, 0), withSecret(0, 'Module 0, first words.'));
  writeFileSync(
    callerPath(repo.dir, 0),
    callerYaml(0, 0).replace('Line 0 step 1', 'Line 0 step 1, key {{partner_key}}'),
  );
  const git = simpleGit({ baseDir: repo.dir });
  await git.init();
  await git.addConfig('user.email', 'ci@example.com').addConfig('user.name', 'CI');
  await git.add('.').commit('flows');
  emulator = await startEmulator({
    objects: repo.objectsFile,
    seedDir: repo.seedDir,
    stateFile: join(orgDir, 'org.json'),
    clients: [{ id: CLIENT_ID, secret: CLIENT_SECRET }],
    rateLimitPerMinute: 0,
  });
});

afterAll(async () => {
  await emulator?.close();
  recordFigures('secrets', figures);
});

describe('secrets never leave flowops: not printed, not written, at any verbosity', () => {
  it('validate, plan, apply and drift with a secret substitution in the flows and a recognisable client secret', async () => {
    await run(['validate', '--env', 'test'], { expectCode: 0 });
    await run(['validate', '--env', 'test', '--json'], { expectCode: 0 });
    await run(['validate', '--env', 'test', '--debug'], { expectCode: 0 });

    // The secret is in the diff of the module and of line 0: shown masked.
    const plan = await run(['plan', '--env', 'test', '--out', 'plan.json', '--markdown', 'plan.md'], { expectCode: 0 });
    expect(plan.stdout).toMatch(/~ update commonmodule "Module 0"[\s\S]*\*\*\*/);
    expect(readFileSync(join(repo.dir, 'plan.md'), 'utf8')).toContain('***');
    await run(['plan', '--env', 'test', '--json'], { expectCode: 0 });
    await run(['plan', '--env', 'test', '--debug', '--detailed-exitcode'], { expectCode: 2 });
    await run(['plan', '--env', 'test', '--json', '--debug', '--no-cache'], { expectCode: 0 });

    // Apply exactly the saved plan, then two more changes, planned and applied in one go.
    await run(['apply', 'plan.json', '--env', 'test', '--auto-approve', '--markdown', 'apply.md', '--json'], {
      expectCode: 0,
    });
    writeFileSync(modulePath(repo.dir, 0), withSecret(0, 'Module 0, second words.'));
    await run(['apply', '--env', 'test', '--auto-approve', '--debug'], { expectCode: 0 });
    writeFileSync(modulePath(repo.dir, 0), withSecret(0, 'Module 0, third words.'));
    await run(['apply', '--env', 'test', '--auto-approve', '--json', '--debug', '--markdown', 'apply-2.md'], {
      expectCode: 0,
    });

    const after = await run(['plan', '--env', 'test', '--debug'], { expectCode: 0 });
    expect(after.stdout).toContain('No changes.');
    await run(['drift', '--env', 'test', '--debug'], { expectCode: [0, 2] });
    await run(['drift', '--env', 'test', '--json'], { expectCode: [0, 2] });
  });

  it('errors that quote the secret substitution show it masked', async () => {
    const broken = join(repo.dir, 'flows/broken.yaml');
    // A reference and a name built from the secret: the messages quote both.
    writeFileSync(
      broken,
      [
        'inboundCall:',
        '  name: Broken {{partner_key}}',
        '  startUpRef: "/inboundCall/tasks/task[{{partner_key}}]"',
        '  tasks:',
        '    - task:',
        '        name: Start',
        '        refId: start',
        '        actions:',
        '          - disconnect: {name: Bye}',
        '          - callCommonModule: {name: "Call {{partner_key}}", commonModule: {"Missing {{partner_key}}": {ver_latestPublished: }}}',
        '',
      ].join('\n'),
    );
    const validate = await run(['validate', '--env', 'test'], { expectCode: 1 });
    expect(validate.stdout + validate.stderr).toMatch(/broken\.yaml:3:\d+: error: .*\*\*\*/);
    await run(['validate', '--env', 'test', '--json'], { expectCode: 1 });
    await run(['plan', '--env', 'test', '--debug'], { expectCode: 1 });
    await run(['apply', '--env', 'test', '--auto-approve', '--debug', '--json'], { expectCode: 1 });

    // A YAML syntax error on a line holding the placeholder (the parser's messages quote source lines).
    writeFileSync(broken, 'inboundCall:\n  name: "Broken {{partner_key}}\n  startUpRef: [{{partner_key}}\n');
    await run(['validate', '--env', 'test', '--debug'], { expectCode: 1 });
    await run(['plan', '--env', 'test', '--json', '--debug'], { expectCode: 1 });
    rmSync(broken);
  });

  it('a refused login does not echo the secret it was given', async () => {
    for (const args of [
      ['plan', '--env', 'test'],
      ['plan', '--env', 'test', '--debug', '--json'],
      ['apply', '--env', 'test', '--auto-approve', '--debug'],
    ]) {
      const r = await run(args, { secret: WRONG_SECRET, expectCode: 1 });
      expect(r.stdout + r.stderr).toMatch(/error/i);
    }
  });

  it('a rotated substitution: its old value, still live in the org, is shown and written nowhere either', async () => {
    const rotated = { partnerKey: ROTATED_SECRET };
    // Nothing in the org, nor in any environment, names the old value a secret any more: only the
    // files' placeholders say where it stands.
    const plan = await run(
      [
        'plan',
        '--env',
        'test',
        '--out',
        'plan-rotated.json',
        '--markdown',
        'plan-rotated.md',
        '--debug',
        '--detailed-exitcode',
      ],
      { ...rotated, expectCode: 2 },
    );
    expect(plan.stdout).toMatch(/~ update commonmodule "Module 0"[\s\S]*"\*\*\*" -> "\*\*\*"/);
    await run(['plan', '--env', 'test', '--json', '--no-cache'], { ...rotated, expectCode: 0 });
    await run(['drift', '--env', 'test', '--debug'], { ...rotated, expectCode: [0, 2] });
    await run(['drift', '--env', 'test', '--json'], { ...rotated, expectCode: [0, 2] });
    await run(['export', '--env', 'test', '--out', 'exported', '--debug'], { ...rotated, expectCode: 0 });
    await run(['export', '--env', 'test', '--out', 'exported-json', '--json'], { ...rotated, expectCode: 0 });
    expect(readFileSync(join(repo.dir, 'exported/commonModule/module-0.yaml'), 'utf8')).toContain('{{partner_key}}');
  });

  /** Every file under the repository holding a secret, with which one: all at once, not the first only. */
  function leaksIn(files: string[]): string[] {
    const leaks: string[] = [];
    for (const file of files) {
      figures.filesScanned++;
      const text = readFileSync(file).toString('latin1');
      for (const { label, needle } of leakForms())
        if (text.includes(needle)) leaks.push(`${relative(repo.dir, file)}: ${label}`);
    }
    return leaks;
  }
  const inFlowopsDir = (f: string) => relative(repo.dir, f).startsWith(`.flowops`);

  it('the plan file, the markdown files and everything else written outside .flowops/ hold no secret', () => {
    const files = filesUnder(repo.dir).filter((f) => !inFlowopsDir(f));
    for (const name of [
      'plan.json',
      'plan.md',
      'apply.md',
      'apply-2.md',
      'plan-rotated.json',
      'plan-rotated.md',
      'exported/commonModule/module-0.yaml',
    ])
      expect(files).toContain(join(repo.dir, name));
    expect(leaksIn(files)).toEqual([]);
  });

  it('the caches in .flowops/ hold no secret', () => {
    const files = filesUnder(repo.dir).filter(inFlowopsDir);
    expect(files.some((f) => f.includes(join('.flowops', 'cache')))).toBe(true);
    expect(leaksIn(files)).toEqual([]);
  });

  it('the org got the substitution as flow content, and no secret in the audit notes flowops writes into descriptions', async () => {
    // The org: the substitution's value arrived as flow content (so it did travel through the upload),
    // and the audit notes flowops writes into the descriptions carry no secret.
    await emulator.close();
    const stateText = readFileSync(join(orgDir, 'org.json'), 'utf8');
    expect(stateText).toContain(SUB_SECRET);
    const descriptions: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object')
        for (const [k, v] of Object.entries(value)) {
          if (k === 'description' && typeof v === 'string') descriptions.push(v);
          else walk(v);
        }
    };
    walk(JSON.parse(stateText));
    expect(descriptions.some((d) => /\[flowops [0-9a-f]{7,}/.test(d))).toBe(true);
    for (const d of descriptions) expectNoSecret('a flow description in the org', d);
  });
});
