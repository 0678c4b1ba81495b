/**
 * Bad input fuzzing: thousands of generated inputs (fuzz-inputs.ts) through `flowops validate` and
 * `flowops plan` (against a healthy emulator). Most run in-process, in a worker thread, through the
 * built CLI's own command functions (fuzz-worker.mjs); a sample of 50 through the real binary. Every
 * run must end with exit 0 or 1, never a crash or a stack trace; an exit 1 says where, as
 * `file:line:col: error: ...` inside the file it names; and every run ends within its time bound,
 * enforced by terminating the worker (or killing the process).
 *
 * Replay: FUZZ_SEED=<seed> (printed), FUZZ_CASES=<n>, FUZZ_BINARY_SAMPLE=<n>.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { blueprintSubstitutions } from '../helpers/fixtures.js';
import { blueprints, fuzzCase, materialize, type FuzzCase, type Materialized } from './fuzz-inputs.js';
import { recordFigures, repoRoot, runBinary, STACK_FRAME } from './helpers.js';
import { credentials } from '../helpers/emulator.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const CASES = Number(process.env.FUZZ_CASES ?? 2000);
const BINARY_SAMPLE = Math.min(Number(process.env.FUZZ_BINARY_SAMPLE ?? 50), CASES);
/** One command on one input, in-process. Typical runs take milliseconds; 8 MB files take seconds. */
const IN_PROCESS_BOUND_MS = 20_000;
/** One command through the binary, a Node start included. */
const BINARY_BOUND_MS = 60_000;
const CLIENT = { id: 'fuzz-client', secret: 'fuzz-secret' };

interface Run {
  code: number | null;
  output: string;
  crash?: string;
  ms: number;
  timedOut: boolean;
}

/** One worker thread running commands one after the other; replaced when it overruns or dies. */
class InProcessCli {
  private worker!: Worker;
  private ready!: Promise<void>;
  private next = 0;
  restarts = 0;

  constructor(private readonly data: { dist: string; env: Record<string, string> }) {
    this.spawn();
  }

  private spawn(): void {
    this.worker = new Worker(new URL('./fuzz-worker.mjs', import.meta.url), {
      workerData: this.data,
      resourceLimits: { maxOldGenerationSizeMb: 2048 },
    });
    this.ready = new Promise((ok) => this.worker.once('message', () => ok()));
  }

  async run(command: 'validate' | 'plan', config: string): Promise<Run> {
    await this.ready;
    const id = ++this.next;
    const worker = this.worker;
    return new Promise<Run>((done) => {
      const started = performance.now();
      const finish = (run: Run, replace: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (replace) {
          this.restarts++;
          void worker.terminate();
          this.spawn();
        }
        done(run);
      };
      const onMessage = (m: { id?: number } & Omit<Run, 'timedOut'>) => {
        if (m.id === id)
          finish(
            { code: m.code, output: m.output, ...(m.crash ? { crash: m.crash } : {}), ms: m.ms, timedOut: false },
            false,
          );
      };
      const onError = (error: Error) =>
        finish(
          {
            code: null,
            output: '',
            crash: `worker died: ${error.stack ?? error.message}`,
            ms: performance.now() - started,
            timedOut: false,
          },
          true,
        );
      const onExit = (code: number) =>
        finish(
          { code: null, output: '', crash: `worker exited ${code}`, ms: performance.now() - started, timedOut: false },
          true,
        );
      const timer = setTimeout(
        () => finish({ code: null, output: '', ms: performance.now() - started, timedOut: true }, true),
        IN_PROCESS_BOUND_MS,
      );
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, command, config });
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

const DIAGNOSTIC = /^(.+?):(\d+):(\d+): (error|warning): (.*)$/;

function lineCount(content: string | Buffer): number {
  const text = typeof content === 'string' ? content : content.toString('latin1');
  return text.split('\n').length;
}

/** What is wrong with one run, if anything. `base` is the folder paths in messages are relative to. */
function problemsOf(run: Run, files: Map<string, string | Buffer>, base: string, boundMs: number): string[] {
  const problems: string[] = [];
  if (run.timedOut) return [`no answer within ${boundMs} ms`];
  if (run.crash) problems.push(`crash: ${run.crash.split('\n').slice(0, 3).join(' | ')}`);
  if (run.code !== 0 && run.code !== 1) problems.push(`exit ${run.code}`);
  if (STACK_FRAME.test(run.output)) problems.push('a stack trace in the output');
  if (/internal error/.test(run.output)) problems.push('an internal error in the output');
  const diagnostics = run.output
    .split('\n')
    .map((l) => DIAGNOSTIC.exec(l))
    .filter((m) => m !== null);
  if (run.code === 1 && !diagnostics.some((d) => d[4] === 'error'))
    problems.push(`exit 1 without a file:line:col error: ${run.output.trim().split('\n').slice(-2).join(' | ')}`);
  for (const d of diagnostics) {
    const content = files.get(resolve(base, d[1]!));
    if (content === undefined) continue;
    const line = Number(d[2]);
    const col = Number(d[3]);
    if (line < 1 || line > lineCount(content) || col < 1)
      problems.push(`position ${d[1]}:${line}:${col} outside the file (${lineCount(content)} lines)`);
  }
  return problems;
}

function writeCase(dir: string, m: Materialized): Map<string, string | Buffer> {
  const files = new Map<string, string | Buffer>();
  mkdirSync(join(dir, 'flows'), { recursive: true });
  writeFileSync(join(dir, 'flowops.yaml'), m.config);
  files.set(join(dir, 'flowops.yaml'), m.config);
  for (const [name, content] of Object.entries(m.flows)) {
    const path = join(dir, 'flows', name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    files.set(path, content);
  }
  return files;
}

let emulator: RunningEmulator;
let work: string;
const clis: InProcessCli[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'flowops-fuzz-'));
  // The org holds the blueprints as published, so a mutated blueprint that is still valid is planned
  // as an update: its diff and rendering meet whatever the mutation put in.
  const seedDir = join(work, 'seed');
  mkdirSync(seedDir);
  blueprints.forEach((text, i) =>
    writeFileSync(
      join(seedDir, `blueprint-${i}.yaml`),
      text.replace(/\{\{\s*(\w+)\s*\}\}/g, (all, key: string) => blueprintSubstitutions[key] ?? all),
    ),
  );
  emulator = await startEmulator({ rateLimitPerMinute: 0, clients: [CLIENT], seedDir });
  const data = {
    dist: pathToFileURL(join(repoRoot, 'dist/')).href,
    env: { ...credentials(emulator, CLIENT), NO_COLOR: '1', GITHUB_ACTIONS: '' },
  };
  clis.push(new InProcessCli(data), new InProcessCli(data));
});
afterAll(async () => {
  await Promise.all(clis.map((c) => c.close()));
  await emulator?.close();
  rmSync(work, { recursive: true, force: true });
});

