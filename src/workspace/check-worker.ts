/**
 * The worker side of checkInWorker: takes file after file (the counter shared with the other
 * threads), checks each, and sends back each file's result as the check cache keeps it (small: no
 * document), for the main thread to put in the cache.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CANONICAL_HASH } from '../identity/index.js';
import { claimedFileChecks, type CheckOptions, type FileCheckRecord, type FlowSource } from '../check/index.js';
import { storableRecord } from './check-cache.js';

export interface CheckWorkerInput {
  sources: FlowSource[];
  /** One 32-bit counter: the index of the next file nobody has taken. */
  next: SharedArrayBuffer;
  options: Omit<CheckOptions, 'cache' | 'documentHash'>;
  /** The check works out each flow's canonical hash (CheckOptions.documentHash = CANONICAL_HASH). */
  canonicalHash: boolean;
}

/** What a worker sends back: the cache entries of the files it checked. */
export type CheckWorkerOutput = Array<[string, FileCheckRecord]>;

if (parentPort) {
  const input = workerData as CheckWorkerInput;
  const found: CheckWorkerOutput = [];
  const cache = { get: () => undefined, has: () => false, set: (key: string, record: FileCheckRecord) => void found.push([key, storableRecord(record)]) };
  const options = { ...input.options, ...(input.canonicalHash ? { documentHash: CANONICAL_HASH } : {}), cache };
  const next = new Int32Array(input.next);
  for (const _step of claimedFileChecks(input.sources, options, () => Atomics.add(next, 0, 1)));
  parentPort.postMessage(found);
}
