import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { callerYaml, moduleYaml } from '../../bench/generate-org.js';
import { loadPlainYaml } from '../../src/check/fast-yaml.js';
import { YAML_OPTIONS } from '../../src/check/parse.js';
import { substitute } from '../../src/check/substitute.js';
import { blueprintsDir, blueprintSubstitutions, fixturesDir, listYaml, repoRoot } from '../helpers/fixtures.js';
import { mutate, type Mutation } from '../reliability/fuzz-inputs.js';

/**
 * The fast reader's promise (check/fast-yaml.ts): whatever it reads, `yaml` (as flowops runs it)
 * reads without an error or a warning, into the same data. Where it declines, nothing is claimed.
 */
function holdsPromise(text: string): boolean {
  const plain = loadPlainYaml(text);
  if (!plain) return false;
  const doc = parseDocument(text, YAML_OPTIONS);
  expect(
    doc.errors.map((e) => e.message),
    JSON.stringify(text.slice(0, 300)),
  ).toEqual([]);
  expect(
    doc.warnings.map((w) => w.message),
    JSON.stringify(text.slice(0, 300)),
  ).toEqual([]);
  expect(plain.data, JSON.stringify(text.slice(0, 300))).toEqual(doc.toJS({ maxAliasCount: 100 }) ?? null);
  return true;
}

function realTexts(): string[] {
  const texts = listYaml(blueprintsDir).map(
    (name) => substitute(readFileSync(join(blueprintsDir, name), 'utf8'), blueprintSubstitutions).text,
  );
  // As validate reads them: placeholders replaced (with a plain word here).
  const under = (dir: string) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => readFileSync(join(dir, f), 'utf8').replace(/\{\{[^}]*\}\}/g, 'Home'));
  texts.push(...under(join(repoRoot, 'flows')), ...under(join(repoRoot, 'test', 'fixtures', 'demo-before')));
  for (let i = 0; i < 10; i++) texts.push(moduleYaml(i, { seed: 7 }), callerYaml(i, i % 3, { seed: 7 }));
  return texts;
}

const real = realTexts();
const invalid = listYaml(`${fixturesDir}invalid/`).map((f) => readFileSync(join(fixturesDir, 'invalid', f), 'utf8'));

/** Pieces of YAML that the two readers are known to treat differently, and ordinary ones. */
const piece = fc.constantFrom(
  'a',
  'b: c',
  ': ',
  ':',
  '- ',
  '\n',
  '\n  ',
  '\n    ',
  '  ',
  '\t',
  '\r',
  '\r\n',
  '[',
  ']',
  '{',
  '}',
  ', ',
  ',',
  '"',
  "'",
  '"x"',
  "'y'",
  '#',
  ' #c',
  '&a ',
  '*a',
  '!t ',
  '!!str ',
  '? ',
  '|',
  '>',
  '|-\n  t',
  '~',
  'null',
  'Null',
  'true',
  'yes',
  '0x1F',
  '-0x1',
  '0b1',
  '0o7',
  '+0o7',
  '.5',
  '-.5e-3',
  '1_000',
  '2026-11-24',
  '12:30',
  '%YAML 1.2\n',
  '---\n',
  '...\n',
  '<<',
  '__proto__',
  '\\',
  '"\\x41"',
  '"\\q"',
  '@',
  '`',
  '\u00a0',
  '\uFEFF',
  'k'.repeat(1030),
  'é',
  '😀',
  '{{x}}',
);
const soup = fc.array(piece, { minLength: 1, maxLength: 24 }).map((parts) => parts.join(''));
const edit: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(piece, soup, fc.string({ maxLength: 8 })),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('duplicateLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swapLines' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
);
const mutated = fc
  .record({
    seed: fc.nat({ max: real.length + invalid.length - 1 }),
    edits: fc.array(edit, { minLength: 1, maxLength: 4 }),
  })
  .map(({ seed, edits }) => edits.reduce((text, m) => mutate(text, m), [...real, ...invalid][seed]!));

describe('the fast YAML reader reads what it takes exactly as the yaml package does', () => {
  it('takes every real and generated flow (the speed of validate and plan rests on it)', () => {
    expect(real.length).toBeGreaterThan(20);
    for (const text of real) expect(holdsPromise(text), text.slice(0, 200)).toBe(true);
  });

  it('declines each construct the two readers disagree on', () => {
    for (const text of [
      'null: a',
      '~: a',
      'a: [\nb\n]',
      'a: "x"#c',
      'a: [b]#c',
      'a: 1\rb: 2',
      `${'k'.repeat(1100)}: a`,
      'a: &x 1\nb: *x',
      'a: !t 1',
      '%YAML 1.2\n---\na: 1',
      '? [a]\n: b',
      '{{x}}: 1',
      'a: "x\n  y"',
      '__proto__: 1',
      '\uFEFF- a',
      '---\n\t',
      '>\n    \n#',
      'a: [: main]',
      '[? ]',
      'a: {: b}',
    ]) {
      expect(loadPlainYaml(text), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('on mutated flows and on random pieces of YAML (property)', () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 3, arbitrary: mutated }, { weight: 2, arbitrary: soup }), (text) => {
        if (holdsPromise(text)) taken++;
      }),
      { numRuns: Number(process.env.FY_RUNS ?? 4000), seed: Number(process.env.FY_SEED ?? 20261124) },
    );
    // Not vacuous: a good share of the inputs are taken by the fast reader.
    expect(taken).toBeGreaterThan(400);
  });
});
