import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { callerYaml, moduleYaml } from '../../bench/generate-org.js';
import { canonicalHash } from '../../src/identity/index.js';
import {
  checkFlowSources,
  desiredDocument,
  guessFlowIdentity,
  type CheckResult,
  type DocumentHash,
  type FlowSource,
} from '../../src/check/index.js';
import { blueprintsDir, blueprintSubstitutions, listYaml, readSource } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * Every worker thread the check starts, watched: what it sent back and how it ended. Without this a
 * worker script that throws goes unseen: checkInWorker then checks its files here, with the same
 * result, which is its design (a worker is a speed-up, never needed).
 */
interface WatchedWorker {
  messages: unknown[];
  errors: unknown[];
  exited: Promise<number>;
}
const workers = vi.hoisted(() => [] as WatchedWorker[]);
vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:worker_threads')>();
  class Watched extends real.Worker {
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      super(...args);
      const watched: WatchedWorker = {
        messages: [],
        errors: [],
        exited: new Promise<number>((resolve) => this.once('exit', resolve)),
      };
      this.on('message', (message: unknown) => watched.messages.push(message));
      this.on('error', (error: unknown) => watched.errors.push(error));
      workers.push(watched);
    }
  }
  return { ...real, Worker: Watched, default: { ...real, Worker: Watched } };
});

/** The workers started since the last look (as many as checkInWorker said): each ran its script to the end and sent its results back. */
async function expectWorkersSucceeded(count: number): Promise<void> {
  const started = workers.splice(0);
  expect(started).toHaveLength(count);
  for (const worker of started) {
    expect(await worker.exited, String(worker.errors[0])).toBe(0);
    expect(worker.errors).toEqual([]);
    expect(worker.messages).toHaveLength(1);
    expect(Array.isArray(worker.messages[0])).toBe(true);
  }
}
const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);

type CheckInWorker = (
  sources: readonly FlowSource[],
  options: object,
  cache?: { dir: string; secrets: readonly string[] },
  onWorkers?: (threads: number) => void,
) => Promise<CheckResult>;
// The compiled module: only there is the worker script beside it (npm test builds first).
const { checkInWorker } = (await import(join('..', '..', 'dist', 'workspace', 'check-in-worker.js'))) as {
  checkInWorker: CheckInWorker;
};

/** How many files' checks the cache in `dir` holds. */
function entriesIn(dir: string): number {
  return Object.keys((JSON.parse(readFileSync(join(dir, 'checks-v1.json'), 'utf8')) as { entries: object }).entries)
    .length;
}

/** Some 6 MiB of generated flows (over the size where workers start), one caller broken on purpose. */
function bigRepository(): FlowSource[] {
  const sources: FlowSource[] = [];
  for (let m = 0; m < 6; m++) sources.push({ path: `modules/module-${m}.yaml`, text: moduleYaml(m, { seed: 3 }) });
  for (let i = 0; sources.reduce((n, s) => n + s.text.length, 0) < 6 * 1024 * 1024; i++)
    sources.push({ path: `inbound/line-${i}.yaml`, text: callerYaml(i, i % 6, { seed: 3 }) });
  sources.push({ path: 'inbound/broken.yaml', text: callerYaml(9999, 99, { seed: 3 }) }); // calls a module nobody has
  return sources;
}

