/**
 * The built emulator reads a job's file on a worker thread (src/emulator/job-files.ts): the answer
 * is the file's own checks, the same as the request thread would work out, and the thread that
 * answers requests is free meanwhile. (From the TypeScript sources there is no worker script: the
 * job checks its file when it ends; the rest of the suite covers that path.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkFile } from '../../src/check/index.js';
import type { JobFiles as JobFilesType } from '../../src/emulator/job-files.js';
import { inboundCall } from '../helpers/flow-yaml.js';

// The build's module (`npm test` builds first): only it has the worker script beside it.
const built = '../../dist/emulator/job-files.js';
const { JobFiles } = (await import(built)) as typeof import('../../src/emulator/job-files.js');

describe('JobFiles (built)', () => {
  let files: JobFilesType | undefined;
  afterEach(async () => files?.close());

  it('answers each file its own checks from a worker thread', async () => {
    files = new JobFiles();
    const good = inboundCall('Main Line', { module: 'Tag and Greet' });
    const bad = 'inboundCall:\n  name: Broken\n  startUpRef: [\n';
    const [goodRecord, badRecord] = await Promise.all([files.check(good), files.check(bad)]);
    expect(goodRecord?.flow?.identity?.name).toBe('Main Line');
    expect(goodRecord?.flow?.calls.map((c) => c.module)).toEqual(['Tag and Greet']);
    expect(goodRecord?.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(badRecord?.diagnostics.map((d) => d.message)).toEqual(
      checkFile({ path: 'upload.yaml', text: bad }).diagnostics.map((d) => d.message),
    );
  });

  it('answers nothing once closed: the job checks its file itself', async () => {
    files = new JobFiles();
    await files.close();
    await expect(files.check(inboundCall('Late'))).resolves.toBeUndefined();
  });
});
