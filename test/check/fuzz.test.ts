import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFlowSources, type FlowSource } from '../../src/check/index.js';
import { blueprintsDir, blueprintSubstitutions, fixturesDir, listYaml, readSource } from '../helpers/fixtures.js';
import { type Mutation, mutate, mutation } from '../reliability/fuzz-inputs.js';

const seeds: FlowSource[] = [
  ...[
    'DR-Emergency-IVR.yaml',
    'DR-Fallback-Ivr.yaml',
    'SimpleFinancialIvr_v2-0.yaml',
    'merge-external-contact/ResolveContact.yaml',
    'merge-external-contact/MergeExternalContactMessageFlow.yaml',
  ].map((f) => readSource(blueprintsDir, f)),
  ...listYaml(`${fixturesDir}invalid/`).map((f) => readSource(`${fixturesDir}invalid/`, f)),
];

function expectWellFormed(sources: FlowSource[]): void {
  const result = checkFlowSources(sources, { substitutions: blueprintSubstitutions, environment: 'fuzz' });
  const lineCounts = new Map(sources.map((s) => [s.path, s.text.split('\n').length]));
  for (const d of result.diagnostics) {
    expect(lineCounts.has(d.file)).toBe(true);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lineCounts.get(d.file)!);
    expect(d.col).toBeGreaterThanOrEqual(1);
    expect(d.message).not.toMatch(/\n|^\s*at /);
    expect(['error', 'warning']).toContain(d.severity);
  }
}

describe('the validator never crashes', () => {
  it('on cases the properties found (each message on one line)', () => {
    const ivr = seeds[0]!;
    // A collection as the top-level key: its whole text was the "flow type" in the message.
    expectWellFormed([{ path: ivr.path, text: `? ${ivr.text}` }]);
    const nested = ivr.text.replace('\n  name:', '\n  ? name:');
    expect(nested).not.toBe(ivr.text);
    expectWellFormed([{ path: ivr.path, text: nested }]);
    // A key that is itself a mapping inside a task ('-!  ' then '? ' inserted into the 16th real
    // file, fast-check seed 940556732): its text was quoted across lines in "key ... is not ...".
    const [i, edits] = [
      15,
      [
        { kind: 'insert', at: 632331927, text: '-!  ' },
        { kind: 'insert', at: 1554206458, text: '? ' },
      ],
    ] as const;
    const seed = seeds[i]!;
    expectWellFormed([{ path: seed.path, text: edits.reduce((t, m) => mutate(t, m as Mutation), seed.text) }]);
  });

  it('on mutated real files (positions stay inside the file)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (i, edits) => {
          const seed = seeds[i]!;
          expectWellFormed([{ path: seed.path, text: edits.reduce(mutate, seed.text) }]);
        },
      ),
      { numRuns: 400, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) },
    );
  });

  it('on arbitrary values dumped as YAML-ish text and random strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.json({ maxDepth: 6 }),
          fc.jsonValue().map((v) => `inboundCall: ${JSON.stringify(v)}`),
        ),
        (text) => {
          expectWellFormed([{ path: 'random.yaml', text }]);
        },
      ),
      { numRuns: 400, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) },
    );
  });

  it('on deep nesting, huge strings and many aliases', () => {
    const nasty = [
      '['.repeat(50_000),
      'a:\n' + Array.from({ length: 3000 }, (_, i) => ' '.repeat(i + 1) + 'b:').join('\n'),
      `inboundCall:\n  name: ${'x'.repeat(2_000_000)}\n`,
      'x: &x [1]\n' + Array.from({ length: 5000 }, (_, i) => `k${i}: *x`).join('\n'),
      '- '.repeat(10_000) + 'x',
    ];
    // A hang fails through the test's timeout; speed itself is measured by the benchmarks.
    for (const text of nasty) expectWellFormed([{ path: 'nasty.yaml', text }]);
  }, 60_000);
});