describe(`bad input fuzzing (seed ${SEED}, ${CASES} inputs)`, () => {
  it('validate and plan answer every input with exit 0 or 1, a file:line:col message, no crash, in time', async () => {
    const cases: FuzzCase[] = fc.sample(fuzzCase, { numRuns: CASES, seed: SEED });
    const problems: string[] = [];
    const byKind = new Map<string, number>();
    const exits = { 0: 0, 1: 0 } as Record<string, number>;
    let crashes = 0;
    let hangs = 0;
    let slowest = { ms: 0, label: '' };
    const sample = new Set(Array.from({ length: BINARY_SAMPLE }, (_, k) => Math.floor((k * CASES) / BINARY_SAMPLE)));

    // In-process: two workers take the cases in turn.
    let nextCase = 0;
    await Promise.all(
      clis.map(async (cli) => {
        for (let i = nextCase++; i < cases.length; i = nextCase++) {
          const c = cases[i]!;
          byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
          const dir = join(work, `case-${i}`);
          const files = writeCase(dir, materialize(c));
          for (const command of ['validate', 'plan'] as const) {
            const run = await cli.run(command, join(dir, 'flowops.yaml'));
            if (run.crash) crashes++;
            if (run.timedOut) hangs++;
            if (run.code === 0 || run.code === 1) exits[String(run.code)]!++;
            if (run.ms > slowest.ms) slowest = { ms: run.ms, label: `${command} of case ${i} (${c.kind})` };
            for (const p of problemsOf(run, files, repoRoot, IN_PROCESS_BOUND_MS))
              problems.push(`case ${i} (${c.kind}), ${command}, in-process: ${p}`);
          }
          if (!sample.has(i)) rmSync(dir, { recursive: true, force: true });
        }
      }),
    );

    // The real binary, on a sample spread over the cases (two at a time).
    const sampled = [...sample].sort((a, b) => a - b);
    let binaryRuns = 0;
    let slowestBinary = 0;
    let nextSample = 0;
    await Promise.all(
      [0, 1].map(async () => {
        for (let k = nextSample++; k < sampled.length; k = nextSample++) {
          const i = sampled[k]!;
          const dir = join(work, `case-${i}`);
          const files = writeCase(dir, materialize(cases[i]!));
          for (const command of ['validate', 'plan'] as const) {
            const r = await runBinary([command], {
              cwd: dir,
              env: credentials(emulator, CLIENT),
              timeoutMs: BINARY_BOUND_MS,
            });
            binaryRuns++;
            slowestBinary = Math.max(slowestBinary, r.ms);
            const run: Run = { code: r.code, output: r.stdout + r.stderr, ms: r.ms, timedOut: r.timedOut };
            if (r.signal && !r.timedOut) run.crash = `killed by ${r.signal}`;
            if (run.crash) crashes++;
            if (run.timedOut) hangs++;
            for (const p of problemsOf(run, files, dir, BINARY_BOUND_MS))
              problems.push(`case ${i} (${cases[i]!.kind}), ${command}, binary: ${p}`);
          }
          rmSync(dir, { recursive: true, force: true });
        }
      }),
    );

    recordFigures('fuzz', {
      seed: SEED,
      'fuzz cases': cases.length,
      'in-process runs (validate + plan)': cases.length * 2,
      'binary runs': binaryRuns,
      'by kind': [...byKind]
        .sort()
        .map(([k, n]) => `${k} ${n}`)
        .join(' / '),
      'exit 0 / exit 1': `${exits['0']} / ${exits['1']}`,
      crashes,
      'over the time bound': hangs,
      'slowest in-process run': `${Math.round(slowest.ms)} ms, ${slowest.label}`,
      'slowest binary run': `${Math.round(slowestBinary)} ms`,
      'workers replaced': clis.reduce((n, c) => n + c.restarts, 0),
    });
    expect(problems.slice(0, 20), `${problems.length} problem(s); replay with FUZZ_SEED=${SEED}`).toEqual([]);
  }, 900_000);
});
