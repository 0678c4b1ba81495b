import { writeFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { credentials, emulatorForTest, emulatorStats } from '../helpers/emulator.js';
import { generateOrg, modulePath, moduleYaml } from '../../bench/generate-org.js';

const N = 300;
let emulator: RunningEmulator;
let faulty: RunningEmulator;
let repo: { dir: string; seedDir: string };
const creds = (e: RunningEmulator) => credentials(e);
const requests = async (e: RunningEmulator) => (await emulatorStats(e)).requests;

// Each test its own repository and orgs.
beforeEach(async () => {
  repo = generateOrg(N, 15);
  emulator = await emulatorForTest({ seedDir: repo.seedDir });
  // The same org behind a flaky network: throttling, server errors, dropped connections.
  faulty = await emulatorForTest({
    seedDir: repo.seedDir,
    faults: 'status429=0.2,status500=0.1,status503=0.05,reset=0.05',
    seedRandom: 7,
  });
  expect(emulator.seeded).toBe(N);
});

describe(`planning ${N} flows`, () => {
  it('costs requests by pages and export batches, not by flows; nothing at all to export the second time', async () => {
    let before = await requests(emulator);
    const cold = await runCli(['plan', '--no-cache', '--json'], { cwd: repo.dir, env: creds(emulator) });
    expect(cold.code).toBe(0);
    expect(JSON.parse(cold.stdout).summary.unchanged).toBe(N);
    const coldRequests = (await requests(emulator)) - before;
    // 1 login + 1 listing page (500 a page) + 3 export jobs of 100 (register, a poll or two each).
    expect(coldRequests).toBeGreaterThanOrEqual(5);
    expect(coldRequests).toBeLessThanOrEqual(15);

    await runCli(['plan'], { cwd: repo.dir, env: creds(emulator) }); // fills the cache
    before = await requests(emulator);
    const warm = await runCli(['plan', '--detailed-exitcode'], { cwd: repo.dir, env: creds(emulator) });
    expect(warm.code).toBe(0);
    expect((await requests(emulator)) - before).toBe(2); // login + listing
  });

  it('faults (429, 5xx, resets) give the same plan as a healthy org', async () => {
    writeFileSync(modulePath(repo.dir, 3), moduleYaml(3, { tts: 'A new greeting.' }));
    const healthy = await runCli(['plan', '--no-cache', '--json'], { cwd: repo.dir, env: creds(emulator) });
    const flaky = await runCli(['plan', '--no-cache', '--json'], { cwd: repo.dir, env: creds(faulty) });
    expect(flaky.code).toBe(0);
    const strip = (out: string) => {
      const plan = JSON.parse(out);
      return plan.flows.map((f: Record<string, unknown>) => ({
        ...f,
        liveFlowId: undefined,
        livePublishedVersion: undefined,
      }));
    };
    expect(strip(flaky.stdout)).toEqual(strip(healthy.stdout));
    expect(JSON.parse(healthy.stdout).summary).toEqual({
      create: 0,
      update: 1,
      republish: 19,
      delete: 0,
      unchanged: N - 20,
    });
  });
});
