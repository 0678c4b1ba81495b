import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CANONICAL_HASH, canonicalHash } from '../../src/identity/index.js';
import { desiredDocument } from '../../src/check/index.js';
import { checkCache, checkCached } from '../../src/workspace/check-cache.js';
import { PackCache } from '../../src/workspace/pack-cache.js';
import { blueprintsDir, blueprintSubstitutions, listYaml, readSource } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

function setUp() {
  const dir = tempDir({}, 'flowops-check-cache-');
  const sources = listYaml(blueprintsDir).map((f) => readSource(blueprintsDir, f));
  const options = { substitutions: blueprintSubstitutions, documentHash: CANONICAL_HASH };
  const file = join(dir, 'checks-v1.json');
  const stored = () =>
    existsSync(file)
      ? (
          JSON.parse(readFileSync(file, 'utf8')) as {
            entries: Record<string, { used: number; value: { text?: string; flow?: { data?: unknown } } }>;
          }
        ).entries
      : {};
  /** One run's check, with the cache written at its end as the commands do. */
  const run = (secrets: string[] = [], input = sources, runOptions: object = options) => {
    const cache = checkCache(dir, secrets);
    const result = checkCached(input, { ...runOptions, cache });
    cache.save();
    return result;
  };
  return { dir, sources, file, stored, run };
}

describe('the check cache on disk', () => {
  it('a run from the cache gives the same flows, documents and hashes as the first', () => {
    const { sources, stored, run } = setUp();
    const first = run();
    expect(Object.keys(stored())).toHaveLength(sources.length);
    const second = run();
    expect(second).toEqual(first);
    for (const flow of second.flows) expect(flow.hash, flow.path).toBe(canonicalHash(desiredDocument(flow)));
  });

  it('keeps no document and no substituted text: they are read again from the file when asked for', () => {
    const { sources, stored, run } = setUp();
    const first = run();
    expect(first.flows.some((f) => f.text !== sources.find((s) => s.path === f.path)!.text)).toBe(true); // substitutions were made
    for (const entry of Object.values(stored())) {
      expect(entry.value.text).toBeUndefined();
      expect(entry.value.flow?.data).toBeUndefined();
    }
    const second = run();
    expect(second.flows.map((f) => f.text)).toEqual(first.flows.map((f) => f.text));
    expect(second.flows.map((f) => desiredDocument(f))).toEqual(first.flows.map((f) => desiredDocument(f)));
  });

  it('a file cut short is an empty cache: every file is checked again and the cache written anew', () => {
    const { file, stored, sources, run } = setUp();
    const first = run();
    const whole = readFileSync(file, 'utf8');
    writeFileSync(file, whole.slice(0, whole.length >> 1));
    expect(run()).toEqual(first);
    expect(Object.keys(stored())).toHaveLength(sources.length);
  });

  it('never writes a secret value: an entry that would hold one (a flow named by it) is not kept', () => {
    const { file, sources, stored, run } = setUp();
    const secret = String(blueprintSubstitutions[Object.keys(blueprintSubstitutions)[0]!]);
    run([secret]);
    expect(Object.keys(stored())).toHaveLength(sources.length);
    expect(readFileSync(file, 'utf8')).not.toContain(secret);
    const named = [{ path: 'named.yaml', text: 'inboundCall:\n  name: "{{line}}"\n' }];
    const namedOptions = { substitutions: { line: 'Sesame-7731' }, documentHash: CANONICAL_HASH };
    run(['Sesame-7731'], named, namedOptions);
    expect(Object.keys(stored())).toHaveLength(sources.length);
    expect(readFileSync(file, 'utf8')).not.toContain('Sesame-7731');
    run([], named, namedOptions);
    expect(Object.keys(stored())).toHaveLength(sources.length + 1);
  });
});

describe('PackCache', () => {
  it('writes only when something changed, keeps what runs use, and drops what no run used for 30 days', () => {
    const dir = tempDir({}, 'flowops-pack-cache-');
    let now = Date.UTC(2026, 0, 1);
    const open = () =>
      new PackCache<number>(dir, 'pack.json', [], { now: () => now, valid: (v) => typeof v === 'number' });
    const first = open();
    first.set('a', 1);
    first.set('b', 2);
    first.save();
    const file = join(dir, 'pack.json');
    const written = readFileSync(file, 'utf8');
    now += 3600_000;
    const second = open();
    expect([second.get('a'), second.get('b'), second.get('c'), second.has('b')]).toEqual([1, 2, undefined, true]);
    second.save(); // nothing new, used within the day: not written again
    expect(readFileSync(file, 'utf8')).toBe(written);
    now += 20 * 24 * 3600_000;
    const third = open();
    expect(third.get('a')).toBe(1); // used after 20 days: written with its new time
    third.save();
    now += 15 * 24 * 3600_000;
    const fourth = open();
    fourth.set('c', 3);
    fourth.save(); // 'b' unused for 35 days goes, 'a' (15 days) stays
    const fifth = open();
    expect([fifth.get('a'), fifth.get('b'), fifth.get('c')]).toEqual([1, undefined, 3]);
    // What a run killed while writing left behind goes once it is an hour old.
    // (write-file-atomic names its temporary file `<file>.<8 hex>`; `.tmp` ones are older flowops').
    const old = join(dir, 'pack.json.999-1.tmp');
    const oldAtomic = join(dir, 'pack.json.0badc0de');
    const recent = join(dir, 'pack.json.999-2.tmp');
    const recentAtomic = join(dir, 'pack.json.1badc0de');
    for (const f of [old, oldAtomic, recent, recentAtomic]) writeFileSync(f, '{"entr');
    for (const f of [old, oldAtomic])
      utimesSync(f, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
    now = Date.now();
    fifth.set('d', 4);
    fifth.save();
    expect([
      existsSync(old),
      existsSync(oldAtomic),
      existsSync(recent),
      existsSync(recentAtomic),
      open().get('d'),
    ]).toEqual([false, false, true, true, 4]);
  });
});
