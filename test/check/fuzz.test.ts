import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFlowSources, type FlowSource } from '../../src/check/index.js';
import { blueprintsDir, blueprintSubstitutions, fixturesDir, listYaml, readSource } from '../helpers/fixtures.js';

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

/** Edits that break real files in the ways people and tools do. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom(
        ':',
        '- ',
        '{{',
        '}}',
        '{{x}}',
        '[',
        ']',
        '{',
        '}',
        '&a ',
        '*a',
        '"',
        "'",
        '\t',
        '\n',
        '  ',
        '#',
        '!!binary ',
        '%YAML 1.1\n',
        '---\n',
        '? ',
        '|',
        '>',
      ),
      fc.string({ maxLength: 12 }),
    ),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicateLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, m: Mutation): string {
  const at = text.length ? m.at % text.length : 0;
  switch (m.kind) {
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'duplicateLine': {
      const lines = text.split('\n');
      const i = m.at % lines.length;
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 'indent': {
      const lines = text.split('\n');
      const i = m.at % lines.length;
      lines[i] = m.by >= 0 ? ' '.repeat(m.by) + lines[i] : lines[i]!.replace(new RegExp(`^ {0,${-m.by}}`), '');
      return lines.join('\n');
    }
  }
}

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
    expectWellFormed([{ path: seed.path, text: edits.reduce((t, m) => apply(t, m as Mutation), seed.text) }]);
  });

  it('on mutated real files (positions stay inside the file)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (i, edits) => {
          const seed = seeds[i]!;
          expectWellFormed([{ path: seed.path, text: edits.reduce(apply, seed.text) }]);
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
