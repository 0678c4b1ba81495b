/**
 * Shared by the reliability suite: running the real binary with a time bound, reading the emulator's
 * state file (the ground truth, read without going through the faults), and the figures each test
 * reports, printed together at the end of the run (see figures-setup.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendFileSync } from 'node:fs';
import { generateOrg } from '../../bench/generate-org.js';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import type { EmulatorState } from '../../src/emulator/state-store.js';
import { cliPath } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';

export interface TimedResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

/** The binary, without a TTY, killed (and marked timed out) after `timeoutMs`. */
export function runBinary(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs: number },
): Promise<TimedResult> {
  const { child, done } = startBinary(args, options);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  return done.then((r) => {
    clearTimeout(timer);
    return { ...r, timedOut };
  });
}

export function startBinary(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined> },
): { child: ChildProcess; done: Promise<Omit<TimedResult, 'timedOut'>> } {
  const started = performance.now();
  const env = { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', ...options.env };
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: options.cwd,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Omit<TimedResult, 'timedOut'>>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: performance.now() - started }));
  });
  return { child, done };
}

/** The emulator's state file, parsed: throws when it is not one complete JSON document. */
export function readState(file: string): EmulatorState {
  return JSON.parse(readFileSync(file, 'utf8')) as EmulatorState;
}

export function flowsByName(state: EmulatorState): Map<string, EmulatorState['flows'][string]> {
  return new Map(
    Object.values(state.flows)
      .filter((f) => !f.deleted)
      .map((f) => [f.name, f]),
  );
}

/** "API request(s), N retried." lines of flowops' stderr, summed. */
export function retriesOf(stderr: string): { requests: number; retried: number } {
  let requests = 0;
  let retried = 0;
  for (const m of stderr.matchAll(/(\d+) API request\(s\)(?:, (\d+) retried)?/g)) {
    requests += Number(m[1]);
    retried += Number(m[2] ?? 0);
  }
  return { requests, retried };
}

/** A line that looks like a JavaScript stack frame: flowops must never print one without --debug. */
export const STACK_FRAME = /^\s+at .+(\(.*:\d+:\d+\)|:\d+:\d+)$/m;

/**
 * Figures a test wants quoted at the end of the run. Written as JSON into the folder the suite's
 * global setup names (FLOWOPS_RELIABILITY_FIGURES); printed by its teardown. Also logged here.
 */
export function recordFigures(name: string, figures: Record<string, number | string>): void {
  const dir = process.env.FLOWOPS_RELIABILITY_FIGURES;
  // eslint-disable-next-line no-console
  console.log(
    `${name}: ${Object.entries(figures)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  if (!dir) return;
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name.replace(/[^a-z0-9-]/gi, '_')}.json`), JSON.stringify({ name, figures }));
}

export { repoRoot };

/**
 * A generated org of `flows` flows (`modules` modules) behind an emulator that keeps its state in
 * the repository's `org.json`, with flowops' request budget and the org's limit raised to 6000 a
 * minute: in these suites the faults, the kills and the interference are the story, not the 300 a
 * minute, which the bench measures (as test/cli/apply-faults.test.ts does).
 */
export async function budgetedOrg(
  flows: number,
  modules: number,
  options: Omit<EmulatorOptions, 'seedDir' | 'stateFile' | 'rateLimitPerMinute' | 'objects'>,
): Promise<{
  repo: { dir: string; seedDir: string; objectsFile: string };
  stateFile: string;
  emulator: RunningEmulator;
}> {
  const repo = generateOrg(flows, modules);
  appendFileSync(join(repo.dir, 'flowops.yaml'), '    requestsPerMinute: 6000\n');
  const stateFile = join(repo.dir, 'org.json');
  // With the objects its flows name: plans check them against the org.
  const emulator = await startEmulator({
    ...options,
    seedDir: repo.seedDir,
    stateFile,
    rateLimitPerMinute: 6000,
    objects: repo.objectsFile,
  });
  return { repo, stateFile, emulator };
}
