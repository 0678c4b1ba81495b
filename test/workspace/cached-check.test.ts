import { describe, expect, it } from 'vitest';
import type { FileCheckRecord } from '../../src/check/index.js';
import { checkCached, type FileCheckCache } from '../../src/workspace/check-cache.js';
import { blueprintsDir, blueprintSubstitutions, readSource } from '../helpers/fixtures.js';

/** A cache that keeps JSON copies, as the disk cache does, and counts hits. */
function memoryCache(): FileCheckCache & { hits: number; size: number } {
  const entries = new Map<string, string>();
  return {
    hits: 0,
    get size() {
      return entries.size;
    },
    get(key) {
      const hit = entries.get(key);
      if (hit) this.hits++;
      return hit ? (JSON.parse(hit) as FileCheckRecord) : undefined;
    },
    set(key, record) {
      entries.set(key, JSON.stringify(record));
    },
  };
}

const files = ['MergeExternalContactBot.yaml', 'MergeExternalContactMessageFlow.yaml', 'ResolveContact.yaml'].map((f) =>
  readSource(blueprintsDir, `merge-external-contact/${f}`),
);

describe('the per-file check cache', () => {
  it('a second run answers from the cache with exactly the same result, cross-file checks included', () => {
    const cache = memoryCache();
    const options = { substitutions: { ...blueprintSubstitutions, common_module_name: 'Nope' }, cache };
    const first = checkCached(files, options);
    expect(cache.size).toBe(3);
    const second = checkCached(files, options);
    expect(cache.hits).toBe(3);
    expect(second).toEqual(first);
    expect(second.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`)).toEqual([
      'merge-external-contact/MergeExternalContactMessageFlow.yaml:63:17 unknown-module',
    ]);
  });

  it('other substitutions or another text are another key', () => {
    const cache = memoryCache();
    checkCached(files, { substitutions: blueprintSubstitutions, cache });
    checkCached(files, { substitutions: { ...blueprintSubstitutions, queue_name: 'Other' }, cache });
    checkCached([{ ...files[0]!, text: `${files[0]!.text}\n# edited\n` }], {
      substitutions: blueprintSubstitutions,
      cache,
    });
    expect(cache.hits).toBe(0);
    expect(cache.size).toBe(7);
  });

  it('where secret substitutions land is kept with the checks; which keys are secret is part of the key', () => {
    const cache = memoryCache();
    const secretKeys = ['queue_name'];
    const first = checkCached(files, { substitutions: blueprintSubstitutions, secretKeys, cache });
    const places = first.flows.map((f) => f.secretPlaces?.length ?? 0);
    expect(places.some((n) => n > 0)).toBe(true);
    const second = checkCached(files, { substitutions: blueprintSubstitutions, secretKeys, cache });
    expect(cache.hits).toBe(3);
    expect(second.flows.map((f) => f.secretPlaces)).toEqual(first.flows.map((f) => f.secretPlaces));
    const notSecret = checkCached(files, { substitutions: blueprintSubstitutions, cache });
    expect(cache.hits).toBe(3);
    expect(notSecret.flows.every((f) => f.secretPlaces === undefined)).toBe(true);
  });
});
