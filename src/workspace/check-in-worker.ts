import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { cacheFileChecks, checkFlowSourcesAsync, type CheckOptions, type CheckResult, type FlowSource } from '../spec/index.js';
import { CANONICAL_HASH } from '../plan/canonicalize.js';
import { checkCache } from './check-cache.js';
import type { CheckWorkerInput } from './check-worker.js';

/**
 * About 4 MB of YAML (some eighty large flows): from there, checking the files takes seconds, worker
 * threads pay for their start, and plan reads the org meanwhile.
 */
const LARGE_REPOSITORY_CHARS = 4 * 1024 * 1024;

export function isLargeRepository(sources: readonly FlowSource[]): boolean {
  return sources.reduce((n, s) => n + s.text.length, 0) >= LARGE_REPOSITORY_CHARS;
}
/** Most of what the check allocates lives until it ends (every flow's data): a larger young generation spares copying. */
const YOUNG_GENERATION_MB = 64;
/** Files this thread checks between two turns of the event loop (the org's answers wait meanwhile). */
const FILES_PER_TURN = 4;

/**
 * Checks the files, letting the caller's other work (reading the org) go on meanwhile. With many
 * files, a check cache and a second core, each file's own checks are shared out between worker
 * threads (one per core but this thread's, at most three) and this thread, between its turns on the
 * org: each takes the next file not yet taken (a counter shared by all), so whoever is less busy
 * checks more, and puts the result in the check cache. The workers start at the first file the cache
 * does not have (a repository checked before needs none). The check then runs here from the cache (the
 * checks across files, about a second for a thousand large flows). Whatever keeps a worker from
 * finishing, the check here does the rest: the result is the same either way.
 */
export async function checkInWorker(
  sources: readonly FlowSource[],
  options: Omit<CheckOptions, 'cache'>,
  cache?: { dir: string; secrets: readonly string[] },
  /** Told how many worker threads check the files (none: not called). */
  onWorkers?: (threads: number) => void,
): Promise<CheckResult> {
  const script = new URL('./check-worker.js', import.meta.url);
  // One core stays with this thread, which reads the org meanwhile.
  const threads = Math.min(3, availableParallelism() - 1);
  // A function does not cross to another thread: the workers know the only one used (the canonical hash).
  const { documentHash, ...plain } = options;
  if (
    !cache ||
    !isLargeRepository(sources) ||
    threads < 1 ||
    (documentHash && documentHash !== CANONICAL_HASH) ||
    // From the TypeScript sources (tests) there is no compiled worker script.
    !existsSync(fileURLToPath(script))
  ) {
    return checkFlowSourcesAsync(sources, { ...options, ...(cache ? { cache: checkCache(cache.dir, cache.secrets) } : {}) });
  }
  // This thread's results are written while it goes on, and read back from memory until they are.
  const store = checkCache(cache.dir, cache.secrets, { background: true });
  try {
    const next = new Int32Array(new SharedArrayBuffer(4));
    const claim = (): number => Atomics.add(next, 0, 1);
    // Workers start at the first file not in the cache, and only when what is left is large: a
    // repository checked before is read from the cache here in a fraction of a second.
    let workers: Array<Promise<void>> | undefined;
    for (let taken = 0, i = claim(); i < sources.length; i = claim()) {
      const missed = cacheFileChecks([sources[i]!], { ...options, cache: store }) > 0;
      if (missed && !workers) {
        const rest = sources.slice(i + 1);
        workers = [];
        if (isLargeRepository(rest)) {
          const data: CheckWorkerInput = { sources: rest, offset: i + 1, next: next.buffer as SharedArrayBuffer, options: plain, canonicalHash: documentHash === CANONICAL_HASH, cacheDir: cache.dir, secrets: [...cache.secrets] };
          onWorkers?.(threads);
          workers = Array.from({ length: threads }, () => runWorker(script, data));
        }
      }
      if (++taken % FILES_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await Promise.all(workers ?? []);
    return await checkFlowSourcesAsync(sources, { ...options, cache: store });
  } finally {
    await store.flush();
  }
}

/** Resolves when the worker has written what it took, or has stopped for any reason (never rejects). */
function runWorker(script: URL, data: CheckWorkerInput): Promise<void> {
  return new Promise<void>((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(script, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    } catch {
      resolve();
      return;
    }
    worker.once('message', () => resolve());
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
  });
}
