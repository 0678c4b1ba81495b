/**
 * Issue 12's scenarios through the real CLI binary against the emulator (which exports as Architect
 * does), with the official SDK as the second client: exporter upgrades, substitution changes, moved
 * files, copied notes, and the real blueprint files' round trips.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { credentials, emulatorForTest, login, runJob } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';
import { demoObjectsFile, editFile, makeDemoRepo } from '../helpers/demo-org.js';
import { blueprintsDir, blueprintSubstitutions } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

const CI = { id: 'flowops-ci', secret: 'ci' };
const clients = [CI, { id: 'jane', secret: 'pw' }];
/** The test's org (emulatorForTest closes it when the test finishes; a restart closes it first). */
let emulator: RunningEmulator | undefined;
const env = () => credentials(emulator!, CI);

async function gitRepo(dir: string): Promise<ReturnType<typeof simpleGit>> {
  writeFileSync(join(dir, '.gitignore'), '.flowops/\n');
  const git = simpleGit({ baseDir: dir });
  await git.init();
  await git.addConfig('user.email', 'ci@example.com').addConfig('user.name', 'CI');
  await git.add('.').commit('flows');
  return git;
}

async function restart(stateFile: string, exportRevision: 1 | 2): Promise<void> {
  await emulator?.close();
  emulator = await emulatorForTest({ stateFile, clients, exportRevision, objects: demoObjectsFile });
}

const planSummary = async (cwd: string) => {
  const r = await runCli(['plan', '--json', '--detailed-exitcode'], { cwd, env: env() });
  expect(r.code, r.stderr).not.toBe(1);
  return {
    code: r.code,
    plan: JSON.parse(r.stdout) as {
      summary: Record<string, number>;
      flows: Array<{ name: string; action: string; comparedBy?: string; changes: Array<{ where: string }> }>;
    },
  };
};

