/**
 * Crash: the flowops process is killed (SIGKILL: no handler runs) at a random point of an apply, for
 * several seeds. Whatever it was doing (reading files, planning, uploading, waiting for a job,
 * verifying, writing its cache), the next apply converges, a plan after it shows no changes, nothing
 * is left locked and the org's state file is complete JSON.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../src/emulator/faults.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { EmulatorState } from '../../src/emulator/state-store.js';
import { credentials, login } from '../helpers/emulator.js';
import { callerPath, generateOrg, modulePath, moduleYaml } from '../../bench/generate-org.js';
import { budgetedOrg, readState, recordFigures, runBinary, STACK_FRAME, startBinary } from './helpers.js';

const N = 60;
const MODULES = 3;
const SEEDS = (process.env.CRASH_SEEDS ?? '1,2,3,4,5,6').split(',').map(Number);
const FLOWOPS = { id: 'flowops-ci', secret: 'ci-secret' };

let repo: { dir: string; seedDir: string };
let stateFile: string;
let emulator: RunningEmulator;
const env = () => credentials(emulator, FLOWOPS);

/** A change to apply: one module (so its callers are republished after it) and a few callers. */
function change(round: number, random: () => number): void {
  const m = Math.floor(random() * MODULES);
  writeFileSync(modulePath(repo.dir, m), moduleYaml(m, { tts: `Module ${m}, round ${round}.` }));
  for (let k = 0; k < 5; k++) {
    const i = Math.floor(random() * (N - MODULES));
    const file = callerPath(repo.dir, i);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/step 1(?: \(round \d+\))?"/, `step 1 (round ${round})"`));
  }
}

/**
 * Callers published before the current version of the module they call: Genesys snapshots a module
 * into a caller when the caller is published, so these still run the module's old version.
 */
function staleSnapshots(state: EmulatorState): string[] {
  const flows = Object.values(state.flows).filter((f) => !f.deleted);
  const publishedAt = (f: (typeof flows)[number]) =>
    f.versions.find((v) => v.id === f.publishedVersionId)?.publishedAt ?? 0;
  const modules = new Map(flows.filter((f) => f.type === 'commonmodule').map((f) => [f.name, publishedAt(f)]));
  const out: string[] = [];
  for (const f of flows) {
    const calls = f.versions.find((v) => v.id === f.publishedVersionId)?.calls ?? [];
    for (const m of calls)
      if ((modules.get(m) ?? 0) > publishedAt(f)) out.push(`${f.name} (published before ${m}'s current version)`);
  }
  return out;
}

beforeAll(async () => {
  // Jobs take 250 ms, so an apply lasts a few seconds and a kill lands inside it.
  ({ repo, stateFile, emulator } = await budgetedOrg(N, MODULES, {
    clients: [FLOWOPS],
    faults: 'jobMs=250',
    seedRandom: 1,
  }));
});
afterAll(async () => emulator?.close());

describe('crash: flowops killed at a random point of an apply', () => {
  it(`the next apply converges and nothing is left locked (seeds ${SEEDS.join(', ')})`, async () => {
    // How long an apply of such a change takes here, to aim the kills inside it.
    change(0, createRandom(0));
    const calibration = await runBinary(['apply', '--auto-approve'], { cwd: repo.dir, env: env(), timeoutMs: 180_000 });
    expect(calibration.code, calibration.stderr).toBe(0);
    const span = calibration.ms;

    let killed = 0;
    let killedWhileWriting = 0;
    let recovered = 0;
    let appliedByRecovery = 0;
    const phases: string[] = [];
    for (const seed of SEEDS) {
      const random = createRandom(seed);
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
        phases.push(
          `seed ${seed} at ${at} ms: ${progress.at(-1)?.replace(/^\d\d:\d\d:\d\d /, '') ?? '(nothing printed yet)'}`,
        );
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
      expect(
        staleSnapshots(state),
        `seed ${seed}, killed at ${at} ms (${phases.at(-1)}): callers left with the module's old version`,
      ).toEqual([]);
      const locked = Object.values(state.flows)
        .filter((f) => f.lockedBy !== undefined)
        .map((f) => `${f.name} (by ${f.lockedBy})`);
      expect(
        locked,
        `seed ${seed}, killed at ${at} ms (${phases.at(-1)}); the killed run printed:\n${crashed.stderr}\nthe next apply printed:\n${next.stdout}`,
      ).toEqual([]);
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

describe('what an interrupted apply leaves behind, the next apply finishes', () => {
  const CI = { id: 'flowops-ci', secret: 'ci-secret' };
  const JANE = { id: 'jane-in-architect', secret: 'jane-pw' };

  it('a caller whose republish failed is republished once it can be', async () => {
    const small = generateOrg(6, 1);
    const file = join(small.dir, 'org.json');
    const org = await startEmulator({
      seedDir: small.seedDir,
      stateFile: file,
      clients: [CI, JANE],
      objects: small.objectsFile,
    });
    const smallEnv = credentials(org, CI);
    try {
      const jane = await login(org, JANE.id, JANE.secret);
      const line0 = Object.values(readState(file).flows).find((f) => f.name === 'Line 0')!.id;
      // The module changes; one of its callers is locked by someone, so its republish fails.
      await jane.architect.postFlowsActionsCheckout(line0);
      writeFileSync(modulePath(small.dir, 0), moduleYaml(0, { tts: 'New words.' }));
      const first = await runBinary(['apply', '--auto-approve'], { cwd: small.dir, env: smallEnv, timeoutMs: 60_000 });
      expect(first.code).toBe(1);
      expect(first.stdout).toMatch(/failed +inboundcall "Line 0" \(republish\) +locked by jane-in-architect/);
      // The lock is released; flowops said "plan and apply again: applying converges".
      await jane.architect.postFlowsActionsUnlock(line0);
      const again = await runBinary(['apply', '--auto-approve'], { cwd: small.dir, env: smallEnv, timeoutMs: 60_000 });
      expect(again.code, again.stdout).toBe(0);
      expect(staleSnapshots(readState(file)), `the next apply printed:\n${again.stdout}`).toEqual([]);
    } finally {
      await org.close();
    }
  }, 120_000);

  it('a lock flowops took and could not release (killed between its lock and its job) does not stop the next apply, and is released', async () => {
    const small = generateOrg(3, 1);
    const file = join(small.dir, 'org.json');
    const org = await startEmulator({
      seedDir: small.seedDir,
      stateFile: file,
      clients: [CI],
      objects: small.objectsFile,
    });
    const smallEnv = credentials(org, CI);
    try {
      // What a killed apply leaves: the flow checked out by flowops' own client, never published.
      const own = await login(org, CI.id, CI.secret);
      const flows = Object.values(readState(file).flows);
      await own.architect.postFlowsActionsCheckout(flows.find((f) => f.name === 'Line 0')!.id);
      await own.architect.postFlowsActionsCheckout(flows.find((f) => f.name === 'Line 1')!.id);
      const line0 = callerPath(small.dir, 0);
      writeFileSync(line0, readFileSync(line0, 'utf8').replace('step 1"', 'step one"'));
      // Line 0 has a change to apply; Line 1 has none, and must not stay locked either.
      const next = await runBinary(['apply', '--auto-approve'], { cwd: small.dir, env: smallEnv, timeoutMs: 60_000 });
      expect(next.timedOut, `apply did not finish in 60 s:\n${next.stderr.split('\n').slice(-5).join('\n')}`).toBe(
        false,
      );
      expect(next.code, next.stdout).toBe(0);
      expect(
        Object.values(readState(file).flows)
          .filter((f) => f.lockedBy !== undefined)
          .map((f) => `${f.name} (by ${f.lockedBy})`),
      ).toEqual([]);
    } finally {
      await org.close();
    }
  }, 120_000);
});
