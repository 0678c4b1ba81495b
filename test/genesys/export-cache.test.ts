import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ExportCache } from '../../src/genesys/export-cache.js';
import { tempDir } from '../helpers/temp-dir.js';

let dir: string;
beforeEach(() => {
  dir = tempDir({}, 'flowops-cache-');
});

const FLOW = '2f0e3c1a-7d7e-4c43-9f43-0b6f3e7a9c11';
const YAML = 'inboundCall:\n  name: Main Line\n  description: "caf\u00e9 \u2615"\n';

/** The entries in the folder (not its housekeeping marker, `.swept`). */
async function entries(): Promise<string[]> {
  return (await readdir(join(dir, 'flow-exports-v1'))).filter((name) => !name.startsWith('.')).sort();
}

async function entryPath(): Promise<string> {
  const folder = join(dir, 'flow-exports-v1');
  const [file] = await readdir(folder);
  if (!file) throw new Error('no cache entry written');
  return join(folder, file);
}

describe('ExportCache', () => {
  it('close waits for the writes under way, and nothing is written after it (an export still running when its command ended)', async () => {
    const cache = new ExportCache(dir);
    const pending = cache.write(FLOW, '1.0', YAML); // not awaited
    await cache.close();
    expect(await entries()).toHaveLength(1);
    await cache.write(FLOW, '2.0', YAML);
    await pending;
    expect(await entries()).toHaveLength(1);
    expect(await cache.read(FLOW, '2.0')).toBeUndefined();
  });

  it('misses, then hits exactly the version written', async () => {
    const cache = new ExportCache(dir);
    expect(await cache.read(FLOW, '1.0')).toBeUndefined();
    await cache.write(FLOW, '1.0', YAML);
    expect(await cache.read(FLOW, '1.0')).toBe(YAML);
    expect(await cache.read(FLOW, '2.0')).toBeUndefined();
    expect(await cache.read('another-flow', '1.0')).toBeUndefined();
    // A new instance on the same folder (the next run) sees it too.
    expect(await new ExportCache(dir).read(FLOW, '1.0')).toBe(YAML);
  });

  it('leaves no temporary files behind and overwrites in place', async () => {
    const cache = new ExportCache(dir);
    await cache.write(FLOW, '1.0', YAML);
    await cache.write(FLOW, '1.0', `${YAML}# again\n`);
    expect(await readdir(join(dir, 'flow-exports-v1'))).toEqual([`${FLOW}@1.0.json`]);
    expect(await cache.read(FLOW, '1.0')).toBe(`${YAML}# again\n`);
  });

  it('ignores a truncated entry', async () => {
    const cache = new ExportCache(dir);
    await cache.write(FLOW, '1.0', YAML);
    const path = await entryPath();
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, text.length / 2));
    expect(await cache.read(FLOW, '1.0')).toBeUndefined();
  });

  it('ignores an entry whose content no longer matches its checksum', async () => {
    const cache = new ExportCache(dir);
    await cache.write(FLOW, '1.0', YAML);
    const path = await entryPath();
    const entry = JSON.parse(await readFile(path, 'utf8')) as { yaml: string };
    entry.yaml = 'inboundCall:\n  name: Edited by hand\n';
    await writeFile(path, JSON.stringify(entry));
    expect(await cache.read(FLOW, '1.0')).toBeUndefined();
  });

  it('ignores an entry of the wrong shape or for another key', async () => {
    const cache = new ExportCache(dir);
    await cache.write(FLOW, '1.0', YAML);
    const path = await entryPath();
    await writeFile(path, JSON.stringify({ yaml: YAML }));
    expect(await cache.read(FLOW, '1.0')).toBeUndefined();
    await writeFile(path, JSON.stringify({ flowId: 'other', versionId: '1.0', sha256: 'x', yaml: YAML }));
    expect(await cache.read(FLOW, '1.0')).toBeUndefined();
    // Rewriting repairs it.
    await cache.write(FLOW, '1.0', YAML);
    expect(await cache.read(FLOW, '1.0')).toBe(YAML);
  });

  it('keeps odd ids inside its folder', async () => {
    const cache = new ExportCache(dir);
    await cache.write('../../escape', '../1.0', YAML);
    expect(await cache.read('../../escape', '../1.0')).toBe(YAML);
    expect((await readdir(dir)).sort()).toEqual(['flow-exports-v1']);
  });
  it('deletes, at most once a day, the entries no run read or wrote for 30 days; a read keeps one', async () => {
    let now = Date.now();
    const old = (now - 31 * 24 * 3600 * 1000) / 1000;
    const write = new ExportCache(dir);
    for (const version of ['1.0', '2.0', '3.0']) await write.write(FLOW, version, YAML);
    await write.close();
    const folder = join(dir, 'flow-exports-v1');
    const [one, two, three] = await entries();
    for (const name of [one!, two!, three!]) await utimes(join(folder, name), old, old);
    // A crashed write's temporary file, as old.
    await writeFile(join(folder, `${one}.1a2b3c`), 'partial');
    await utimes(join(folder, `${one}.1a2b3c`), old, old);
    await utimes(join(folder, '.swept'), old, old);

    const run = new ExportCache(dir, [], () => now);
    expect(await run.read(FLOW, '2.0')).toBe(YAML);
    await run.close();
    expect(await entries()).toEqual([two]);
    // The entry read is marked used (now), so a sweep a month later still keeps it if it was read.
    expect((await stat(join(folder, two!))).mtimeMs).toBeGreaterThan(now - 1000);

    // Within a day of the last sweep nothing is swept, even an entry that has become old.
    await utimes(join(folder, two!), old, old);
    now += 3600 * 1000;
    await new ExportCache(dir, [], () => now).close();
    expect(await entries()).toEqual([two]);
    // A day later it is.
    now += 24 * 3600 * 1000;
    await new ExportCache(dir, [], () => now).close();
    expect(await entries()).toEqual([]);
  });
});
