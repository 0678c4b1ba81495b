/**
 * Bad inputs for `flowops validate` and `flowops plan`, generated with fast-check: real blueprint
 * files mutated, random YAML and text, deep nesting, huge strings, alias bombs, invalid UTF-8, values
 * of the wrong type, broken flowops.yaml files, sets of files that contradict each other.
 *
 * A case is a small description (so that fast-check can generate and print it); `materialize` turns
 * it into files.
 */
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { blueprintsDir, blueprintSubstitutions, fixturesDir, listYaml, readSource } from '../helpers/fixtures.js';

const blueprintFiles = [
  'DR-Emergency-IVR.yaml',
  'DR-Fallback-Ivr.yaml',
  'SimpleFinancialIvr_v2-0.yaml',
  'merge-external-contact/ResolveContact.yaml',
  'merge-external-contact/MergeExternalContactMessageFlow.yaml',
  'merge-external-contact/MergeExternalContactBot.yaml',
];
export const blueprints = blueprintFiles.map((f) => readSource(blueprintsDir, f).text);
const invalidFixtures = listYaml(`${fixturesDir}invalid/`).map((f) => readSource(`${fixturesDir}invalid/`, f).text);
const seeds = [...blueprints, ...invalidFixtures];

export const substitutionsYaml = Object.entries(blueprintSubstitutions)
  .map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`)
  .join('\n');
export const defaultConfig = `flows: flows/**/*.yaml\ndefaultEnvironment: fuzz\nenvironments:\n  fuzz:\n    region: mypurecloud.com\n    substitutions:\n${substitutionsYaml}\n`;

export type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicateLine'; at: number }
  | { kind: 'swapLines'; at: number; other: number }
  | { kind: 'indent'; at: number; by: number }
  | { kind: 'truncate'; at: number };

/** Edits that break real files in the ways people and tools do (the unit fuzz test draws from it too). */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
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
        '{{ greeting }}',
        '[',
        ']',
        '{',
        '}',
        '&a ',
        '*a',
        '<<: *a\n',
        '"',
        "'",
        '\t',
        '\n',
        '  ',
        '#',
        '!!binary ',
        '!!js/function ',
        '%YAML 1.1\n',
        '---\n',
        '...\n',
        '? ',
        '|',
        '>',
        '\u0000',
        '\uFEFF',
        '\u202E',
      ),
      fc.string({ maxLength: 20 }),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
    ),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ kind: fc.constant('duplicateLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swapLines' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -6, max: 6 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

export function mutate(text: string, m: Mutation): string {
  const at = text.length ? m.at % text.length : 0;
  const lines = text.split('\n');
  const i = m.at % lines.length;
  switch (m.kind) {
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'duplicateLine':
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    case 'swapLines': {
      const j = m.other % lines.length;
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
    case 'indent':
      lines[i] = m.by >= 0 ? ' '.repeat(m.by) + lines[i] : lines[i]!.replace(new RegExp(`^ {0,${-m.by}}`), '');
      return lines.join('\n');
    case 'truncate':
      return text.slice(0, at);
  }
}

/** Byte sequences that are not UTF-8: stray continuation, overlong, surrogate, cut, out of range. */
const badBytes = [
  [0xff],
  [0xfe],
  [0x80],
  [0xc0, 0x80],
  [0xe0, 0x80, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
];

export type FuzzCase =
  | { kind: 'mutated-blueprint'; seed: number; mutations: Mutation[] }
  | { kind: 'random-yaml'; value: unknown; under: string | null }
  | { kind: 'random-text'; text: string }
  | {
      kind: 'deep-nesting';
      style: 'brackets' | 'braces' | 'block-map' | 'block-seq' | 'mixed';
      depth: number;
      underFlow: boolean;
    }
  | { kind: 'huge-string'; bytes: number; char: string; where: 'name' | 'tts' | 'key' | 'comment' | 'lines' }
  | { kind: 'alias-bomb'; levels: number; width: number; style: 'sequence' | 'merge' | 'in-flow' }
  | { kind: 'invalid-utf8'; seed: number; at: number; bad: number; cutAtEnd: boolean; inConfig: boolean }
  | { kind: 'wrong-types'; seed: number; picks: number[]; values: unknown[] }
  | { kind: 'config'; mutations: Mutation[]; replace: { key: string; value: unknown } | null }
  | { kind: 'multi-file'; files: Array<{ seed: number; mutations: Mutation[] }>; rename: string | null };

const wrongValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 30 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 3 }),
  fc.constant('{{missing_key}}'),
);

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('mutated-blueprint' as const),
      seed: fc.nat({ max: seeds.length - 1 }),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 8 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('random-yaml' as const),
      value: fc.jsonValue({ maxDepth: 6 }),
      under: fc.constantFrom(null, 'inboundCall', 'commonModule', 'inqueueCall', 'botFlow', 'nonsense'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('random-text' as const),
      text: fc.oneof(
        fc.string({ maxLength: 2000 }),
        fc.string({ unit: 'binary', maxLength: 500 }),
        fc.string({ unit: 'grapheme', maxLength: 300 }),
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('deep-nesting' as const),
      style: fc.constantFrom(
        'brackets' as const,
        'braces' as const,
        'block-map' as const,
        'block-seq' as const,
        'mixed' as const,
      ),
      depth: fc.oneof(fc.integer({ min: 150, max: 260 }), fc.integer({ min: 1000, max: 30_000 })),
      underFlow: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('huge-string' as const),
      bytes: fc.constantFrom(64 * 1024, 1024 * 1024, 4 * 1024 * 1024, 5 * 1024 * 1024 + 1, 8 * 1024 * 1024),
      char: fc.constantFrom('x', 'é', '😀', ' ', '{'),
      where: fc.constantFrom('name' as const, 'tts' as const, 'key' as const, 'comment' as const, 'lines' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('alias-bomb' as const),
      levels: fc.integer({ min: 2, max: 12 }),
      width: fc.integer({ min: 2, max: 12 }),
      style: fc.constantFrom('sequence' as const, 'merge' as const, 'in-flow' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('invalid-utf8' as const),
      seed: fc.nat({ max: blueprints.length - 1 }),
      at: fc.nat(),
      bad: fc.nat({ max: badBytes.length - 1 }),
      cutAtEnd: fc.boolean(),
      inConfig: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('wrong-types' as const),
      seed: fc.nat({ max: blueprints.length - 1 }),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      values: fc.array(wrongValue, { minLength: 4, maxLength: 4 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('config' as const),
      mutations: fc.array(mutation, { maxLength: 4 }),
      replace: fc.option(
        fc.record({
          key: fc.constantFrom(
            'flows',
            'defaultEnvironment',
            'environments',
            'externalModules',
            'limits',
            'environments.fuzz',
            'environments.fuzz.substitutions',
            'environments.fuzz.substitutions.division',
            'environments.fuzz.region',
            'environments.fuzz.emulator',
            'environments.fuzz.requestsPerMinute',
            'limits.maxFileBytes',
          ),
          value: fc.oneof(
            wrongValue,
            fc.constant({ fromEnv: 'FLOWOPS_FUZZ_UNSET' }),
            fc.constant({ fromEnv: 42, secret: 'yes' }),
            fc.constant({ value: [1], secret: true }),
          ),
        }),
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('multi-file' as const),
      files: fc.array(
        fc.record({ seed: fc.nat({ max: blueprints.length - 1 }), mutations: fc.array(mutation, { maxLength: 2 }) }),
        { minLength: 2, maxLength: 4 },
      ),
      rename: fc.option(
        fc.constantFrom('Resolve Contact', 'Merge Contact Bot', 'DR Emergency IVR', '', '{{common_module_name}}'),
      ),
    }),
  },
);

function nest(style: 'brackets' | 'braces' | 'block-map' | 'block-seq' | 'mixed', depth: number): string {
  switch (style) {
    case 'brackets':
      return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    case 'braces':
      return `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`;
    case 'block-map':
      return Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' x';
    case 'block-seq':
      return `${'- '.repeat(depth)}x`;
    case 'mixed':
      return (
        Array.from({ length: depth }, (_, i) => `${' '.repeat(i * 2)}${i % 2 ? '- ' : ''}k${i}:`).join('\n') + ' x'
      );
  }
}

function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = doc;
  for (const k of keys.slice(0, -1)) {
    if (typeof node[k] !== 'object' || node[k] === null) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

/** Every container and scalar of a parsed document, in a fixed order, with a way to replace it. */
function slots(root: unknown): Array<(v: unknown) => void> {
  const out: Array<(v: unknown) => void> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach((child, i) => (out.push((v) => (node[i] = v)), walk(child)));
    else if (node && typeof node === 'object')
      for (const k of Object.keys(node))
        out.push((v) => ((node as Record<string, unknown>)[k] = v)), walk((node as Record<string, unknown>)[k]);
  };
  walk(root);
  return out;
}

function substituted(text: string): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (all, key: string) => blueprintSubstitutions[key] ?? all);
}

export interface Materialized {
  /** Paths under flows/ -> content. */
  flows: Record<string, string | Buffer>;
  config: string | Buffer;
}

export function materialize(c: FuzzCase): Materialized {
  const one = (content: string | Buffer): Materialized => ({ flows: { 'case.yaml': content }, config: defaultConfig });
  switch (c.kind) {
    case 'mutated-blueprint':
      return one(c.mutations.reduce(mutate, seeds[c.seed]!));
    case 'random-yaml':
      return one(c.under ? stringify({ [c.under]: c.value }) : stringify(c.value));
    case 'random-text':
      return one(c.text);
    case 'deep-nesting': {
      // Indented styles grow with the square of the depth: 3000 levels is 4.5 MB of indentation.
      const body = nest(
        c.style,
        c.style === 'block-map' || c.style === 'mixed'
          ? Math.min(c.depth, c.style === 'mixed' ? 2_000 : 3_000)
          : c.depth,
      );
      return one(
        c.underFlow
          ? `inboundCall:\n  name: Deep\n  startUpRef: x\n  tasks: ${body.includes('\n') ? `\n${body.replace(/^/gm, '    ')}` : body}\n`
          : body,
      );
    }
    case 'huge-string': {
      const big = c.char.repeat(Math.ceil(c.bytes / Buffer.byteLength(c.char)));
      const flow = (name: string, tts: string, extra = '') =>
        `inboundCall:\n  name: ${name}\n  startUpRef: "/inboundCall/tasks/task[t]"\n${extra}  tasks:\n    - task:\n        name: T\n        refId: t\n        actions:\n          - playAudio:\n              name: P\n              audio:\n                tts: ${tts}\n          - disconnect:\n              name: D\n`;
      if (c.where === 'name') return one(flow(JSON.stringify(big), 'hi'));
      if (c.where === 'tts') return one(flow('Huge', JSON.stringify(big)));
      if (c.where === 'key') return one(flow('Huge', 'hi', `  ${JSON.stringify(big)}: 1\n`));
      if (c.where === 'comment') return one(`# ${big}\n${flow('Huge', 'hi')}`);
      return one(
        flow(
          'Huge',
          'hi',
          `  description: |\n${big.slice(0, Math.floor(big.length / 2)).replace(/(.{1,80})/g, '    $1\n')}`,
        ),
      );
    }
    case 'alias-bomb': {
      const lines = ['a0: &a0 [lol, lol]'];
      for (let i = 1; i <= c.levels; i++) {
        const refs = Array.from({ length: c.width }, () => `*a${i - 1}`).join(', ');
        lines.push(
          c.style === 'merge' ? `a${i}: &a${i}\n  <<: *a${i - 1}\n  k${i}: [${refs}]` : `a${i}: &a${i} [${refs}]`,
        );
      }
      if (c.style === 'in-flow')
        return one(
          `inboundCall:\n  name: Bomb\n  startUpRef: x\n  description: &d0 [lol, lol]\n  settingsX:\n${lines
            .slice(1)
            .map((l) => `    ${l.replace(/a0/g, 'd0')}`)
            .join('\n')}\n`,
        );
      return one(lines.join('\n') + `\ninboundCall: *a${c.levels}\n`);
    }
    case 'invalid-utf8': {
      const text = Buffer.from(blueprints[c.seed]!, 'utf8');
      const at = c.cutAtEnd ? text.length : c.at % text.length;
      const bad = Buffer.from(badBytes[c.bad]!);
      const broken = Buffer.concat([text.subarray(0, at), bad, c.cutAtEnd ? Buffer.alloc(0) : text.subarray(at)]);
      if (c.inConfig) {
        const config = Buffer.from(defaultConfig, 'utf8');
        const cut = c.at % config.length;
        return {
          flows: { 'case.yaml': blueprints[c.seed]! },
          config: Buffer.concat([config.subarray(0, cut), bad, config.subarray(cut)]),
        };
      }
      return one(broken);
    }
    case 'wrong-types': {
      const doc = parse(substituted(blueprints[c.seed]!)) as unknown;
      const all = slots(doc);
      c.picks.forEach((p, i) => all[p % all.length]?.(c.values[i % c.values.length]));
      return one(stringify(doc));
    }
    case 'config': {
      let config = c.mutations.reduce(mutate, defaultConfig);
      if (c.replace) {
        try {
          const doc = (parse(config) ?? {}) as Record<string, unknown>;
          if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
            setPath(doc, c.replace.key, c.replace.value);
            config = stringify(doc);
          }
        } catch {
          // The mutations broke the YAML already: that is the case.
        }
      }
      return { flows: { 'case.yaml': blueprints[0]! }, config };
    }
    case 'multi-file': {
      const flows: Record<string, string> = {};
      c.files.forEach((f, i) => {
        let text = f.mutations.reduce(mutate, blueprints[f.seed]!);
        if (c.rename !== null && i > 0) text = text.replace(/^(\s+name:\s*).*$/m, `$1${c.rename}`);
        flows[`f${i}.yaml`] = text;
      });
      return { flows, config: defaultConfig };
    }
  }
}
