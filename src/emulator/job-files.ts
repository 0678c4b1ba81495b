/**
 * Where the emulator reads a job's file: a worker thread of its own, as a real org runs jobs on
 * servers other than those answering the API. Reading and checking a 50 KB flow takes this process
 * about 20 ms; fifty jobs uploaded together would otherwise take a second of the one thread that
 * answers every request, delaying other flows' locks, uploads and job checks behind them, which no
 * real org does. The worker does each file's own checks (checkFile); what depends on the org (the
 * modules it calls, locks) is judged on this thread when the job ends.
 *
 * From the TypeScript sources (the unit tests) there is no compiled worker script: the file is then
 * checked on this thread when the job ends, as before. A worker that fails answers nothing more and
 * its files are checked here.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileCheckRecord } from '../check/index.js';
import type { JobFileAnswer, JobFileQuestion } from './job-file-worker.js';

export class JobFiles {
  private worker: Worker | undefined;
  private broken = false;
  private nextId = 0;
  private readonly waiting = new Map<number, (record: FileCheckRecord | undefined) => void>();

  /** The file's own checks, worked out off this thread; undefined: check it here. */
  check(text: string): Promise<FileCheckRecord | undefined> {
    const worker = this.start();
    if (!worker) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      // Only while a file is being read does the worker keep the process alive.
      if (this.waiting.size === 1) worker.ref();
      worker.postMessage({ id, text } satisfies JobFileQuestion);
    });
  }

  /** Closed with the emulator: jobs still reading their files end with it. */
  closed = false;

  async close(): Promise<void> {
    this.closed = true;
    this.broken = true;
    this.answerAll();
    await this.worker?.terminate();
  }

  private start(): Worker | undefined {
    if (this.worker || this.broken) return this.worker;
    const script = new URL('./job-file-worker.js', import.meta.url);
    if (!existsSync(fileURLToPath(script))) {
      this.broken = true;
      return undefined;
    }
    const worker = new Worker(script);
    worker.unref();
    worker.on('message', (answer: JobFileAnswer) => {
      this.waiting.get(answer.id)?.(answer.record);
      this.waiting.delete(answer.id);
      if (this.waiting.size === 0) worker.unref();
    });
    const fail = (): void => {
      this.broken = true;
      this.worker = undefined;
      this.answerAll();
    };
    worker.once('error', fail);
    worker.once('exit', fail);
    this.worker = worker;
    return worker;
  }

  /** Files asked of a worker that will not answer: each is checked on this thread. */
  private answerAll(): void {
    for (const resolve of this.waiting.values()) resolve(undefined);
    this.waiting.clear();
  }
}
