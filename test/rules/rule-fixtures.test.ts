/**
 * One failing and one passing fixture per house rule (test/fixtures/rules/), each run through the
 * CLI binary in a project of its own. A fixture's first lines say how the rule is configured and
 * what must be reported:
 *   `# rules: {<flow mapping of flowops.yaml's rules:>}`
 *   `# expect: <error|warning> <rule-id> <line>:<col> <part of the message>` (one line each), or
 *   `# expect: valid` (nothing reported for the file, exit 0).
 * The common module of test/fixtures/context/ sits beside it; `{{division}}` is `Home`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixturesDir, listYaml } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

interface Expected {
  severity: string;
  code: string;
  line: number;
  col: number;
  message: string;
}

const cases = listYaml(`${fixturesDir}rules/`).map((name) => {
  const text = readFileSync(`${fixturesDir}rules/${name}`, 'utf8');
  const rules = /^# rules: (.+)$/m.exec(text)?.[1];
  if (!rules) throw new Error(`${name} has no "# rules:" line`);
  const valid = /^# expect: valid$/m.test(text);
  const expected: Expected[] = [...text.matchAll(/^# expect: (error|warning) (\S+) (\d+):(\d+) (.+)$/gm)].map((m) => ({
    severity: m[1]!,
    code: m[2]!,
    line: Number(m[3]),
    col: Number(m[4]),
    message: m[5]!,
  }));
  if (!valid && expected.length === 0) throw new Error(`${name} has no "# expect:" line`);
  return { name, text, rules, expected };
});

describe('house rules, one fixture each, through the binary', () => {
  it.concurrent.each(cases)('$name', async ({ name, text, rules, expected }) => {
    const dir = tempDir({
      'flowops.yaml': `flows: flows/**/*.yaml\nrules: ${rules}\nenvironments:\n  test:\n    substitutions: {division: Home}\n`,
      'flows/module.yaml': readFileSync(`${fixturesDir}context/module.yaml`, 'utf8'),
      [`flows/${name}`]: text,
    });
    const r = await runCli(['validate', '--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as { diagnostics: Array<Expected & { file: string; rule?: string }> };
    const file = `flows/${name}`;
    expect(report.diagnostics.filter((d) => d.file !== file)).toEqual([]);
    const mine = report.diagnostics.filter((d) => d.file === file);
    expect(mine).toHaveLength(expected.length);
    for (const e of expected)
      expect(mine).toContainEqual({
        ...e,
        file,
        rule: e.code,
        message: expect.stringContaining(e.message),
      });
    expect(r.code).toBe(expected.some((e) => e.severity === 'error') ? 1 : 0);
  });
});
