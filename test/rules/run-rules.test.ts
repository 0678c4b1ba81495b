/**
 * The runner on one checked file: where reports land (through substitutions; a path the document
 * lacks at the flow's first line), a rule that throws, a plugin's rule that changes the document.
 */
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../src/check/index.js';
import { configureRules } from '../../src/rules/configure-rules.js';
import { runRules } from '../../src/rules/run-rules.js';
import type { Rule } from '../../src/rules/types.js';

const TEXT = [
  '# a comment first',
  'inboundCall:',
  '  name: {{line_name}}',
  '  startUpRef: start',
  '  tasks:',
  '    - task: {name: Start, refId: start, actions: [{playAudio: {name: {{greet}}, audio: {tts: Hi}}}, {disconnect: {name: Bye}}]}',
  '  division: Home',
  '',
].join('\n');
const source = { path: 'flows/line.yaml', text: TEXT };
const options = { substitutions: { line_name: 'Main', greet: 'A much longer greeting name than the placeholder' } };

function run(rules: Rule[], plugin?: string) {
  const record = checkFile(source, options);
  expect(record.diagnostics).toEqual([]);
  const { rules: set, diagnostics } = configureRules({
    section: {
      at: { line: 1, col: 1 },
      plugins: plugin ? [{ path: plugin, at: { line: 1, col: 1 } }] : [],
      settings: rules.map((r) => ({ id: r.id, severity: 'error' as const, options: {}, at: { line: 1, col: 1 } })),
    },
    available: rules.map((rule) => (plugin ? { rule, plugin } : { rule })),
    configPath: 'flowops.yaml',
  });
  expect(diagnostics).toEqual([]);
  return { record, diagnostics: runRules(source, record, set!) };
}

const reporting = (path: (string | number)[]): Rule => ({
  id: 'reports',
  description: 'reports one path',
  check: (_flow, ctx) => ctx.report(path, 'here'),
});

describe('runRules', () => {
  it('places a report at the file as written, through substitutions on the same line', () => {
    const path = ['inboundCall', 'tasks', 0, 'task', 'actions', 1, 'disconnect', 'name'];
    const [d] = run([reporting(path)]).diagnostics;
    expect(d).toMatchObject({ file: 'flows/line.yaml', line: 6, col: TEXT.split('\n')[5]!.indexOf('Bye') + 1 });
    // A value that came from a placeholder is at the placeholder.
    const [name] = run([reporting(['inboundCall', 'name'])]).diagnostics;
    expect(name).toMatchObject({ line: 3, col: 9, rule: 'reports', code: 'reports', severity: 'error' });
  });

  it("reports a path the document does not have at the flow's first line", () => {
    for (const path of [['inboundCall', 'menus', 0], ['nowhere'], ['inboundCall', 'tasks', 7, 'task']]) {
      expect(run([reporting(path)]).diagnostics).toEqual([
        {
          severity: 'error',
          code: 'reports',
          rule: 'reports',
          message: 'here',
          file: 'flows/line.yaml',
          line: 2,
          col: 1,
        },
      ]);
    }
  });

  it("a rule that throws is its own error; the next rule runs; a plugin's changes never reach the flow", () => {
    const throws: Rule = {
      id: 'throws',
      description: 'changes the document, then throws',
      check: (flow) => {
        (flow.document.inboundCall as Record<string, unknown>).name = 'Changed';
        throw new Error('boom\nsecond line');
      },
    };
    const { record, diagnostics } = run([throws, reporting(['inboundCall'])], './rules/p.mjs');
    expect(diagnostics.map((d) => d.message)).toEqual([
      'rule throws of plugin ./rules/p.mjs failed on this flow: boom',
      'here',
    ]);
    expect((record.flow!.data!.inboundCall as Record<string, unknown>).name).toBe('Main');
  });

  it("an async check is that rule's error (rules are synchronous); a plugin cannot change the references", async () => {
    const rejecting: Rule = {
      id: 'rejecting',
      description: 'an async check that rejects',
      check: (async () => {
        throw new Error('late');
      }) as unknown as Rule['check'],
    };
    const clearing: Rule = {
      id: 'clearing',
      description: 'empties the references',
      check: (_flow, ctx) => (ctx.references as unknown[]).splice(0),
    };
    const { record, diagnostics } = run([rejecting, clearing], './rules/p.mjs');
    expect(diagnostics.map((d) => d.message)).toEqual([
      'rule rejecting of plugin ./rules/p.mjs failed on this flow: check returned a promise: a rule is synchronous (plugin API version 1)',
    ]);
    // The rejection is handled (an unhandled one would fail this test run).
    await new Promise((resolve) => setImmediate(resolve));
    expect(record.flow!.references!.length).toBeGreaterThan(0);
  });

  it("runs nothing on a file with errors of its own (they come first, as a compiler's before a linter's)", () => {
    const record = checkFile(
      { path: 'broken.yaml', text: TEXT.replace('startUpRef: start', 'startUpRef: nowhere') },
      options,
    );
    expect(record.diagnostics.map((d) => d.code)).toContain('broken-reference');
    const { rules } = configureRules({
      section: {
        at: { line: 1, col: 1 },
        plugins: [],
        settings: [{ id: 'reports', severity: 'error', options: {}, at: { line: 1, col: 1 } }],
      },
      available: [{ rule: reporting(['inboundCall']) }],
      configPath: 'flowops.yaml',
    });
    expect(runRules({ path: 'broken.yaml', text: TEXT }, record, rules!)).toEqual([]);
  });
});
