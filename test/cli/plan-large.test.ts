import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrg, type GeneratedOrg } from '../../bench/generate-org.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { credentials, emulatorStats } from '../helpers/emulator.js';

/**
 * A repository over the size where plan reads the org while it checks the files (some 5 MB of
 * realistic flows), and its files are checked on a worker thread.
 */
const N = 100;
let org: GeneratedOrg;
let emulator: RunningEmulator;
const env = () => credentials(emulator);
const requests = async () => (await emulatorStats(emulator)).requests;

beforeAll(async () => {
  org = generateOrg(N, 5, { seed: 11, git: true });
  expect(org.bytes).toBeGreaterThan(4 * 1024 * 1024);
  emulator = await startEmulator({ seedDir: org.seedDir });
  expect(emulator.seeded).toBe(N);
});
afterAll(async () => {
  await emulator?.close();
  if (org) rmSync(join(org.dir, '..'), { recursive: true, force: true });
});

describe('planning a large repository (its files checked on worker threads)', () => {
  it('exports only what identity cannot decide (here all: another client seeded them), each flow once, in one job', async () => {
    const before = await requests();
    const cold = await runCli(['plan', '--json'], { cwd: org.dir, env: env() });
    expect(cold.code, cold.stderr).toBe(0);
    const plan = JSON.parse(cold.stdout);
    // Seeded by another client: every flow compared by content, and equal in the normal form.
    expect(plan.summary.unchanged).toBe(N);
    expect(new Set(plan.flows.map((f: { comparedBy: string }) => f.comparedBy))).toEqual(new Set(['content']));
    expect(cold.stderr).toContain(
      `Found ${N} live flow(s); 0 published by flowops with the files' content, reading the published content of ${N}...`,
    );
    // 1 login, 1 listing page, 1 export job of 100 flows (registered, checked a few times,
    // downloaded): a second export would add three or more.
    expect((await requests()) - before).toBeLessThanOrEqual(8);
    const warm = await runCli(['plan', '--json'], { cwd: org.dir, env: env() });
    expect(JSON.parse(warm.stdout).flows).toEqual(plan.flows);
  });

  it('an invalid file is reported as usual, before anything is asked of the org', async () => {
    const file = join(org.dir, 'flows', 'inbound', 'line-0.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/^( {2}name: .*)$/m, '$1\n  name: Twice'));
    try {
      const before = await requests();
      const r = await runCli(['plan'], { cwd: org.dir, env: env() });
      expect(r.code).toBe(1);
      expect(await requests()).toBe(before);
      expect(r.stderr).toMatch(/^flows\/inbound\/line-0\.yaml:\d+:\d+: error: .*(?:unique|duplicate)/im);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    } finally {
      writeFileSync(file, text);
    }
  });
});
