/** The worker side of JobFiles: checks each job file it is sent and answers its record. */
import { parentPort } from 'node:worker_threads';
import type { FileCheckRecord } from '../check/index.js';
import { checkJobFile } from './publish-flow.js';

export interface JobFileQuestion {
  id: number;
  text: string;
}

export interface JobFileAnswer {
  id: number;
  /** Undefined when the check threw: the job then checks the file itself and says why. */
  record: FileCheckRecord | undefined;
}

parentPort?.on('message', ({ id, text }: JobFileQuestion) => {
  let record: FileCheckRecord | undefined;
  try {
    record = checkJobFile(text);
  } catch {
    record = undefined;
  }
  parentPort?.postMessage({ id, record } satisfies JobFileAnswer);
});
