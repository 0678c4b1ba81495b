import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CANONICAL_HASH, canonicalHash } from '../../src/plan/canonicalize.js';
import { checkFlowSources } from '../../src/spec/index.js';
import { checkCache } from '../../src/workspace/check-cache.js';
import { blueprintsDir, blueprintSubstitutions, listYaml, readSource } from '../helpers/fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'flowops-check-cache-'));
  dirs.push(dir);
  const sources = listYaml(blueprintsDir).map((f) => readSource(blueprintsDir, f));
  const options = { substitutions: blueprintSubstitutions, documentHash: CANONICAL_HASH };
  return { dir, sources, options, entries: () => readdirSync(dir).filter((f) => f.endsWith('.check')).map((f) => join(dir, f)) };
}

describe('the check cache on disk', () => {
  it('a run from the cache gives the same flows, documents and hashes as the first', () => {
    const { dir, sources, options, entries } = setUp();
    const first = checkFlowSources(sources, { ...options, cache: checkCache(dir, []) });
    expect(entries()).toHaveLength(sources.length);
    const second = checkFlowSources(sources, { ...options, cache: checkCache(dir, []) });
    expect(second).toEqual(first);
    for (const flow of second.flows) expect(flow.hash, flow.path).toBe(canonicalHash(flow.document));
  });

  it('reads a flow\'s document only when it is asked for (a plan of unchanged flows compares hashes)', () => {
    const { dir, sources, options, entries } = setUp();
    const first = checkFlowSources(sources, { ...options, cache: checkCache(dir, []) });
    // Spoil every entry's document line: a run that never reads the documents does not notice.
    for (const entry of entries()) {
      const [head] = readFileSync(entry, 'utf8').split('\n');
      writeFileSync(entry, `${head}\n{"not": json}`);
    }
    const second = checkFlowSources(sources, { ...options, cache: checkCache(dir, []) });
    expect(second.flows.map((f) => [f.path, f.type, f.name, f.hash, f.calls])).toEqual(first.flows.map((f) => [f.path, f.type, f.name, f.hash, f.calls]));
    expect(second.diagnostics).toEqual(first.diagnostics);
    expect(() => second.flows[0]!.document).toThrow(SyntaxError);
  });

  it('an entry cut short is a miss: the file is checked again and the entry written anew', () => {
    const { dir, sources, options, entries } = setUp();
    const first = checkFlowSources(sources, { ...options, cache: checkCache(dir, []) });
    for (const entry of entries()) writeFileSync(entry, readFileSync(entry, 'utf8').split('\n')[0]!);
    const second = checkFlowSources(sources, { ...options, cache: checkCache(dir, []) });
    expect(second).toEqual(first);
    for (const entry of entries()) expect(readFileSync(entry, 'utf8').split('\n')).toHaveLength(2);
  });

  it('keeps nothing that holds a secret value', () => {
    const { dir, sources, options, entries } = setUp();
    const secret = String(blueprintSubstitutions[Object.keys(blueprintSubstitutions)[0]!]);
    checkFlowSources(sources, { ...options, cache: checkCache(dir, [secret]) });
    for (const entry of entries()) expect(readFileSync(entry, 'utf8')).not.toContain(secret);
    expect(entries().length).toBeLessThan(sources.length);
  });
});
