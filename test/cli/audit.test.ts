import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAuditNote } from '../../src/plan/audit-note.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { login, runJob } from '../emulator/helpers.js';
import { runCli } from '../helpers/cli.js';
import { editFile, makeDemoRepo, substituteDemo } from '../helpers/demo-org.js';

let emulator: RunningEmulator;
let repo: { dir: string; seedDir: string };
let sha: string;
const env = () => ({ GENESYS_ENV_URL: emulator.url, GENESYS_CLIENT_ID: 'flowops-ci', GENESYS_CLIENT_SECRET: 'ci', FLOWOPS_PR_NUMBER: '42' });

beforeAll(async () => {
  repo = makeDemoRepo();
  const git = simpleGit({ baseDir: repo.dir });
  await git.init();
  await git.addConfig('user.email', 'ci@example.com').addConfig('user.name', 'CI');
  await git.add('.').commit('flows');
  sha = (await git.revparse(['HEAD'])).trim();
  emulator = await startEmulator({ clients: [{ id: 'flowops-ci', secret: 'ci' }, { id: 'jane', secret: 'pw' }] });
});
afterAll(async () => emulator?.close());

describe('audit: every version names its commit and pull request; drift reads it back from git', () => {
  it('apply writes [flowops <sha> PR #42] into each version and the report', async () => {
    const r = await runCli(['apply', '--auto-approve', '--json'], { cwd: repo.dir, env: env() });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ gitCommit: sha, pullRequest: 42, converged: true });
    const session = await login(emulator, 'jane', 'pw');
    const flows = (await session.architect.getFlows({ pageSize: 100 })).entities!;
    expect(flows).toHaveLength(4);
    for (const f of flows) expect(f.description).toContain(`[flowops ${sha} PR #42]`);
  });

  it('drift: in sync after the apply; a later commit not yet applied is pending, not drift; an edit in the UI is drift', async () => {
    expect((await runCli(['drift'], { cwd: repo.dir, env: env() })).code).toBe(0);

    editFile(join(repo.dir, 'flows/inbound/main-line.yaml'), 'For sales, press 1.', 'For sales, press one.');
    await simpleGit({ baseDir: repo.dir }).add('.').commit('main line wording');
    const pending = await runCli(['drift'], { cwd: repo.dir, env: env() });
    expect(pending.code).toBe(0);
    expect(pending.stdout).toContain('1 flow(s) changed in git since they were applied (not drift): inboundcall:Main Line');

    const jane = await login(emulator, 'jane', 'pw');
    // An edit in the Architect UI keeps the flow's description, audit note included.
    const applied = withAuditNote(substituteDemo(readFileSync(join(repo.dir, 'flows/inbound/billing-line.yaml'), 'utf8')), sha, 42);
    const edited = applied.replace('Billing team', 'Billing desk');
    expect((await runJob(jane.architect, edited)).status).toBe('Success');
    const drift = await runCli(['drift'], { cwd: repo.dir, env: env() });
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(new RegExp(`! inboundcall "Billing Line": version 2\\.0 published by jane at .* differs from what flowops applied from commit ${sha.slice(0, 12)}`));
    expect(drift.stdout).toContain('~ menu "Billing Menu" > choice "Billing desk" (menuTransferToAcd) > name: "Billing team" -> "Billing desk"');
    expect(drift.stdout).not.toContain('! inboundcall "Main Line"');
    expect(drift.stdout).toContain('(not drift): inboundcall:Main Line');
  });
});
