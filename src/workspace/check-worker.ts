/**
 * The worker side of checkInWorker: checks its share of the files, which puts each file's result in
 * the check cache on disk, and says when all of it is written. Its own result is not sent back
 * (copying a thousand documents between threads costs more than reading them from the cache).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { cacheFileChecks, type CheckOptions, type FileCheckRecord, type FlowSource } from '../spec/index.js';
import { JsonCache } from './json-cache.js';

const input = workerData as { sources: FlowSource[]; options: Omit<CheckOptions, 'cache'>; cacheDir: string; secrets: string[] };
const cache = new JsonCache<FileCheckRecord>(input.cacheDir, input.secrets, { background: true });
cacheFileChecks(input.sources, { ...input.options, cache });
await cache.flush();
parentPort!.postMessage('written');
