import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { credentials, emulatorForTest, emulatorStats, login, runJob, type Session } from '../helpers/emulator.js';
import { runCli, startCli } from '../helpers/cli.js';
import { demoObjectsFile, editFile, makeDemoRepo } from '../helpers/demo-org.js';

// Each test has its own repository and org (an empty one): a test that needs the demo applied
// applies it first, so no test depends on what another did before it.
let emulator: RunningEmulator;
let repo: { dir: string; seedDir: string };
let ui: Session; // a person in the Architect UI, as another OAuth client
const CI = { id: 'flowops-ci', secret: 'ci-secret' };
const env = () => credentials(emulator, CI);
const MODULE = 'Shared Common Module - Tag and Greet';

async function flowByName(name: string) {
  const listing = await ui.architect.getFlows({ pageSize: 100 });
  return listing.entities!.find((f) => f.name === name)!;
}

/** The demo applied by flowops (every flow at version 1.0, its own): where most tests start. */
async function applyDemo(): Promise<void> {
  const r = await runCli(['apply', '--auto-approve'], { cwd: repo.dir, env: env() });
  expect(r.code, r.stdout + r.stderr).toBe(0);
}

beforeEach(async () => {
  repo = makeDemoRepo();
  emulator = await emulatorForTest({
    clients: [CI, { id: 'jane-in-architect', secret: 'pw' }],
    objects: demoObjectsFile,
  });
  ui = await login(emulator, 'jane-in-architect', 'pw');
});

