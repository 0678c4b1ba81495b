/**
 * The SARIF log's pure parts: every stable code flowops' sources give a diagnostic has its sentence
 * (so code scanning never shows the generic one for a known code), and a rule that appears twice is
 * described once, the results pointing at it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, describeCode } from '../../src/render/diagnostic-codes.js';
import { sarifLog } from '../../src/render/sarif.js';
import { repoRoot } from '../helpers/fixtures.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'generated' || name === 'emulator') return [];
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** The codes the sources give diagnostics: `code: 'x'`, `add('error', 'x', ...)`, and the check's positional codes. */
function codesInSources(): string[] {
  const codes = new Set<string>();
  for (const file of sources(join(repoRoot, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bcode: '([a-z][a-z-]*)'/g)) codes.add(m[1]!);
    for (const m of text.matchAll(/'(?:error|warning)',\s*'([a-z][a-z-]*)'/g)) codes.add(m[1]!);
  }
  return [...codes].sort();
}

describe('SARIF', () => {
  it("describes every code of flowops' own diagnostics", () => {
    const codes = codesInSources();
    expect(codes.length).toBeGreaterThan(15);
    expect(codes.filter((code) => !Object.hasOwn(DIAGNOSTIC_CODES, code))).toEqual([]);
    expect(describeCode('brand-new-code')).toBe('A problem flowops reports as brand-new-code.');
  });

  it('describes a rule once however often it appears, at the level of its configuration', () => {
    const at = (line: number) => ({ file: 'flows/a b.yaml', line, col: 3, message: `m${line}` });
    const log = sarifLog({
      diagnostics: [
        { ...at(1), severity: 'warning', code: 'failure-paths', rule: 'failure-paths' },
        { ...at(2), severity: 'error', code: 'schema' },
        { ...at(3), severity: 'warning', code: 'failure-paths', rule: 'failure-paths' },
      ],
      rules: [{ id: 'failure-paths', description: 'd', severity: 'warn' }],
      tool: { name: 'flowops', version: '1.2.3' },
      uriOf: (file) => encodeURI(file),
    });
    const run = log.runs[0]!;
    expect(run.tool.driver.rules!.map((r) => [r.id, r.defaultConfiguration!.level])).toEqual([
      ['failure-paths', 'warning'],
      ['schema', 'error'],
    ]);
    expect(run.results!.map((r) => [r.ruleId, r.ruleIndex, r.level])).toEqual([
      ['failure-paths', 0, 'warning'],
      ['schema', 1, 'error'],
      ['failure-paths', 0, 'warning'],
    ]);
    expect(run.results![2]!.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'flows/a%20b.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 3 },
    });
  });
});
