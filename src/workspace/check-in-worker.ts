import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  checkFlowSources,
  type CheckOptions,
  type CheckResult,
  type FileCheckRecord,
  type FlowSource,
} from '../check/index.js';
import { CANONICAL_HASH } from '../identity/index.js';
import type { RuleSet } from '../rules/index.js';
import { cachedFileCheck, checkCache, fileCheckWithRules, fileKey, isCached } from './check-cache.js';
import type { CheckWorkerInput, CheckWorkerOutput } from './check-worker.js';
import type { LoadedRules } from './load-rules.js';

/**
 * About 4 MB of YAML (some eighty large flows): from there, checking the files takes seconds, worker
 * threads pay for their start, and plan reads the org meanwhile.
 */
export const LARGE_REPOSITORY_CHARS = 4 * 1024 * 1024;

export function isLargeRepository(sources: readonly FlowSource[]): boolean {
  return sources.reduce((n, s) => n + s.text.length, 0) >= LARGE_REPOSITORY_CHARS;
}
/** Each file's parse allocates megabytes that are garbage once its entry is made: a larger young generation collects them cheaply. */
const YOUNG_GENERATION_MB = 64;
/** Files this thread checks between two turns of the event loop (the org's answers wait meanwhile). */
const FILES_PER_TURN = 4;
/** Files this thread reads from the cache (or checks, when not shared out) between two turns. */
const FILES_PER_TURN_AFTER = 8;

/**
 * Checks the files, letting the caller's other work (reading the org) go on meanwhile. With many
 * files, a check cache and a second core, each file's own checks are shared out between worker
 * threads (one per core but this thread's, at most three) and this thread, between its turns on the
 * org: each takes the next file not yet taken (a counter shared by all), so whoever is less busy
 * checks more; the workers send their results back, into the check cache. Only the files the cache
 * lacks are shared out, and only when they are many. The check then runs here from the cache (the
 * checks across files, and each flow's document only when asked for). Whatever keeps a worker from
 * finishing, the check here does the rest: the result is the same either way.
 */
export async function checkInWorker(
  sources: readonly FlowSource[],
  checkOptions: CheckOptions & { rules?: LoadedRules },
  cache?: { dir: string; secrets: readonly string[] },
  /** Told how many worker threads check the files (none: not called). */
  onWorkers?: (threads: number) => void,
): Promise<CheckResult> {
  // The house rules run with each file's check, here and in the workers (which load them again).
  const { rules: loaded, ...options } = checkOptions;
  const rules = loaded?.rules;
  const script = new URL('./check-worker.js', import.meta.url);
  // One core stays with this thread, which reads the org meanwhile.
  const threads = Math.min(3, availableParallelism() - 1);
  // A function does not cross to another thread: the workers know the only one used (the canonical hash).
  const { documentHash, ...plain } = options;
  const store = cache ? checkCache(cache.dir, cache.secrets) : undefined;
  // A turn first: what the caller started (an early login's reads) gets going before the check
  // keeps this thread busy.
  await turn();
  // Only files the cache lacks are shared out, and only when they are many (a repository checked
  // before, or a few files changed since, is read from the cache here in a fraction of a second).
  // From the TypeScript sources (tests) there is no compiled worker script.
  const shared =
    store && threads >= 1 && (!documentHash || documentHash === CANONICAL_HASH) && existsSync(fileURLToPath(script));
  const unchecked = shared ? sources.filter((source) => !isCached(store, source, options, rules)) : [];
  if (store && isLargeRepository(unchecked)) {
    const next = new Int32Array(new SharedArrayBuffer(4));
    const data: CheckWorkerInput = {
      sources: unchecked,
      next: next.buffer as SharedArrayBuffer,
      options: plain,
      canonicalHash: documentHash === CANONICAL_HASH,
      ...(loaded ? { rules: loaded.spec } : {}),
    };
    onWorkers?.(threads);
    const workers = Array.from({ length: threads }, () => runWorker(script, data));
    let taken = 0;
    for (const _step of checkClaimedFiles(unchecked, options, next, (key, record) => store.set(key, record), rules)) {
      if (++taken % FILES_PER_TURN === 0) await turn();
    }
    for (const found of await Promise.all(workers)) store.absorb(found);
  }
  // Each file's own checks, from the cache (the workers' answers included) or worked out here, a turn
  // every few files; then the check proper, which needs them all at once.
  const fileChecks: FileCheckRecord[] = [];
  for (const source of sources) {
    fileChecks.push(
      store ? cachedFileCheck(store, source, options, rules) : fileCheckWithRules(source, options, rules),
    );
    if (fileChecks.length % FILES_PER_TURN_AFTER === 0) await turn();
  }
  const result = checkFlowSources(sources, options, fileChecks);
  store?.save();
  return result;
}

/** A turn of the event loop: what waits on it (the org's answers) goes on. */
function turn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * How the threads share the files out: each takes the next file nobody has taken (`next`, one 32-bit
 * counter shared by all), checks it and hands its answer to `keep`, until none is left. One file per
 * step, so the main thread can take turns on the org between files.
 */
export function* checkClaimedFiles(
  sources: readonly FlowSource[],
  options: CheckOptions,
  next: Int32Array,
  keep: (key: string, record: FileCheckRecord) => void,
  rules?: RuleSet,
): Generator<void, void> {
  for (let i = Atomics.add(next, 0, 1); i < sources.length; i = Atomics.add(next, 0, 1)) {
    const source = sources[i]!;
    keep(fileKey(source, options, rules), fileCheckWithRules(source, options, rules));
    yield;
  }
}

/** The cache entries the worker found; none when it stopped for any reason (never rejects). */
function runWorker(script: URL, data: CheckWorkerInput): Promise<CheckWorkerOutput> {
  return new Promise<CheckWorkerOutput>((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(script, {
        workerData: data,
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      });
    } catch {
      resolve([]);
      return;
    }
    worker.once('message', (found: CheckWorkerOutput) => resolve(Array.isArray(found) ? found : []));
    worker.once('error', () => resolve([]));
    worker.once('exit', () => resolve([]));
  });
}
