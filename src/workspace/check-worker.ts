/**
 * The worker side of checkInWorker: takes file after file (the counter shared with the other
 * threads), checks each, and sends back each file's result as the check cache keeps it (small: no
 * document), for the main thread to put in the cache.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CANONICAL_HASH } from '../identity/index.js';
import type { CheckOptions, FileCheckRecord, FlowSource } from '../check/index.js';
import { storableRecord } from './check-cache.js';
import { checkClaimedFiles } from './check-in-worker.js';
import { loadRules, type RulesSpec } from './load-rules.js';

export interface CheckWorkerInput {
  sources: FlowSource[];
  /** One 32-bit counter: the index of the next file nobody has taken. */
  next: SharedArrayBuffer;
  options: Omit<CheckOptions, 'documentHash'>;
  /** The check works out each flow's canonical hash (CheckOptions.documentHash = CANONICAL_HASH). */
  canonicalHash: boolean;
  /** The house rules to run with each file's check, loaded here again (plugins are imported by this thread). */
  rules?: RulesSpec;
}

/** What a worker sends back: the cache entries of the files it checked. */
export type CheckWorkerOutput = Array<[string, FileCheckRecord]>;

if (parentPort) {
  const input = workerData as CheckWorkerInput;
  const found: CheckWorkerOutput = [];
  const options = { ...input.options, ...(input.canonicalHash ? { documentHash: CANONICAL_HASH } : {}) };
  // Loaded as the main thread loaded them (a failure here ends the worker: the main thread does its share).
  const rules = input.rules ? (await loadRules(input.rules)).rules : undefined;
  for (const _step of checkClaimedFiles(
    input.sources,
    options,
    new Int32Array(input.next),
    (key, record) => found.push([key, storableRecord(record)]),
    rules,
  ));
  parentPort.postMessage(found);
}
