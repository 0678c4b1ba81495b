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

describe('a common module checked before', () => {
  const module = (types: string) =>
    `commonModule:\n  name: Greeting Module\n  settingsCommonModule:\n    compatibleFlowTypes:\n${types}  startUpTaskActions:\n    - endTask: {name: Exit}\n`;
  const caller = {
    path: 'email.yaml',
    text: 'inboundEmail:\n  name: Email Intake\n  startUpRef: "/inboundEmail/states/state[s]"\n  states:\n    - state:\n        name: Initial\n        refId: s\n        actions:\n          - callCommonModule:\n              commonModule:\n                Greeting Module:\n                  ver_latestPublished:\n',
  };

  it("keeps its compatible flow types with its checks: a caller's check against them needs no read of the module", () => {
    const cache = memoryCache();
    for (const [types, expected] of [
      ['      - flowType: inboundCall\n', ['email.yaml:11:17 incompatible-module']],
      ['      - flowType: inboundCall\n      - flowType: inboundEmail\n', []],
    ] as const) {
      const sources = [{ path: 'module.yaml', text: module(types) }, caller];
      const first = checkCached(sources, { cache });
      const second = checkCached(sources, { cache });
      for (const result of [first, second])
        expect(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`)).toEqual(expected);
    }
    expect(cache.hits).toBe(5);
  });

  it('its record says which flow types may call it: lowercase, or null when it lists none; other flows have none', () => {
    const kept: FileCheckRecord[] = [];
    const cache = { get: () => undefined, set: (_key: string, record: FileCheckRecord) => void kept.push(record) };
    checkCached(
      [
        { path: 'a.yaml', text: module('      - flowType: inboundCall\n      - flowType: inboundEmail\n') },
        { path: 'b.yaml', text: module('').replace('    compatibleFlowTypes:\n', '') },
        caller,
      ],
      { cache },
    );
    expect(kept.map((r) => r.flow?.compatibleFlowTypes)).toEqual([['inboundcall', 'inboundemail'], null, undefined]);
  });
});
