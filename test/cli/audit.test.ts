import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { credentials, emulatorForTest, login, runJob } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';
import { demoObjectsFile, editFile, makeDemoRepo, substituteDemo } from '../helpers/demo-org.js';

let emulator: RunningEmulator;
let repo: { dir: string; seedDir: string };
let sha: string;
const CI = { id: 'flowops-ci', secret: 'ci' };
const env = () => ({ ...credentials(emulator, CI), FLOWOPS_PR_NUMBER: '42' });

// Each test its own repository (one commit) and an empty org.
beforeEach(async () => {
  repo = makeDemoRepo();
  const git = simpleGit({ baseDir: repo.dir });
  await git.init();
  await git.addConfig('user.email', 'ci@example.com').addConfig('user.name', 'CI');
  await git.add('.').commit('flows');
  sha = (await git.revparse(['HEAD'])).trim();
  emulator = await emulatorForTest({ clients: [CI, { id: 'jane', secret: 'pw' }], objects: demoObjectsFile });
});

describe("audit: every version names its commit, pull request and content; drift knows flowops' own versions", () => {
  it('apply writes [flowops <sha> PR #42 f1:<fingerprint>] into each version and the report', async () => {
    const r = await runCli(['apply', '--auto-approve', '--json'], { cwd: repo.dir, env: env() });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ gitCommit: sha, pullRequest: 42, converged: true });
    const session = await login(emulator, 'jane', 'pw');
    const flows = (await session.architect.getFlows({ pageSize: 100 })).entities!;
    expect(flows).toHaveLength(4);
    for (const f of flows) {
      expect(f.description).toMatch(new RegExp(`\\[flowops ${sha} PR #42 f1:[A-Za-z0-9_-]{22}\\]$`));
      expect(f.publishedVersion?.createdByClient?.id).toBe('flowops-ci');
    }
    const plan = await runCli(['plan', '--json'], { cwd: repo.dir, env: env() });
    expect(JSON.parse(plan.stdout).flows.map((f: { comparedBy: string }) => f.comparedBy)).toEqual([
      'identity',
      'identity',
      'identity',
      'identity',
    ]);
  });

  it('drift: in sync after the apply; a later commit not yet applied is pending, not drift; an edit in the UI is drift', async () => {
    expect((await runCli(['apply', '--auto-approve'], { cwd: repo.dir, env: env() })).code).toBe(0);
    expect((await runCli(['drift'], { cwd: repo.dir, env: env() })).code).toBe(0);

    editFile(join(repo.dir, 'flows/inbound/main-line.yaml'), 'For sales, press 1.', 'For sales, press one.');
    await simpleGit({ baseDir: repo.dir }).add('.').commit('main line wording');
    const pending = await runCli(['drift'], { cwd: repo.dir, env: env() });
    expect(pending.code).toBe(0);
    expect(pending.stdout).toContain(
      '1 flow(s) changed in git since they were applied (not drift): inboundcall:Main Line',
    );

    const jane = await login(emulator, 'jane', 'pw');
    // Someone else publishes an edit with a copy of flowops' note (a UI publish keeps the flow's
    // description): the note proves nothing, the version's creator does.
    const billing = (await jane.architect.getFlows({ type: ['inboundcall'], name: 'Billing Line' })).entities![0]!;
    const note = /\[flowops [^\]]*\]$/.exec(billing.description ?? '')![0];
    const edited = substituteDemo(readFileSync(join(repo.dir, 'flows/inbound/billing-line.yaml'), 'utf8'))
      .replace(
        /^( {2}description: ).*$/m,
        `$1${JSON.stringify(`${billing.description!.replace(note, '').trim()} ${note}`)}`,
      )
      .replace('Billing team', 'Billing desk');
    expect((await runJob(jane.architect, edited)).status).toBe('Success');
    const drift = await runCli(['drift'], { cwd: repo.dir, env: env() });
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(
      new RegExp(
        `! inboundcall "Billing Line": version 2\\.0 published by jane at .* differs from flowops' version 1\\.0 \\(.*\\), applied from commit ${sha.slice(0, 12)}`,
      ),
    );
    expect(drift.stdout).toContain(
      '~ menu "Billing Menu" > choice "Billing desk" (menuTransferToAcd) > name: "Billing team" -> "Billing desk"',
    );
    expect(drift.stdout).not.toContain('! inboundcall "Main Line"');
    expect(drift.stdout).toContain('(not drift): inboundcall:Main Line');
  });
});
