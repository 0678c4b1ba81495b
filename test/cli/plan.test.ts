import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import planSchema from '../../schemas/plan.schema.json' with { type: 'json' };
import { runCli } from '../helpers/cli.js';
import { editFile, makeDemoRepo } from '../helpers/demo-org.js';
import { credentials, emulatorForTest, emulatorStats } from '../helpers/emulator.js';

// Each test has its own repository and org (the demo flows, seeded as the repository has them):
// what one test edits or caches, no other sees.
let emulator: RunningEmulator;
let repo: { dir: string; seedDir: string };
const creds = () => credentials(emulator);
const stats = () => emulatorStats(emulator);
/** The edit of the demo's module that the tests plan. */
const changeModule = () =>
  editFile(
    join(repo.dir, 'flows/modules/tag-and-greet.yaml'),
    'tts: This is a message from the shared common module.',
    'tts: Hello from the shared module.',
  );

beforeEach(async () => {
  repo = makeDemoRepo();
  emulator = await emulatorForTest({ seedDir: repo.seedDir });
  expect(emulator.seeded).toBe(4);
});

describe('flowops plan (the real binary, against the emulator through the SDK)', () => {
  it('an org that matches the repository: no changes, exit 0 with --detailed-exitcode', async () => {
    const r = await runCli(['plan', '--detailed-exitcode'], { cwd: repo.dir, env: creds() });
    expect(r.stderr).toContain(`Planning environment test against ${emulator.url}`);
    expect(r.stdout).toMatch(/^No changes\. The live flows match the repository/);
    expect(r.stdout).toContain('Plan: 0 to create, 0 to update, 0 to republish, 0 to delete, 4 unchanged.');
    expect(r.code).toBe(0);
  });

  it('a second plan reuses the export cache: no export job at all', async () => {
    expect((await runCli(['plan'], { cwd: repo.dir, env: creds() })).code).toBe(0); // the first: fills the cache
    const before = await stats();
    const r = await runCli(['plan'], { cwd: repo.dir, env: creds() });
    expect(r.code).toBe(0);
    // login + one listing page; the contents come from .flowops/cache
    expect((await stats()).requests - before.requests).toBe(2);
  });

  it('a plan of files unchanged since the last one reads their stamps, and still sees an edit that kept the size and the modification time', async () => {
    const module = join(repo.dir, 'flows/modules/tag-and-greet.yaml');
    // Stamps are kept for files left alone two seconds (src/workspace/file-stamps.ts); a whole
    // second, so that the modification time can be put back exactly.
    const then = Math.floor(Date.now() / 1000) - 60;
    for (const file of readdirSync(join(repo.dir, 'flows'), { recursive: true, encoding: 'utf8' }))
      if (file.endsWith('.yaml')) utimesSync(join(repo.dir, 'flows', file), then, then);
    await sleep(2100);
    expect((await runCli(['plan'], { cwd: repo.dir, env: creds() })).code).toBe(0);
    const stamps = JSON.parse(readFileSync(join(repo.dir, '.flowops/cache/files/files-v1.json'), 'utf8'));
    expect(Object.keys(stamps.entries)).toContain(module);
    const size = statSync(module).size;
    editFile(
      module,
      'tts: This is a message from the shared common module.',
      'tts: This is a message from the shared common MODULE.',
    );
    utimesSync(module, then, then);
    expect([statSync(module).size, statSync(module).mtimeMs]).toEqual([size, then * 1000]);
    const r = await runCli(['plan', '--detailed-exitcode'], { cwd: repo.dir, env: creds() });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('~ update commonmodule "Shared Common Module - Tag and Greet"');
    expect(r.stdout).toContain('the shared common MODULE.');
  });

  it('a changed module: the exact change by name, its three callers republished, exit 2, plan and markdown saved', async () => {
    changeModule();
    const r = await runCli(['plan', '--detailed-exitcode', '--out', 'plan.json', '--markdown', 'plan.md'], {
      cwd: repo.dir,
      env: creds(),
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      '  ~ update commonmodule "Shared Common Module - Tag and Greet"  (flows/modules/tag-and-greet.yaml, live version 1.0 by emulator-seed)',
    );
    expect(r.stdout).toContain(
      '      ~ action 2 "Shared message" (playAudio) > audio.tts: "This is a message from the shared common module." -> "Hello from the shared module."',
    );
    for (const line of ['Billing Line', 'Main Line', 'Support Line'])
      expect(r.stdout).toContain(`  ↻ republish inboundcall "${line}"`);
    expect(r.stdout).toContain('because commonmodule "Shared Common Module - Tag and Greet" changes');
    expect(r.stdout).toContain('Plan: 0 to create, 1 to update, 3 to republish, 0 to delete, 0 unchanged.');

    const plan = JSON.parse(readFileSync(join(repo.dir, 'plan.json'), 'utf8'));
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    expect(ajv.validate(planSchema, plan)).toBe(true);
    expect(plan.flows.map((f: { action: string }) => f.action)).toEqual([
      'update',
      'republish',
      'republish',
      'republish',
    ]);
    expect(plan.flows[0].livePublishedVersion.id).toBe('1.0');
    expect(plan.flows[0].patch[0]).toEqual({
      op: 'test',
      path: '/commonModule/startUpTaskActions/1/playAudio/audio/tts',
      value: 'This is a message from the shared common module.',
    });
    expect(existsSync(join(repo.dir, 'plan.md'))).toBe(true);
    expect(readFileSync(join(repo.dir, 'plan.md'), 'utf8')).toContain('```mermaid');
  });

  it('--json prints the same plan on stdout and nothing else', async () => {
    changeModule();
    const r = await runCli(['plan', '--json'], { cwd: repo.dir, env: creds() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary).toEqual({ create: 0, update: 1, republish: 3, delete: 0, unchanged: 0 });
  });

  it('bad credentials: one clear line, exit 1, the secret nowhere', async () => {
    const r = await runCli(['plan'], { cwd: repo.dir, env: { ...creds(), GENESYS_CLIENT_SECRET: 'wrong-Secret-123' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/GENESYS_CLIENT_ID/);
    expect(r.stdout + r.stderr).not.toContain('wrong-Secret-123');
    expect(r.stdout + r.stderr).not.toMatch(/^\s+at /m);
  });

  it('invalid flows are reported before anything is asked of the org', async () => {
    const before = await stats();
    editFile(
      join(repo.dir, 'flows/inbound/main-line.yaml'),
      'Shared Common Module - Tag and Greet:',
      'Shared Module Typo:',
    );
    const r = await runCli(['plan'], { cwd: repo.dir, env: creds() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^flows\/inbound\/main-line.yaml:\d+:\d+: error: callCommonModule "Tag and greet" calls unknown common module "Shared Module Typo"/m,
    );
    expect((await stats()).requests).toBe(before.requests);
    const annotated = await runCli(['plan'], { cwd: repo.dir, env: { ...creds(), GITHUB_ACTIONS: 'true' } });
    expect(annotated.stdout).toMatch(
      /^::error file=flows\/inbound\/main-line.yaml,line=\d+,col=\d+::callCommonModule "Tag and greet" calls unknown common module/m,
    );
    editFile(
      join(repo.dir, 'flows/inbound/main-line.yaml'),
      'Shared Module Typo:',
      'Shared Common Module - Tag and Greet:',
    );
  });
});

describe('secrets in errors printed at the top', () => {
  it('a secret substitution inside an error of plan is masked', async () => {
    const secret = 'Qx7-secret-module-name';
    const dir = makeDemoRepo().dir;
    const config = readFileSync(join(dir, 'flowops.yaml'), 'utf8').replace(
      '    substitutions:\n',
      '    substitutions:\n      module_name: {fromEnv: MODULE_NAME, secret: true}\n',
    );
    writeFileSync(join(dir, 'flowops.yaml'), config);
    editFile(join(dir, 'flows/inbound/main-line.yaml'), 'Shared Common Module - Tag and Greet:', '{{module_name}}:');
    const r = await runCli(['plan'], {
      cwd: dir,
      env: {
        MODULE_NAME: secret,
        GITHUB_ACTIONS: 'true',
        GENESYS_ENV_URL: 'http://127.0.0.1:9',
        GENESYS_CLIENT_ID: 'x',
        GENESYS_CLIENT_SECRET: 'y',
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('calls unknown common module "***"');
    expect(r.stdout + r.stderr).not.toContain(secret);
  });
});
