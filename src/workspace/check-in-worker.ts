import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { checkFlowSourcesAsync, type CheckOptions, type CheckResult, type FlowSource } from '../spec/index.js';
import { JsonCache } from './json-cache.js';

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

/**
 * Checks the files, letting the caller's other work (reading the org) go on meanwhile. With many
 * files, a check cache and a second core, the files are first checked on worker threads (one per core
 * but this thread's, at most three), each
 * writing its share of results into the check cache; the check then runs here from the cache (about
 * a second for a thousand large flows), so this thread spends the time on the org instead. Whatever
 * keeps a worker from finishing, the check here does the rest: the result is the same either way.
 */
export async function checkInWorker(
  sources: readonly FlowSource[],
  options: Omit<CheckOptions, 'cache'>,
  cache?: { dir: string; secrets: readonly string[] },
  /** Told how many worker threads check the files (none: not called). */
  onWorkers?: (threads: number) => void,
): Promise<CheckResult> {
  const here = () => checkFlowSourcesAsync(sources, { ...options, ...(cache ? { cache: new JsonCache(cache.dir, cache.secrets) } : {}) });
  const script = new URL('./check-worker.js', import.meta.url);
  // One core stays with this thread, which reads the org meanwhile.
  const threads = Math.min(3, availableParallelism() - 1);
  // From the TypeScript sources (tests) there is no compiled worker script.
  if (!cache || !isLargeRepository(sources) || threads < 1 || !existsSync(fileURLToPath(script))) return here();
  const work = shares(sources, threads);
  onWorkers?.(work.length);
  await Promise.all(work.map((share) => runWorker(script, { sources: share, options, cacheDir: cache.dir, secrets: [...cache.secrets] })));
  return here();
}

/** Splits the files into `n` shares of about the same size, in order. */
function shares(sources: readonly FlowSource[], n: number): FlowSource[][] {
  const total = sources.reduce((sum, s) => sum + s.text.length, 0);
  const out: FlowSource[][] = Array.from({ length: n }, () => []);
  let done = 0;
  for (const source of sources) {
    out[Math.min(n - 1, Math.floor((done * n) / Math.max(1, total)))]!.push(source);
    done += source.text.length;
  }
  return out.filter((share) => share.length > 0);
}

/** Resolves when the worker has written its share, or has stopped for any reason (never rejects). */
function runWorker(script: URL, data: unknown): Promise<void> {
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
