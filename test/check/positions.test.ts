import { describe, expect, it } from 'vitest';
import { checkFlowSources } from '../../src/check/index.js';
import { substitute, toOriginalOffset } from '../../src/check/substitute.js';

describe('substitution keeps positions of the original file', () => {
  it('replaces {{key}} as text, also unquoted and as a map key', () => {
    const r = substitute('a: {{x}}\n{{k}}: 1\n', { x: 'hello world', k: 'My Module' });
    expect(r.text).toBe('a: hello world\nMy Module: 1\n');
    expect(r.problems).toEqual([]);
    expect(r.keys).toEqual(['x', 'k']);
  });

  it('maps offsets after a longer and a shorter value back to the original', () => {
    const original = 'a: {{long}} b {{s}} c';
    const r = substitute(original, { long: 'LONGER-VALUE', s: '' });
    const cIndex = r.text.indexOf(' c') + 1;
    expect(original[toOriginalOffset(r.replacements, cIndex)]).toBe('c');
    // An offset inside an inserted value points at its placeholder.
    expect(toOriginalOffset(r.replacements, r.text.indexOf('VALUE'))).toBe(original.indexOf('{{long}}'));
  });

  it('reports an error after substituted values at its line and column in the file as written', () => {
    const text = [
      'inboundCall:',
      '  name: {{a_rather_long_flow_name_key}}', // becomes a short value
      '  startUpRef: "/inboundCall/tasks/task[s]"',
      '  tasks:',
      '    - task:',
      '        name: {{x}} {{x}} T', // two replacements on the line before the error column
      '        refId: s',
      '        actions:',
      '          - jumpToTask: {name: {{x}}, targetTaskRef: "/inboundCall/tasks/task[nope]"}',
    ].join('\n');
    const result = checkFlowSources([{ path: 'f.yaml', text }], {
      substitutions: { a_rather_long_flow_name_key: 'N', x: 'a much longer substituted value' },
    });
    expect(result.diagnostics).toHaveLength(1);
    const d = result.diagnostics[0]!;
    expect([d.line, d.col]).toEqual([9, text.split('\n')[8]!.indexOf('"/inboundCall/tasks/task[nope]"') + 1]);
  });

  it('a YAML error caused by a substituted value points at its placeholder', () => {
    const text = 'inboundCall:\n  name: ok\n  description: {{desc}}\n';
    const result = checkFlowSources([{ path: 'f.yaml', text }], { substitutions: { desc: 'press 1: sales' } });
    const syntax = result.diagnostics.find((d) => d.code === 'yaml-syntax');
    expect(syntax).toMatchObject({ line: 3, col: 16 });
  });

  it('a value that fixes an otherwise odd placeholder position still parses (numbers and booleans)', () => {
    const text =
      'commonModule:\n  name: {{n}}\n  description: {{flag}}\n  startUpTaskActions:\n    - endTask: {name: Exit}\n';
    const result = checkFlowSources([{ path: 'm.yaml', text }], { substitutions: { n: 42, flag: true } });
    expect(result.diagnostics).toEqual([]);
    expect(result.flows[0]!.name).toBe('42');
    const boolean = checkFlowSources([{ path: 'b.yaml', text: text.replace('{{n}}', 'true') }], {
      substitutions: { flag: true },
    });
    expect(boolean.flows.map((f) => f.name)).toEqual(['true']);
  });
});