describe('checkInWorker: the same result as the check in one thread, the files checked on worker threads', () => {
  it('gives exactly the in-thread result, diagnostics included, and the workers fill the check cache', async () => {
    const sources = bigRepository();
    const dir = tempDir({}, 'flowops-worker-check-');
    const expected = checkFlowSources(sources);
    expect(expected.diagnostics.some((d) => d.code === 'unknown-module' && d.file === 'inbound/broken.yaml')).toBe(
      true,
    );
    const threads: number[] = [];
    const result = await checkInWorker(sources, {}, { dir, secrets: [] }, (n) => threads.push(n));
    expect(result).toEqual(expected);
    if (availableParallelism() >= 2) expect(threads[0]).toBeGreaterThanOrEqual(1);
    await expectWorkersSucceeded(sum(threads));
    // Every file's result is in the cache (written by the workers and by this thread) once the check answers.
    expect(entriesIn(dir)).toBe(sources.length);
    // A second run answers from the cache alike, without workers (nothing is left to check).
    const again: number[] = [];
    expect(await checkInWorker(sources, {}, { dir, secrets: [] }, (n) => again.push(n))).toEqual(expected);
    expect(again).toEqual([]);
    await expectWorkersSucceeded(0);
  });

  it('with the canonical hash: the flows the workers checked carry it, as in one thread; a few changed files are checked here', async () => {
    const { CANONICAL_HASH } = (await import(join('..', '..', 'dist', 'identity', 'index.js'))) as {
      CANONICAL_HASH: DocumentHash;
    };
    const sources = bigRepository();
    const dir = tempDir({}, 'flowops-worker-check-');
    const options = { documentHash: CANONICAL_HASH };
    const threads: number[] = [];
    const result = await checkInWorker(sources, options, { dir, secrets: [] }, (n) => threads.push(n));
    expect(result).toEqual(checkFlowSources(sources, options));
    expect(result.flows.every((f) => f.hash === canonicalHash(desiredDocument(f)))).toBe(true);
    if (availableParallelism() >= 2) expect(threads).toHaveLength(1);
    await expectWorkersSucceeded(sum(threads));
    // One entry a file: what the workers wrote is what this thread looked for (same key, hash included).
    expect(entriesIn(dir)).toBe(sources.length);
    // Three files changed since: checked here, the rest read from the cache.
    const edited = sources.map((s, i) =>
      i % 40 === 7 ? { ...s, text: s.text.replace('tts: "', 'tts: "Edited. ') } : s,
    );
    expect(edited.filter((s, i) => s.text !== sources[i]!.text).length).toBeGreaterThan(2);
    const again = await checkInWorker(edited, options, { dir, secrets: [] }, (n) => threads.push(n));
    expect(again).toEqual(checkFlowSources(edited, options));
    if (availableParallelism() >= 2) expect(threads).toHaveLength(1);
    await expectWorkersSucceeded(0);
  });

  it('runs the house rules with each file on the workers too, plugins imported there: the result of one thread', async () => {
    // A plugin reporting every tenth line, and calls-module wanting module 0 first: most lines call another.
    const dir = tempDir({
      'rules/tenth.mjs': `export default {rules: [{id: 'tenth-line', description: 'x', check(flow, ctx) {
        if (/0$/.test(flow.name)) ctx.report(['inboundCall', 'name'], 'a tenth line');
      }}]};\n`,
    });
    const at = { line: 1, col: 1 };
    const spec = {
      configPath: 'flowops.yaml',
      projectDir: dir,
      section: {
        at,
        plugins: [{ path: './rules/tenth.mjs', at }],
        settings: [
          { id: 'tenth-line', severity: 'warn', options: {}, at },
          { id: 'calls-module', severity: 'error', options: { module: 'Module 000 - Shared Step', first: true }, at },
        ],
      },
    };
    const dist = (file: string) => join('..', '..', 'dist', 'workspace', file);
    const { loadRules } = (await import(dist('load-rules.js'))) as {
      loadRules: (s: typeof spec) => Promise<{ rules: object }>;
    };
    const { checkCached } = (await import(dist('check-cache.js'))) as {
      checkCached: (sources: readonly FlowSource[], options: object) => CheckResult;
    };
    const loaded = await loadRules(spec);
    const sources = bigRepository();
    const expected = checkCached(sources, { rules: loaded.rules });
    const ruled = expected.diagnostics.filter((d) => d.rule !== undefined);
    expect(ruled.filter((d) => d.rule === 'tenth-line').length).toBeGreaterThan(5);
    expect(ruled.filter((d) => d.rule === 'calls-module').length).toBeGreaterThan(5);
    const threads: number[] = [];
    const cache = tempDir({}, 'flowops-worker-check-');
    const result = await checkInWorker(sources, { rules: loaded }, { dir: cache, secrets: [] }, (n) => threads.push(n));
    expect(result).toEqual(expected);
    await expectWorkersSucceeded(sum(threads));
    if (availableParallelism() >= 2) expect(threads[0]).toBeGreaterThanOrEqual(1);
    expect(entriesIn(cache)).toBe(sources.length);
  });

  it('a small repository is checked here, without workers', async () => {
    const sources = [
      { path: 'm.yaml', text: moduleYaml(0, { seed: 1 }) },
      { path: 'l.yaml', text: callerYaml(0, 0, { seed: 1 }) },
    ];
    const dir = tempDir({}, 'flowops-worker-check-');
    const threads: number[] = [];
    expect(await checkInWorker(sources, {}, { dir, secrets: [] }, (n) => threads.push(n))).toEqual(
      checkFlowSources(sources),
    );
    expect(threads).toEqual([]);
    await expectWorkersSucceeded(0);
  });
});

describe('guessFlowIdentity: the flow a file describes, from two lines', () => {
  it('matches the checked type and name of every blueprint and generated flow', () => {
    const sources = [
      ...listYaml(blueprintsDir).map((f) => readSource(blueprintsDir, f)),
      ...Array.from({ length: 5 }, (_, i) => ({ path: `l${i}.yaml`, text: callerYaml(i, 0, { seed: 1 }) })),
      { path: 'm.yaml', text: moduleYaml(0, { seed: 1 }) },
    ];
    const check = checkFlowSources(sources, { substitutions: blueprintSubstitutions });
    expect(check.flows.length).toBe(sources.length);
    for (const flow of check.flows) {
      const source = sources.find((s) => s.path === flow.path)!;
      expect(guessFlowIdentity(source.text, blueprintSubstitutions), flow.path).toEqual({
        type: flow.type,
        name: flow.name,
      });
    }
  });

  it('says nothing rather than guess wrong on what it cannot read', () => {
    expect(guessFlowIdentity('nonsense: 1\n')).toBeUndefined();
    expect(guessFlowIdentity('inboundCall:\n  description: no name\n')).toBeUndefined();
    expect(guessFlowIdentity('inboundCall:\n  name: "{{flow_name}}"\n', { flow_name: 'Main Line' })).toEqual({
      type: 'inboundcall',
      name: 'Main Line',
    });
  });
});
