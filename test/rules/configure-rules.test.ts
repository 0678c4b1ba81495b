/** Which rules a run applies: defaults of rules not named, ids defined twice, options checked only for rules that run. */
import { describe, expect, it } from 'vitest';
import { configureRules } from '../../src/rules/configure-rules.js';
import type { RuleSetting } from '../../src/config/config.js';
import type { Rule } from '../../src/rules/types.js';

const at = { line: 4, col: 3 };
const rule = (id: string, extra: Partial<Rule> = {}): Rule => ({ id, description: id, check: () => {}, ...extra });
const needsModule = rule('needs-module', {
  defaultSeverity: 'warn',
  validateOptions: (o) => (o.module ? undefined : 'option "module" is required'),
});

function configure(
  available: Parameters<typeof configureRules>[0]['available'],
  settings: RuleSetting[] = [],
  plugins: string[] = [],
) {
  return configureRules({
    section: { at, plugins: plugins.map((path) => ({ path, at })), settings },
    available,
    configPath: 'flowops.yaml',
  });
}
const active = (r: ReturnType<typeof configureRules>) =>
  r.rules?.active.map((a) => `${a.rule.id}:${a.severity}`) ?? r.diagnostics.map((d) => d.message);

describe('configureRules', () => {
  it('runs a built-in not named at its default, never as an error; one that needs options stays off; a plugin rule runs only when named', () => {
    const r = configure([
      { rule: rule('strict', { defaultSeverity: 'error' }) },
      { rule: rule('quiet') },
      { rule: needsModule },
      { rule: rule('from-plugin', { defaultSeverity: 'error' }), plugin: './p.mjs' },
    ]);
    expect(active(r)).toEqual(['strict:warn']);
    expect([...r.rules!.known]).toEqual(['strict', 'quiet', 'needs-module', 'from-plugin']);
  });

  it('a named rule runs at its severity (error without one); off needs no options', () => {
    const r = configure(
      [{ rule: needsModule }, { rule: rule('other'), plugin: './p.mjs' }],
      [
        { id: 'needs-module', severity: 'off', options: {}, at },
        { id: 'other', options: {}, at },
      ],
    );
    expect(active(r)).toEqual(['other:error']);
    expect(
      active(configure([{ rule: needsModule }], [{ id: 'needs-module', severity: 'warn', options: {}, at }])),
    ).toEqual(['rules.needs-module: option "module" is required']);
  });

  it('an id defined twice is an error at the plugin that defines it again', () => {
    const r = configure([{ rule: rule('dup') }, { rule: rule('dup'), plugin: './p.mjs' }], [], ['./p.mjs']);
    expect(r.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'config',
        message: 'plugin ./p.mjs: rule "dup" is also defined by built-in rule dup',
        file: 'flowops.yaml',
        line: 4,
        col: 3,
      },
    ]);
  });

  it("a rule's default options are under the configured ones, and checked with them", () => {
    const withDefaults = rule('with-defaults', {
      options: { prefix: 'Test', limit: 3 },
      validateOptions: (o) => (typeof o.limit === 'number' ? undefined : 'option "limit" is a number'),
    });
    const r = configure(
      [{ rule: withDefaults, plugin: './p.mjs' }],
      [{ id: 'with-defaults', options: { limit: 5 }, at }],
    );
    expect(r.rules!.active[0]!.options).toEqual({ prefix: 'Test', limit: 5 });
    expect(active(configure([{ rule: withDefaults }], [{ id: 'with-defaults', options: { limit: 'x' }, at }]))).toEqual(
      ['rules.with-defaults: option "limit" is a number'],
    );
  });

  it('the fingerprint follows the settings and the plugins', () => {
    const a = configure([{ rule: needsModule }], [{ id: 'needs-module', options: { module: 'A' }, at }]);
    const b = configure([{ rule: needsModule }], [{ id: 'needs-module', options: { module: 'B' }, at }]);
    expect(a.rules!.fingerprint).not.toBe(b.rules!.fingerprint);
    expect(a.rules!.fingerprint).toBe(
      configure([{ rule: needsModule }], [{ id: 'needs-module', options: { module: 'A' }, at }]).rules!.fingerprint,
    );
  });
});