describe('flowops apply (the real binary, against the emulator through the SDK)', () => {
  it('without a terminal, a plan file or --auto-approve, apply refuses before asking anything of the org (--json no exception)', async () => {
    const stats = () => emulatorStats(emulator);
    const before = (await stats()).requests;
    for (const args of [['apply'], ['apply', '--json']]) {
      const r = await runCli(args, { cwd: repo.dir, env: env() });
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n').at(-1)).toBe(
        'error: apply needs approval: answer on a terminal, pass --auto-approve, or apply a saved plan file',
      );
      expect(r.stdout).toBe('');
    }
    expect((await stats()).requests).toBe(before);
  });

  it('the demo: apply creates everything, module first; a plan right after shows no changes', async () => {
    const r = await runCli(['apply', '--auto-approve'], { cwd: repo.dir, env: env() });
    expect(r.stdout).toContain(
      'Apply complete: 4 applied, 0 deleted, 0 already as planned, 0 stale, 0 failed, 0 skipped.',
    );
    expect(r.code).toBe(0);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: repo.dir, env: env() });
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
    const module = await flowByName(MODULE);
    expect(module.publishedVersion?.id).toBe('1.0');
    expect(module.lockedClient).toBeUndefined();
  });

  it('a module change: the saved plan is applied exactly, the module first, then its three callers republished', async () => {
    await applyDemo();
    editFile(
      join(repo.dir, 'flows/modules/tag-and-greet.yaml'),
      'tts: This is a message from the shared common module.',
      'tts: Hello from the shared module.',
    );
    const plan = await runCli(['plan', '--out', 'plan.json'], { cwd: repo.dir, env: env() });
    expect(plan.stdout).toContain('Plan: 0 to create, 1 to update, 3 to republish, 0 to delete, 0 unchanged.');
    const r = await runCli(['apply', 'plan.json'], { cwd: repo.dir, env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ applied +inboundcall "Main Line" \(republish\)/);
    const module = await flowByName(MODULE);
    const moduleVersion = await ui.architect.getFlowVersion(module.id!, module.publishedVersion!.id!);
    for (const line of ['Main Line', 'Billing Line', 'Support Line']) {
      const flow = await flowByName(line);
      expect(flow.publishedVersion?.id).toBe('2.0');
      const v = await ui.architect.getFlowVersion(flow.id!, '2.0');
      expect(Date.parse(v.datePublished!)).toBeGreaterThanOrEqual(Date.parse(moduleVersion.datePublished!));
    }
    // The version says which commit it came from (the temp repo is no git repo: no note) and what it holds.
    expect((await runCli(['plan', '--detailed-exitcode'], { cwd: repo.dir, env: env() })).code).toBe(0);
  });

  it('a saved plan for changed files is refused whole, nothing written', async () => {
    await applyDemo();
    const before = (await flowByName('Main Line')).publishedVersion?.id;
    editFile(join(repo.dir, 'flows/inbound/main-line.yaml'), 'For sales, press 1.', 'For sales, press one.');
    await runCli(['plan', '--out', 'plan.json'], { cwd: repo.dir, env: env() });
    editFile(join(repo.dir, 'flows/inbound/main-line.yaml'), 'For sales, press one.', 'For sales, press 1 please.');
    const r = await runCli(['apply', 'plan.json'], { cwd: repo.dir, env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'plan.json:1:1: error: the flow files changed since this plan was made (flows/inbound/main-line.yaml): make a new plan and review it',
    );
    expect((await flowByName('Main Line')).publishedVersion?.id).toBe(before);
  });

  it('stale: an edit published by someone else after the plan is refused and kept; the rest is applied; exit 1', async () => {
    await applyDemo();
    editFile(join(repo.dir, 'flows/inbound/main-line.yaml'), 'For sales, press 1.', 'For sales, press 1 please.'); // a change of flowops' own to apply beside
    editFile(
      join(repo.dir, 'flows/inbound/billing-line.yaml'),
      'To pay your bill, press 1.',
      'To pay a bill, press 1.',
    );
    await runCli(['plan', '--out', 'plan.json'], { cwd: repo.dir, env: env() });
    // Jane publishes her own change to Billing Line in the Architect UI, after the plan was approved.
    const exported = readFileSync(join(repo.seedDir, 'billing-line.yaml'), 'utf8').replace(
      'Billing team',
      'Billing team (Jane)',
    );
    expect((await runJob(ui.architect, exported)).status).toBe('Success');
    const r = await runCli(['apply', 'plan.json'], { cwd: repo.dir, env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /✗ stale +inboundcall "Billing Line" +refused: version \d\.0 was published by jane-in-architect at .* since the plan/,
    );
    expect(r.stdout).toMatch(/✓ applied +inboundcall "Main Line"/);
    expect(r.stdout).toContain(
      'Apply incomplete: 1 applied, 0 deleted, 2 already as planned, 1 stale, 0 failed, 0 skipped.',
    );
    const billing = await flowByName('Billing Line');
    expect(billing.publishedVersion?.createdBy?.name ?? billing.publishedVersion?.createdByClient?.name ?? '').toMatch(
      /jane/,
    );
  });

  it('a lock held by someone else: fails naming the holder, lock untouched; --lock-policy wait applies once it is released', async () => {
    await applyDemo();
    editFile(
      join(repo.dir, 'flows/inbound/billing-line.yaml'),
      'To pay your bill, press 1.',
      'To pay a bill, press 1.',
    ); // something to apply to the locked flow
    const billing = await flowByName('Billing Line');
    await ui.architect.postFlowsActionsCheckout(billing.id!);
    const r = await runCli(['apply', '--auto-approve'], { cwd: repo.dir, env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ failed +inboundcall "Billing Line" +locked by jane-in-architect/);
    expect((await flowByName('Billing Line')).lockedClient?.id).toBe('jane-in-architect');

    const waiting = startCli(['apply', '--auto-approve', '--lock-policy', 'wait'], { cwd: repo.dir, env: env() });
    await waiting.waitFor(/waiting for jane-in-architect to release the lock/);
    await ui.architect.postFlowsActionsUnlock(billing.id!);
    const w = await waiting.done;
    expect(w.stdout).toMatch(/✓ applied +inboundcall "Billing Line"/);
    expect(w.code).toBe(0);
    const after = await flowByName('Billing Line');
    expect(after.lockedClient).toBeUndefined();
    expect((await runCli(['plan', '--detailed-exitcode'], { cwd: repo.dir, env: env() })).code).toBe(0);
  });

  it('prune: a flow removed from the repository is deleted only with --prune, reported in JSON and markdown', async () => {
    await applyDemo();
    rmSync(join(repo.dir, 'flows/inbound/support-line.yaml'));
    const plain = await runCli(['plan'], { cwd: repo.dir, env: env() });
    expect(plain.stdout).toContain(
      '1 live flow(s) of these types are not in the repository and are left alone (use --prune to delete them): inboundcall:Support Line',
    );
    const pruning = await runCli(['plan', '--prune'], { cwd: repo.dir, env: env() });
    expect(pruning.stdout).toContain('  - delete inboundcall "Support Line"');
    const r = await runCli(['apply', '--auto-approve', '--prune', '--json', '--markdown', 'report.md'], {
      cwd: repo.dir,
      env: env(),
    });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.converged).toBe(true);
    expect(report.outcomes).toContainEqual(
      expect.objectContaining({ name: 'Support Line', action: 'delete', status: 'deleted' }),
    );
    expect(readFileSync(join(repo.dir, 'report.md'), 'utf8')).toContain(
      '| ✓ deleted | inboundcall | `Support Line` | delete |',
    );
    expect((await ui.architect.getFlows({ pageSize: 100 })).entities!.map((f) => f.name)).not.toContain('Support Line');
  });

  it('prune never deletes a module the repository still calls', async () => {
    await applyDemo();
    rmSync(join(repo.dir, 'flows/modules/tag-and-greet.yaml'));
    writeFileSync(
      join(repo.dir, 'flowops.yaml'),
      readFileSync(join(repo.dir, 'flowops.yaml'), 'utf8').replace(
        'defaultEnvironment: test',
        `defaultEnvironment: test\nexternalModules: ["${MODULE}"]`,
      ),
    );
    writeFileSync(
      join(repo.dir, 'flows/modules/other.yaml'),
      'commonModule:\n  name: Other Module\n  startUpTaskActions:\n    - endTask: {name: Exit}\n',
    );
    const r = await runCli(['plan', '--prune'], { cwd: repo.dir, env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot delete commonmodule "${MODULE}": flows in this repository still call it`);
  });
});
