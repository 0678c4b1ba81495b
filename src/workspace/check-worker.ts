/**
 * The worker side of checkInWorker: takes file after file (the counter shared with the other
 * threads), checks each, which puts its result in the check cache on disk, and says when all it took
 * is written. Its own results are not sent back (copying a thousand documents between threads costs
 * more than reading them from the cache).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CANONICAL_HASH } from '../plan/canonicalize.js';
import { cacheFileChecks, type CheckOptions, type FlowSource } from '../spec/index.js';
import { checkCache } from './check-cache.js';

export interface CheckWorkerInput {
  sources: FlowSource[];
  /** One 32-bit counter: the index of the next file nobody has taken. */
  next: SharedArrayBuffer;
  options: Omit<CheckOptions, 'cache' | 'documentHash'>;
  /** The check works out each flow's canonical hash (CheckOptions.documentHash = CANONICAL_HASH). */
  canonicalHash: boolean;
  cacheDir: string;
  secrets: string[];
}

if (parentPort) {
  const input = workerData as CheckWorkerInput;
  const cache = checkCache(input.cacheDir, input.secrets, { background: true });
  const options = { ...input.options, ...(input.canonicalHash ? { documentHash: CANONICAL_HASH } : {}), cache };
  const next = new Int32Array(input.next);
  for (let i = Atomics.add(next, 0, 1); i < input.sources.length; i = Atomics.add(next, 0, 1)) cacheFileChecks([input.sources[i]!], options);
  await cache.flush();
  parentPort.postMessage('written');
}
