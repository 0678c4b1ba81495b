/**
 * The six built-in rules of test/fixtures/house-rules/ through the real binary: each rule has a
 * failing file, whose first line says what must be reported (`# expect: <severity> <rule> <line>:<col>
 * <part of the message>`), and a passing file. Each rule runs alone (the others off), so a file
 * answers for its own rule; with the rule off the failing file is clean, so every fixture depends on
 * its rule.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixturesDir, listYaml, repoRoot } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

const DIR = `${fixturesDir}house-rules/`;
const RULES = [
  'no-hardcoded-ids',
  'failure-paths',
  'error-handling',
  'unreachable',
  'dynamic-lookups',
  'module-version',
];
const moduleFlow = readFileSync(`${repoRoot}flows/modules/tag-and-greet.yaml`, 'utf8');

interface Expectation {
  file: string;
  rule: string;
  severity: string;
  line: number;
  col: number;
  message: string;
}

function expectationOf(file: string): Expectation {
  const text = readFileSync(`${DIR}${file}`, 'utf8');
  const m = /^# expect: (error|warning) (\S+) (\d+):(\d+) (.+)$/m.exec(text);
  if (!m) throw new Error(`${file} has no "# expect:" line`);
  return { file, severity: m[1]!, rule: m[2]!, line: Number(m[3]), col: Number(m[4]), message: m[5]! };
}

/** A project of the given fixtures (and the demo's module, which one of them calls), with `rules` set as given. */
async function validate(files: string[], rules: Record<string, string>) {
  const tree: Record<string, string> = {
    'flowops.yaml': [
      'flows: flows/**/*.yaml',
      'rules:',
      ...Object.entries(rules).map(([id, severity]) => `  ${id}: ${severity}`),
      'environments:',
      '  test:',
      '    substitutions: {division: Home}',
    ].join('\n'),
    'flows/module.yaml': moduleFlow,
  };
  for (const file of files) tree[`flows/${file}`] = readFileSync(`${DIR}${file}`, 'utf8');
  const result = await runCli(['validate'], { cwd: tempDir(tree) });
  expect(result.stderr).toBe('');
  return { ...result, lines: result.stdout.split('\n').filter((l) => /^flows\//.test(l)) };
}

const all = (severity: string) => Object.fromEntries(RULES.map((id) => [id, severity]));
const failing = listYaml(DIR).filter((f) => f.endsWith('-fail.yaml'));
const passing = listYaml(DIR).filter((f) => f.endsWith('-pass.yaml'));
const expectations = failing.map(expectationOf);

describe('built-in house rules through the binary', () => {
  it('every rule has a failing and a passing fixture', () => {
    expect(expectations.map((e) => e.rule).sort()).toEqual([...RULES].sort());
    expect(passing.map((f) => f.replace(/-pass\.yaml$/, '')).sort()).toEqual([...RULES].sort());
    for (const e of expectations) expect(e.file).toBe(`${e.rule}-fail.yaml`);
  });

  it.each(expectations)('$file: $severity $rule at $line:$col, and nothing else', async (e) => {
    const r = await validate([e.file], { ...all('off'), [e.rule]: 'warn' });
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(`flows/${e.file}:${e.line}:${e.col}: ${e.severity}: `);
    expect(r.lines[0]).toContain(e.message);
    expect(r.lines[0]!.endsWith(` (${e.rule})`)).toBe(true);
    expect(r.code).toBe(0);
  });

  it('at severity error, each failing fixture fails validate (exit 1) at the same place', async () => {
    const r = await validate(failing, all('error'));
    for (const e of expectations)
      expect(r.lines).toContainEqual(
        expect.stringMatching(`^flows/${e.file}:${e.line}:${e.col}: error: .*\\(${e.rule}\\)$`),
      );
    expect(r.lines).toHaveLength(expectations.length);
    expect(r.code).toBe(1);
  });

  it('the passing fixtures pass every rule', async () => {
    const r = await validate(passing, all('error'));
    expect(r.lines).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('with the rules off, the failing fixtures are clean: each finding is its rule', async () => {
    const r = await validate(failing, all('off'));
    expect(r.lines).toEqual([]);
    expect(r.code).toBe(0);
  });
});
