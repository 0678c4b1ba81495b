import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { credentials, emulatorStats, login } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';
import { generateOrg, modulePath, moduleYaml } from '../../bench/generate-org.js';

const N = 100;
let emulator: RunningEmulator;
let repo: { dir: string; seedDir: string };
const env = () => credentials(emulator);

beforeAll(async () => {
  repo = generateOrg(N, 5);
  // The org's limit is raised for the test (the client keeps under it), so the faults are the story.
  appendFileSync(join(repo.dir, 'flowops.yaml'), '    requestsPerMinute: 6000\n');
  emulator = await startEmulator({
    seedDir: repo.seedDir,
    stateFile: join(repo.dir, 'org.json'),
    rateLimitPerMinute: 6000,
    faults: 'status429=0.2,status500=0.1,reset=0.05,jobFailure=0.1',
    seedRandom: 11,
  });
});
afterAll(async () => emulator?.close());

describe(`apply of ${N} flows against a misbehaving org`, () => {
  it('converges (at most one re-run), leaves nothing locked, and the next plan is empty', async () => {
    for (let m = 0; m < 5; m++)
      writeFileSync(modulePath(repo.dir, m), moduleYaml(m, { tts: `Module ${m}, new words.` }));
    const first = await runCli(['apply', '--auto-approve', '--concurrency', '8'], { cwd: repo.dir, env: env() });
    expect(first.stdout + first.stderr).not.toMatch(/^\s+at /m);
    let final = first;
    if (first.code !== 0)
      final = await runCli(['apply', '--auto-approve', '--concurrency', '8'], { cwd: repo.dir, env: env() });
    expect(final.stdout).toMatch(/Apply complete: \d+ applied|No changes\./);
    expect(final.code).toBe(0);
    const stats = await emulatorStats(emulator);
    expect(Object.values(stats.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(20);

    // The same org, faults off, to look at it: no test assertion should depend on a lucky read.
    await emulator.close();
    emulator = await startEmulator({ stateFile: join(repo.dir, 'org.json'), rateLimitPerMinute: 6000 });
    const session = await login(emulator);
    const flows = (await session.architect.getFlows({ pageSize: 500 })).entities ?? [];
    expect(flows).toHaveLength(N);
    expect(flows.filter((f) => f.lockedClient || f.lockedUser)).toEqual([]);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: repo.dir, env: env() });
    expect(plan.stdout).toContain(`Plan: 0 to create, 0 to update, 0 to republish, 0 to delete, ${N} unchanged.`);
    expect(plan.code).toBe(0);
  }, 300_000);
});
