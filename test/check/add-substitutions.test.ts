import { describe, expect, it } from 'vitest';
import { addSubstitutions, environmentsLacking, substitutionKeysOf } from '../../src/config/add-substitutions.js';
import { parseConfig } from '../../src/config/config.js';

// export --substitute adds its values to flowops.yaml: only lines added, the rest as the user wrote it.

const added = (text: string, env: string, values: Record<string, string>): string => {
  const r = addSubstitutions(text, env, values);
  if ('problem' in r) throw new Error(r.problem);
  return r.text;
};

describe('values added to an environment of flowops.yaml', () => {
  it('at the end of its block mapping, its comments, quoting, indentation and blank lines kept', () => {
    const text = `# the project
flows: flows/**/*.yaml   # where

environments:
    dev:    # four spaces here
        region: x
        substitutions:
            a: 'single'
            b: "double"
            c: {value: s3cret, secret: true}
            # a comment after the last value

    prod:
        region: y
`;
    const out = added(text, 'dev', { queue_support: 'Support: East', queue_cafe: 'Café', b: 'double' });
    expect(out).toBe(
      text.replace(
        '            c: {value: s3cret, secret: true}\n',
        '            c: {value: s3cret, secret: true}\n            queue_support: "Support: East"\n            queue_cafe: Café\n',
      ),
    );
    expect(parseConfig('flowops.yaml', out).config?.environments.dev?.substitutions).toEqual({
      a: 'single',
      b: 'double',
      c: { value: 's3cret', secret: true },
      queue_support: 'Support: East',
      queue_cafe: 'Café',
    });
  });

  it('a substitutions mapping made when the environment has none, indented as the file indents', () => {
    const text = 'environments:\n   dev:\n      region: x\n   prod:\n      region: y\n';
    expect(added(text, 'dev', { queue_support: 'Support', n: '42' })).toBe(
      'environments:\n   dev:\n      region: x\n      substitutions:\n         queue_support: Support\n         n: "42"\n   prod:\n      region: y\n',
    );
    // The last environment, at the end of a file without a final newline.
    expect(added('environments:\n  prod:\n    region: y', 'prod', { q: 'Sales' })).toBe(
      'environments:\n  prod:\n    region: y\n    substitutions:\n      q: Sales\n',
    );
  });

  it('inside flow mappings; under an empty `substitutions:`', () => {
    expect(added('environments:\n  dev: {region: x, substitutions: { a: 1 }}\n', 'dev', { q: 'Support' })).toBe(
      'environments:\n  dev: {region: x, substitutions: { a: 1, q: Support }}\n',
    );
    expect(added('environments:\n  dev: {region: x}\n', 'dev', { q: 'A: b' })).toBe(
      'environments:\n  dev: {region: x, substitutions: { q: "A: b" }}\n',
    );
    expect(added('environments:\n  dev:\n    substitutions: {}\n', 'dev', { q: 'S' })).toBe(
      'environments:\n  dev:\n    substitutions: {q: S}\n',
    );
    expect(added('environments:\n  dev:\n    substitutions:\n    region: x\n', 'dev', { q: 'S' })).toBe(
      'environments:\n  dev:\n    substitutions:\n      q: S\n    region: x\n',
    );
  });

  it('changes nothing when the values are there; never overwrites another value', () => {
    const text = 'environments:\n  dev:\n    substitutions:\n      q: Support\n';
    expect(added(text, 'dev', { q: 'Support' })).toBe(text);
    expect(addSubstitutions(text, 'dev', { q: 'Other' })).toEqual({
      problem: 'environments.dev.substitutions.q holds another value',
    });
  });
});

describe('the keys export may not give to a name', () => {
  it('plain values are found; secrets, variables and files entries are taken; other environments lacking keys are named', () => {
    const { config } = parseConfig(
      'flowops.yaml',
      `files:
  - match: flows/a.yaml
    substitutions: {top: 1}
environments:
  dev:
    substitutions:
      q: Support
      n: 3
      s: {value: x, secret: true}
      v: {fromEnv: HOME}
    files:
      - match: flows/b.yaml
        substitutions: {own: 2}
  prod:
    substitutions:
      q: Support Prod
`,
    );
    expect(Object.fromEntries(substitutionKeysOf(config!, 'dev'))).toEqual({
      top: undefined,
      own: undefined,
      q: 'Support',
      n: '3',
      s: undefined,
      v: undefined,
    });
    expect(environmentsLacking(config!, 'dev', ['q', 'queue_billing'])).toEqual([
      { environment: 'prod', missing: ['queue_billing'] },
    ]);
  });
});
