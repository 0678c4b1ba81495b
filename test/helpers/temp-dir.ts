/**
 * Temporary folders for tests: one helper, so that every folder a test file makes is removed when
 * the file ends (vitest's afterAll, registered once by this module in each test file that imports
 * it). The global setup's TMPDIR keeps them all under one folder too, removed when the run ends.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder holding `files` (relative paths to contents; folders made as needed). */
export function tempDir(files: Record<string, string | Buffer> = {}, prefix = 'flowops-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}
