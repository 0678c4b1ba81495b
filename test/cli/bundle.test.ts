/**
 * The program as built (scripts/bundle.mjs): dist/cli/main.js and its worker scripts are bundles,
 * and a worker that does not load is not an error anywhere (the main thread does the work), so
 * these show that each bundled worker loads and answers as the sources do, and that the bundle
 * keeps its caches (a bundled dependency once lacked `__filename`: every cache write failed,
 * silently).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { checkFile, fileCheckKey } from '../../src/check/index.js';
import type { CheckWorkerInput, CheckWorkerOutput } from '../../src/workspace/check-worker.js';
import type { JobFileAnswer } from '../../src/emulator/job-file-worker.js';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';
import { inboundCall } from '../helpers/flow-yaml.js';
import { tempDir } from '../helpers/temp-dir.js';

const built = join(repoRoot, 'dist', 'cli');

function answerOf<T>(worker: Worker): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker exited (${code}) without an answer`)));
  });
}

describe('the built program', () => {
  it('is one bundle with its worker scripts beside it, the SDK left out', () => {
    for (const file of ['main.js', 'check-worker.js', 'job-file-worker.js'])
      expect(existsSync(join(built, file))).toBe(true);
    const main = readFileSync(join(built, 'main.js'), 'utf8');
    expect(main.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const bundled = readdirSync(built)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(built, f), 'utf8'))
      .join('\n');
    expect(bundled).toMatch(/require\d*\(["']purecloud-platform-client-v2["']\)/);
    expect(bundled).not.toContain('node_modules/purecloud-platform-client-v2/');
  });

  it("its files' check worker checks as the sources do", async () => {
    const sources = [
      { path: 'flows/a.yaml', text: inboundCall('Main Line', { module: 'Tag and Greet' }) },
      { path: 'flows/b.yaml', text: 'inboundCall:\n  name: Broken\n  startUpRef: [\n' },
    ];
    const input: CheckWorkerInput = {
      sources,
      next: new SharedArrayBuffer(4),
      options: { environment: 'test' },
      canonicalHash: false,
    };
    const worker = new Worker(new URL(`file://${join(built, 'check-worker.js')}`), { workerData: input });
    const found = await answerOf<CheckWorkerOutput>(worker);
    await worker.terminate();
    expect(found.map(([key]) => key).sort()).toEqual(
      sources.map((s) => fileCheckKey(s, { environment: 'test' })).sort(),
    );
    const broken = found.find(([key]) => key === fileCheckKey(sources[1]!, { environment: 'test' }))![1];
    expect(broken.diagnostics.map((d) => d.message)).toEqual(
      checkFile(sources[1]!, { environment: 'test' }).diagnostics.map((d) => d.message),
    );
  });

  it("the emulator's job file worker answers a file's checks", async () => {
    const worker = new Worker(new URL(`file://${join(built, 'job-file-worker.js')}`));
    const answer = answerOf<JobFileAnswer>(worker);
    worker.postMessage({ id: 7, text: inboundCall('Main Line') });
    const { id, record } = await answer;
    await worker.terminate();
    expect(id).toBe(7);
    expect(record?.flow?.identity?.name).toBe('Main Line');
  });

  it("writes its caches: a validate leaves each file's checks in the check cache", async () => {
    const dir = tempDir({
      'flowops.yaml': 'flows: flows/*.yaml\nenvironments:\n  test:\n    emulator: true\n',
      'flows/a.yaml': inboundCall('Main Line'),
    });
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const cache = JSON.parse(readFileSync(join(dir, '.flowops/cache/checks/checks-v1.json'), 'utf8'));
    expect(Object.keys(cache.entries)).toHaveLength(1);
  });
});