describe('exact against an org that exports as Architect does', () => {
  it('a change of the exporter revision plans and drifts nothing, for flows flowops published and for flows it did not', async () => {
    const repo = makeDemoRepo();
    await gitRepo(repo.dir);
    const stateFile = join(repo.dir, '..', `${repo.dir.split('/').pop()}-state.json`);
    emulator = await emulatorForTest({
      stateFile,
      clients,
      seedDir: repo.seedDir,
      exportRevision: 2,
      objects: demoObjectsFile,
    });
    // Seeded by another client: compared by content, in the normal form.
    let { code, plan } = await planSummary(repo.dir);
    expect(plan.summary.unchanged).toBe(4);
    expect(plan.flows.map((f) => f.comparedBy)).toEqual(['content', 'content', 'content', 'content']);
    expect(code).toBe(0);
    await restart(stateFile, 1);
    ({ code, plan } = await planSummary(repo.dir));
    expect([code, plan.summary.unchanged]).toEqual([0, 4]);
    expect((await runCli(['drift'], { cwd: repo.dir, env: env() })).code).toBe(0);

    // Published by flowops: decided by identity under either revision.
    editFile(join(repo.dir, 'flows/inbound/main-line.yaml'), 'For sales, press 1.', 'For sales, press one.');
    const applied = await runCli(['apply', '--auto-approve'], { cwd: repo.dir, env: env() });
    expect(applied.code, applied.stderr).toBe(0);
    for (const revision of [1, 2] as const) {
      await restart(stateFile, revision);
      ({ code, plan } = await planSummary(repo.dir));
      expect([code, plan.summary.unchanged], `revision ${revision}`).toEqual([0, 4]);
      expect(plan.flows.find((f) => f.name === 'Main Line')!.comparedBy).toBe('identity');
      const drift = await runCli(['drift', '--json'], { cwd: repo.dir, env: env() });
      expect([drift.code, JSON.parse(drift.stdout).drifted]).toEqual([0, []]);
    }
  });

  it('a substitution changed in flowops.yaml and not yet applied is pending, not drift; a file moved with git mv is in sync', async () => {
    const repo = makeDemoRepo();
    const git = await gitRepo(repo.dir);
    // The org has the queue the changed substitution names: the plan's reference check passes.
    emulator = await emulatorForTest({
      clients,
      objects: { queues: ['Support', 'Billing', 'Sales', 'Sales EMEA'], scheduleGroups: ['Acme Business Hours'] },
    });
    expect((await runCli(['apply', '--auto-approve'], { cwd: repo.dir, env: env() })).code).toBe(0);

    mkdirSync(join(repo.dir, 'flows/lines'));
    await git.mv('flows/inbound/support-line.yaml', 'flows/lines/support-line.yaml');
    await git.commit('move a file');
    let drift = await runCli(['drift', '--json'], { cwd: repo.dir, env: env() });
    expect([drift.code, JSON.parse(drift.stdout)]).toMatchObject([0, { drifted: [], pending: [], inSync: 4 }]);
    expect((await planSummary(repo.dir)).plan.summary.unchanged).toBe(4);

    editFile(join(repo.dir, 'flowops.yaml'), 'sales_queue: "Sales"', 'sales_queue: "Sales EMEA"');
    drift = await runCli(['drift', '--json'], { cwd: repo.dir, env: env() });
    expect([drift.code, JSON.parse(drift.stdout)]).toMatchObject([
      0,
      { drifted: [], pending: ['inboundcall:Main Line'], inSync: 3 },
    ]);
    const { plan } = await planSummary(repo.dir);
    expect(plan.flows.filter((f) => f.action !== 'unchanged').map((f) => [f.name, f.action])).toEqual([
      ['Main Line', 'update'],
    ]);
  });

  it("someone else's publish with a copy of flowops' note and fingerprint is their edit: plan shows it, apply refuses a plan made before it", async () => {
    const repo = makeDemoRepo();
    await gitRepo(repo.dir);
    emulator = await emulatorForTest({ clients, objects: demoObjectsFile });
    expect((await runCli(['apply', '--auto-approve'], { cwd: repo.dir, env: env() })).code).toBe(0);
    editFile(join(repo.dir, 'flows/inbound/support-line.yaml'), 'Technical support number', 'Support number');
    const saved = join(repo.dir, 'plan.json');
    expect((await runCli(['plan', '--out', saved], { cwd: repo.dir, env: env() })).code).toBe(0);

    const jane = await login(emulator, 'jane', 'pw');
    const billing = (await jane.architect.getFlows({ type: ['inboundcall'], name: 'Billing Line' })).entities![0]!;
    const text = readFileSync(join(repo.seedDir, 'billing-line.yaml'), 'utf8')
      .replace(/^( {2}description: ).*$/m, `$1${JSON.stringify(billing.description)}`)
      .replace('Billing team', 'Billing desk');
    expect((await runJob(jane.architect, text)).status).toBe('Success');

    const { plan } = await planSummary(repo.dir);
    const changed = plan.flows.find((f) => f.name === 'Billing Line')!;
    expect([changed.action, changed.comparedBy]).toEqual(['update', 'content']);
    expect(changed.changes.map((c) => c.where)).toEqual([
      'menu "Billing Menu" > choice "Billing team" (menuTransferToAcd) > name',
    ]);
    const drift = await runCli(['drift', '--json'], { cwd: repo.dir, env: env() });
    expect(
      JSON.parse(drift.stdout).drifted.map((f: { name: string; changes: unknown[] }) => [f.name, f.changes.length]),
    ).toEqual([['Billing Line', 1]]);

    // The plan saved before Jane's publish updates Support Line only; Billing Line is unchanged in it
    // and stays as Jane left it. A plan saved before that changes Billing Line is refused as stale.
    editFile(join(repo.dir, 'flows/inbound/billing-line.yaml'), 'Billing team', 'Billing team (EU)');
    const stalePlan = join(repo.dir, 'stale.json');
    expect((await runCli(['plan', '--out', stalePlan], { cwd: repo.dir, env: env() })).code).toBe(0);
    expect((await runJob(jane.architect, text.replace('Billing desk', 'Billing counter'))).status).toBe('Success');
    const refused = await runCli(['apply', stalePlan], { cwd: repo.dir, env: env() });
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/Billing Line.*stale|stale.*Billing Line/s);
    const after = (await jane.architect.getFlows({ type: ['inboundcall'], name: 'Billing Line' })).entities![0]!;
    expect(after.publishedVersion?.createdByClient?.id).toBe('jane');
  });

  it("a flow flowops published from another branch is its own but not the files' content: plan shows the difference, drift says pending", async () => {
    const repo = makeDemoRepo();
    const git = await gitRepo(repo.dir);
    emulator = await emulatorForTest({ clients, objects: demoObjectsFile });
    expect((await runCli(['apply', '--auto-approve'], { cwd: repo.dir, env: env() })).code).toBe(0);
    const main = (await git.revparse(['--abbrev-ref', 'HEAD'])).trim();
    await git.checkoutLocalBranch('experiment');
    editFile(join(repo.dir, 'flows/inbound/main-line.yaml'), 'For sales, press 1.', 'For sales, press 9.');
    await git.add('.').commit('experiment');
    expect((await runCli(['apply', '--auto-approve'], { cwd: repo.dir, env: env() })).code).toBe(0);
    await git.checkout(main);

    const { plan } = await planSummary(repo.dir);
    const line = plan.flows.find((f) => f.name === 'Main Line')!;
    expect([line.action, line.comparedBy, line.changes.length]).toEqual(['update', 'content', 1]);
    expect(JSON.stringify(line.changes[0])).toContain('press 9');
    const drift = await runCli(['drift', '--json'], { cwd: repo.dir, env: env() });
    expect([drift.code, JSON.parse(drift.stdout)]).toMatchObject([
      0,
      { drifted: [], pending: ['inboundcall:Main Line'], inSync: 3 },
    ]);
  });

  it('the real blueprint files: apply, then plan shows no changes, drift is in sync, and export then plan shows no changes', async () => {
    const dir = tempDir({}, 'flowops-blueprints-');
    cpSync(blueprintsDir, join(dir, 'flows'), { recursive: true, filter: (src) => !src.endsWith('.md') });
    const subs = Object.entries(blueprintSubstitutions)
      .map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`)
      .join('\n');
    writeFileSync(
      join(dir, 'flowops.yaml'),
      // The blueprints name queues this org (no objects file) does not have: their check only warns here.
      `flows: flows/**/*.yaml\ndefaultEnvironment: test\nenvironments:\n  test:\n    region: mypurecloud.com\n    references: warn\n    substitutions:\n${subs}\n`,
    );
    await gitRepo(dir);
    emulator = await emulatorForTest({ clients });
    const applied = await runCli(['apply', '--auto-approve'], { cwd: dir, env: env() });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    let { code, plan } = await planSummary(dir);
    expect([code, plan.summary.unchanged]).toEqual([0, 6]);
    const drift = await runCli(['drift'], { cwd: dir, env: env() });
    expect(drift.code, drift.stdout).toBe(0);

    const exported = tempDir({}, 'flowops-blueprints-export-');
    writeFileSync(
      join(exported, 'flowops.yaml'),
      'flows: exported/**/*.yaml\ndefaultEnvironment: test\nenvironments:\n  test:\n    region: mypurecloud.com\n',
    );
    expect((await runCli(['export', '--out', 'exported'], { cwd: exported, env: env() })).code).toBe(0);
    ({ code, plan } = await planSummary(exported));
    expect([code, plan.summary.unchanged], JSON.stringify(plan.flows.flatMap((f) => f.changes))).toEqual([0, 6]);
  });
});
