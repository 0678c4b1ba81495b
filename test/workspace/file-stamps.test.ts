/**
 * File stamps (src/workspace/file-stamps.ts): a flow file whose stat is as when it was last read is
 * not read again until its text is asked for, and then must be what was read; an edit is never
 * hidden, even one that keeps the size and puts the modification time back.
 */
import { existsSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FlowSource } from '../../src/check/types.js';
import { loadWorkspace } from '../../src/workspace/load-workspace.js';
import { tempDir } from '../helpers/temp-dir.js';

const flow = (name: string) => `inboundCall:\n  name: ${name}\n  startUpTaskActions:\n    - endTask: {name: Exit}\n`;
const config = 'flows: flows/*.yaml\nenvironments:\n  test:\n    emulator: true\n';

/** Whether the run left the file unread (its text read when first asked for). */
const readLater = (source: FlowSource) => Object.getOwnPropertyDescriptor(source, 'text')?.get !== undefined;
const sourceOf = (sources: FlowSource[], path: string) => sources.find((s) => s.path === path)!;

/** A whole second, a minute ago: a modification time utimes can put back to the nanosecond. */
const aMinuteAgo = Math.floor(Date.now() / 1000) - 60;

/** Sets a file's text, its size and modification time as before (what `touch -d` or a careless tool leaves). */
function rewriteKeepingTimes(file: string, text: string): void {
  const before = statSync(file, { bigint: true });
  expect(BigInt(Buffer.byteLength(text))).toBe(before.size);
  writeFileSync(file, text);
  utimesSync(file, aMinuteAgo, aMinuteAgo);
  const after = statSync(file, { bigint: true });
  expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs]);
  expect(after.ctimeNs).not.toBe(before.ctimeNs);
}

describe('file stamps', () => {
  const dir = tempDir({ 'flowops.yaml': config, 'flows/a.yaml': flow('Alpha'), 'flows/b.yaml': flow('Bravo') });

  // Stamps are kept only for files left alone for two seconds before they were read.
  beforeAll(async () => {
    for (const name of ['a', 'b']) utimesSync(join(dir, `flows/${name}.yaml`), aMinuteAgo, aMinuteAgo);
    await sleep(2100);
  });

  it('a file unchanged since the last run is not read until its text is asked for, then is the same text', async () => {
    const first = await loadWorkspace({ cwd: dir });
    expect(first.sources.map(readLater)).toEqual([false, false]);
    const second = await loadWorkspace({ cwd: dir });
    const a = sourceOf(second.sources, join('flows', 'a.yaml'));
    expect(readLater(a)).toBe(true);
    expect(a.textHash).toBe(sourceOf(first.sources, join('flows', 'a.yaml')).textHash);
    expect(a.text).toBe(flow('Alpha'));
  });

  it('a file edited after the run read its stat: asking for its text is an error, never the other text', async () => {
    await loadWorkspace({ cwd: dir });
    const run = await loadWorkspace({ cwd: dir });
    const b = sourceOf(run.sources, join('flows', 'b.yaml'));
    expect(readLater(b)).toBe(true);
    writeFileSync(join(dir, 'flows/b.yaml'), flow('Bravx'));
    expect(() => b.text).toThrow('flows/b.yaml changed while flowops was reading the files: run the command again');
  });

  it('an edit that keeps the size and the modification time is read (the change time differs)', async () => {
    const file = join(dir, 'flows/a.yaml');
    await loadWorkspace({ cwd: dir });
    rewriteKeepingTimes(file, flow('Alphx'));
    const run = await loadWorkspace({ cwd: dir });
    const a = sourceOf(run.sources, join('flows', 'a.yaml'));
    expect(readLater(a)).toBe(false);
    expect(a.text).toBe(flow('Alphx'));
  });

  it('a file written less than two seconds before it was read is read again next time', async () => {
    writeFileSync(join(dir, 'flows/c.yaml'), flow('Charlie'));
    await loadWorkspace({ cwd: dir });
    const run = await loadWorkspace({ cwd: dir });
    expect(readLater(sourceOf(run.sources, join('flows', 'c.yaml')))).toBe(false);
  });

  it('without flowops.yaml (files named on the command line) nothing is stamped, nor a .flowops folder made', async () => {
    const bare = tempDir({ 'x.yaml': flow('X') });
    utimesSync(join(bare, 'x.yaml'), aMinuteAgo, aMinuteAgo);
    await sleep(2100);
    await loadWorkspace({ cwd: bare, paths: ['x.yaml'] });
    const run = await loadWorkspace({ cwd: bare, paths: ['x.yaml'] });
    expect(readLater(run.sources[0]!)).toBe(false);
    expect(existsSync(join(bare, '.flowops'))).toBe(false);
  });
});
