/**
 * Crash: the flowops process is killed (SIGKILL: no handler runs) at a random point of an apply, for
 * several seeds. Whatever it was doing (reading files, planning, uploading, waiting for a job,
 * verifying, writing its cache), the next apply converges, a plan after it shows no changes, nothing
 * is left locked and the org's state file is complete JSON.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { makeGeneratedRepo, moduleYaml } from '../helpers/generate-org.js';
import { readState, recordFigures, runBinary, STACK_FRAME, startBinary } from './helpers.js';

const N = 60;
const MODULES = 3;
const SEEDS = (process.env.CRASH_SEEDS ?? '1,2,3,4,5,6').split(',').map(Number);
const FLOWOPS = { id: 'flowops-ci', secret: 'ci-secret' };

let repo: { dir: string; seedDir: string };
let stateFile: string;
let emulator: RunningEmulator;
const env = () => ({ GENESYS_ENV_URL: emulator.url, GENESYS_CLIENT_ID: FLOWOPS.id, GENESYS_CLIENT_SECRET: FLOWOPS.secret });

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A change to apply: one module (so its callers are republished after it) and a few callers. */
function change(round: number, random: () => number): void {
  const m = Math.floor(random() * MODULES);
  writeFileSync(join(repo.dir, `flows/module-${m}.yaml`), moduleYaml(m, `Module ${m}, round ${round}.`));
  for (let k = 0; k < 5; k++) {
    const i = Math.floor(random() * (N - MODULES));
    const file = join(repo.dir, `flows/line-${i}.yaml`);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/step 1(?: \(round \d+\))?"/, `step 1 (round ${round})"`));
  }
}

beforeAll(async () => {
  repo = makeGeneratedRepo(N, MODULES);
  // flowops' request budget is raised (as in test/cli/apply-faults.test.ts): at 300 a minute an apply
  // of 25 flows takes half a minute here; the kills, not the budget, are the story.
  appendFileSync(join(repo.dir, 'flowops.yaml'), '    requestsPerMinute: 6000\n');
  stateFile = join(repo.dir, 'org.json');
  // Jobs take 250 ms, so an apply lasts a few seconds and a kill lands inside it.
  emulator = await startEmulator({ seedDir: repo.seedDir, stateFile, clients: [FLOWOPS], rateLimitPerMinute: 6000, faults: 'jobMs=250', seedRandom: 1 });
});
afterAll(async () => emulator?.close());

describe('crash: flowops killed at a random point of an apply', () => {
  it(`the next apply converges and nothing is left locked (seeds ${SEEDS.join(', ')})`, async () => {
    // How long an apply of such a change takes here, to aim the kills inside it.
    change(0, seeded(0));
    const calibration = await runBinary(['apply', '--auto-approve'], { cwd: repo.dir, env: env(), timeoutMs: 180_000 });
    expect(calibration.code, calibration.stderr).toBe(0);
    const span = calibration.ms;

    let killed = 0;
    let killedWhileWriting = 0;
    let recovered = 0;
    let appliedByRecovery = 0;
    const phases: string[] = [];
    for (const seed of SEEDS) {
      const random = seeded(seed);
      change(seed, random);
      const at = Math.round((0.05 + 0.9 * random()) * span);
      const run = startBinary(['apply', '--auto-approve'], { cwd: repo.dir, env: env() });
      const timer = setTimeout(() => run.child.kill('SIGKILL'), at);
      const crashed = await run.done;
      clearTimeout(timer);
      if (crashed.signal === 'SIGKILL') {
        killed++;
        const progress = crashed.stderr.trim().split('\n');
        if (progress.some((l) => /: (publishing|job running|applied)/.test(l))) killedWhileWriting++;
        phases.push(`seed ${seed} at ${at} ms: ${progress.at(-1)?.replace(/^\d\d:\d\d:\d\d /, '') ?? '(nothing printed yet)'}`);
      } else {
        phases.push(`seed ${seed}: finished before the kill at ${at} ms (exit ${crashed.code})`);
      }
      readState(stateFile);

      const next = await runBinary(['apply', '--auto-approve'], { cwd: repo.dir, env: env(), timeoutMs: 180_000 });
      expect(next.stdout + next.stderr).not.toMatch(STACK_FRAME);
      expect(next.code, `seed ${seed}, killed at ${at} ms:\n${next.stdout}\n${next.stderr}`).toBe(0);
      const summary = /Apply complete: .*|No changes\..*/.exec(next.stdout)?.[0] ?? '';
      appliedByRecovery += Number(/Apply complete: (\d+) applied/.exec(summary)?.[1] ?? 0);
      phases[phases.length - 1] += ` -> next apply: ${summary}`;
      const plan = await runBinary(['plan', '--detailed-exitcode'], { cwd: repo.dir, env: env(), timeoutMs: 120_000 });
      expect(plan.code, plan.stdout).toBe(0);
      const state = readState(stateFile);
      expect(Object.values(state.flows).filter((f) => f.lockedBy !== undefined).map((f) => f.name)).toEqual([]);
      recovered++;
    }
    // eslint-disable-next-line no-console
    console.log(`crash points:\n  ${phases.join('\n  ')}`);
    expect(killed).toBeGreaterThan(0);
    recordFigures('crash', {
      seeds: SEEDS.length,
      'processes killed (SIGKILL)': killed,
      'killed while writing': killedWhileWriting,
      'next apply converged': recovered,
      'flows applied by the next apply': appliedByRecovery,
      'apply span (ms)': Math.round(span),
    });
  }, 900_000);
});
