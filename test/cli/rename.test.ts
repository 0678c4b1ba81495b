/**
 * A flow keeps its identity (issue 13, part 1), through the real CLI binary against the emulator, with
 * the official SDK as a second client.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { credentials, emulatorForTest, login, runJob } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';
import { demoObjectsFile, editFile, makeDemoRepo } from '../helpers/demo-org.js';

const CI = { id: 'flowops-ci', secret: 'ci-secret' };
const clients = [CI, { id: 'jane', secret: 'pw' }];
/** The test's org (emulatorForTest closes it when the test finishes; a restart closes it first). */
let emulator: RunningEmulator | undefined;
const env = () => credentials(emulator!, CI);

async function setUp(seeded = false) {
  const repo = makeDemoRepo();
  writeFileSync(join(repo.dir, '.gitignore'), '.flowops/\n*.json\n');
  const git = simpleGit({ baseDir: repo.dir });
  await git.init();
  await git.addConfig('user.email', 'ci@example.com').addConfig('user.name', 'CI');
  await git.add('.').commit('flows');
  emulator = await emulatorForTest({ clients, objects: demoObjectsFile, ...(seeded ? { seedDir: repo.seedDir } : {}) });
  if (!seeded) expect((await runCli(['apply', '--auto-approve'], { cwd: repo.dir, env: env() })).code).toBe(0);
  const jane = await login(emulator, 'jane', 'pw');
  const inbound = async () => (await jane.architect.getFlows({ type: ['inboundcall'], pageSize: 100 })).entities!;
  return { repo, git, jane, inbound };
}

describe('a flow keeps its identity', () => {
  it('a name changed in a committed file is a rename: the flow keeps its id and takes the new name, no new flow', async () => {
    const { repo, git, jane, inbound } = await setUp();
    const before = (await inbound()).find((f) => f.name === 'Main Line')!;
    const ivr = await jane.architect.postArchitectIvrs({
      name: 'Main number',
      dnis: ['+13175550100'],
      openHoursFlow: { id: before.id! },
    });
    editFile(join(repo.dir, 'flows/inbound/main-line.yaml'), '  name: Main Line\n', '  name: Main Line (24/7)\n');
    await git.mv('flows/inbound/main-line.yaml', 'flows/inbound/main-line-247.yaml');
    await git.add('.').commit('rename the main line');

    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: repo.dir, env: env() });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain('~ rename inboundcall "Main Line" -> "Main Line (24/7)"');
    expect(plan.stdout).toContain(
      'Plan: 0 to create, 1 to rename, 0 to update, 0 to republish, 0 to delete, 3 unchanged.',
    );
    const json = JSON.parse((await runCli(['plan', '--json'], { cwd: repo.dir, env: env() })).stdout);
    expect(json.flows.find((f: { action: string }) => f.action === 'rename')).toMatchObject({
      name: 'Main Line (24/7)',
      renamedFrom: 'Main Line',
      liveFlowId: before.id,
    });
    const markdown = join(repo.dir, 'plan.md');
    await runCli(['plan', '--markdown', markdown], { cwd: repo.dir, env: env() });

    const applied = await runCli(['apply', '--auto-approve'], { cwd: repo.dir, env: env() });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const after = await inbound();
    expect(after).toHaveLength(3);
    expect(after.find((f) => f.id === before.id)?.name).toBe('Main Line (24/7)');
    // The phone number still reaches the flow: the IVR routes by id.
    expect((await jane.architect.getArchitectIvr(ivr.id!)).openHoursFlow?.id).toBe(before.id);
    expect((await runCli(['plan', '--detailed-exitcode'], { cwd: repo.dir, env: env() })).code).toBe(0);
  });

  it('a name changed only in case is a rename too (Genesys matches names regardless of case), not a create refused for ever', async () => {
    const { repo, inbound } = await setUp();
    const before = (await inbound()).find((f) => f.name === 'Billing Line')!;
    editFile(join(repo.dir, 'flows/inbound/billing-line.yaml'), '  name: Billing Line\n', '  name: billing line\n');
    const plan = await runCli(['plan'], { cwd: repo.dir, env: env() });
    expect(plan.stdout).toContain('~ rename inboundcall "Billing Line" -> "billing line"');
    expect((await runCli(['apply', '--auto-approve'], { cwd: repo.dir, env: env() })).code).toBe(0);
    const after = await inbound();
    expect(after).toHaveLength(3);
    expect(after.find((f) => f.id === before.id)?.name).toBe('billing line');
  });

  it('without history (a flow flowops never applied), --rename says it; without it the new name is a new flow', async () => {
    const { repo, inbound } = await setUp(true);
    const before = (await inbound()).find((f) => f.name === 'Support Line')!;
    editFile(join(repo.dir, 'flows/inbound/support-line.yaml'), '  name: Support Line\n', '  name: Support Desk\n');
    const unsaid = await runCli(['plan'], { cwd: repo.dir, env: env() });
    expect(unsaid.stdout).toContain('+ create inboundcall "Support Desk"');
    const said = await runCli(['plan', '--rename', 'Support Line=Support Desk', '--out', 'plan.json'], {
      cwd: repo.dir,
      env: env(),
    });
    expect(said.stdout).toContain('~ rename inboundcall "Support Line" -> "Support Desk"');
    expect((await runCli(['apply', 'plan.json'], { cwd: repo.dir, env: env() })).code).toBe(0);
    expect((await inbound()).find((f) => f.id === before.id)?.name).toBe('Support Desk');
    expect(await inbound()).toHaveLength(3);
    const wrong = await runCli(['plan', '--rename', 'Nothing=Support Desk'], { cwd: repo.dir, env: env() });
    expect([wrong.code, wrong.stderr.trim().split('\n').at(-1)]).toEqual([
      1,
      'error: --rename Nothing=Support Desk: the org has no inboundcall flow named "Nothing"',
    ]);
  });

  it('a rename onto a name another live flow has is refused, naming both; nothing is written', async () => {
    const { repo, git, jane, inbound } = await setUp();
    const taken = (
      await runJob(
        jane.architect,
        'inboundCall:\n  name: Main Line (24/7)\n  startUpRef: "/inboundCall/tasks/task[t]"\n  tasks:\n    - task:\n        name: T\n        refId: t\n        actions:\n          - disconnect: {name: Bye}\n',
      )
    ).status;
    expect(taken).toBe('Success');
    editFile(join(repo.dir, 'flows/inbound/main-line.yaml'), '  name: Main Line\n', '  name: Main Line (24/7)\n');
    await git.add('.').commit('rename onto a taken name');
    const before = await inbound();
    for (const args of [['plan'], ['apply', '--auto-approve']]) {
      const r = await runCli(args, { cwd: repo.dir, env: env() });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'cannot rename inboundcall "Main Line" to "Main Line (24/7)": inboundcall "Main Line (24/7)" already has that name',
      );
      expect(r.stderr).not.toContain('internal error');
    }
    expect(await inbound()).toEqual(before);
  });
});
