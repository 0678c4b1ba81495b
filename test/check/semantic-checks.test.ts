import { describe, expect, it } from 'vitest';
import { checkFlowSources } from '../../src/check/index.js';
import { fixturesDir, listYaml, readSource } from '../helpers/fixtures.js';

/**
 * One failing fixture per check. Each file's first line says what must be reported:
 * `# expect: <severity> <code> <line>:<col> <part of the message>`.
 */
const context = [readSource(`${fixturesDir}context/`, 'module.yaml')];
const cases = listYaml(`${fixturesDir}invalid/`).map((name) => {
  const source = readSource(`${fixturesDir}invalid/`, name);
  const m = /^# expect: (error|warning) (\S+) (\d+):(\d+) (.+)$/m.exec(source.text);
  if (!m) throw new Error(`${name} has no "# expect:" line`);
  return { name, source, severity: m[1], code: m[2], line: Number(m[3]), col: Number(m[4]), message: m[5]! };
});

describe('semantic and schema checks, one fixture each', () => {
  it.each(cases)('$name: $severity $code at $line:$col', ({ name, source, severity, code, line, col, message }) => {
    const result = checkFlowSources([...context, source], { substitutions: { division: 'Home' }, environment: 'test' });
    const mine = result.diagnostics.filter((d) => d.file === name);
    expect(mine).toContainEqual({ severity, code, file: name, line, col, message: expect.stringContaining(message) });
    // The expected problem is the only error: no cascades, nothing blamed on the context file.
    expect(mine.filter((d) => d.severity === 'error')).toHaveLength(severity === 'error' ? 1 : 0);
    expect(result.diagnostics.filter((d) => d.file !== name && d.code !== 'duplicate-flow')).toEqual([]);
  });

  it('the context module alone is valid', () => {
    expect(checkFlowSources(context, { substitutions: { division: 'Home' } }).diagnostics).toEqual([]);
  });
});
