/**
 * Substitutions per file (issue 15): `files` entries of flowops.yaml, at the top level and per
 * environment, layered over the environment's substitutions; how the check reads a file with them.
 */
import { describe, expect, it } from 'vitest';
import { checkFlowSources, fileCheckKey, type FileCheckRecord } from '../../src/check/index.js';
import { fileSubstitutionsOf, parseConfig, resolveEnvironment } from '../../src/config/config.js';
import { checkCached, type FileCheckCache } from '../../src/workspace/check-cache.js';

const config = `environments:
  dev:
    emulator: true
    substitutions: {flow_name: Park, greeting: Hi, division: Home, token: {value: env-token, secret: true}}
    files:
      - match: flows/park/b.yaml
        substitutions: {flow_name: Park B (dev)}
  prod:
    region: mypurecloud.com
    substitutions: {flow_name: Park, greeting: Hello, division: Home}
    files:
      - match: flows/park/*.yaml
        substitutions: {token: {fromEnv: PROD_TOKEN, secret: true}}
files:
  - match: flows/park/*.yaml
    substitutions: {greeting: Parked}
  - match: [flows/park/a.yaml, flows/park/b.yaml]
    substitutions: {flow_name: Park A}
  - match: flows/park/b.yaml
    substitutions: {flow_name: Park B, token: plain}
  - match: flows/park/c.yaml
    substitutions: {flow_name: {value: Park C secret, secret: true}}
`;

function environment(name: string, env: Record<string, string> = {}) {
  const { config: parsed, diagnostics } = parseConfig('flowops.yaml', config);
  expect(diagnostics).toEqual([]);
  const resolved = resolveEnvironment(parsed!, name, env);
  expect(resolved.diagnostics).toEqual([]);
  return resolved.environment!;
}

/** The config's problems as `line:col message`. */
function problems(text: string): string[] {
  return parseConfig('flowops.yaml', text).diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`);
}

describe('files entries in flowops.yaml', () => {
  it('are read at the top level and per environment, in precedence order, with their positions', () => {
    const dev = environment('dev');
    expect(dev.files.map((f) => f.origin)).toEqual([
      'files[0]',
      'files[1]',
      'files[2]',
      'files[3]',
      'environments.dev.files[0]',
    ]);
    expect(dev.files[1]!.match).toEqual(['flows/park/a.yaml', 'flows/park/b.yaml']);
    expect(dev.files[3]).toMatchObject({ values: { flow_name: 'Park C secret' }, secretKeys: ['flow_name'] });
    const parsed = parseConfig('flowops.yaml', config).config!;
    expect(parsed.filePositions['environments.dev.files[0]']).toEqual({ line: 6, col: 9 });
    expect(parsed.filePositions['files[2]']).toEqual({ line: 19, col: 5 });
  });

  it('unknown keys, missing keys, bad values and bad globs are errors at file:line:col', () => {
    const env = 'environments:\n  dev: {emulator: true}\n';
    expect(problems(`${env}files:\n  - match: flows/a.yaml\n    substitution: {a: 1}\n`)).toEqual([
      '4:5 files[0]: missing required key "substitutions"',
      '5:5 files[0]: unknown key "substitution"',
    ]);
    expect(problems(`${env}files:\n  - match: flows/a.yaml\n    substitutions: {a: [1]}\n`)).toEqual([
      '5:24 files[0].substitutions.a: a substitution is a string, number or boolean, {value: ..., secret: true} or {fromEnv: VARIABLE, secret: true}',
    ]);
    expect(problems(`${env}files:\n  - match: {a: 1}\n    substitutions: {}\n`)).toEqual([
      '4:12 files[0].match: must be a glob or a list of globs',
    ]);
    expect(
      problems(
        'environments:\n  dev:\n    files:\n      - match: [flows/ok.yaml, "flows/[a.yaml"]\n        substitutions: {}\n',
      ),
    ).toEqual([
      '4:32 environments.dev.files[0].match: "flows/[a.yaml" is not a valid glob: Missing closing: "]" - use "\\\\]" to match literal characters',
    ]);
    expect(problems(`${env}files:\n  - match: /abs/a.yaml\n    substitutions: {}\n`)).toEqual([
      '4:12 files[0].match: "/abs/a.yaml" is an absolute path: a glob is relative to flowops.yaml',
    ]);
    expect(problems(`${env}files:\n  - match: ../other/*.yaml\n    substitutions: {}\n`)).toEqual([
      '4:12 files[0].match: "../other/*.yaml" leaves the project: a glob is relative to flowops.yaml',
    ]);
  });

  it('a fromEnv of a files entry that is not set is an error at the entry, naming it', () => {
    const { config: parsed } = parseConfig('flowops.yaml', config);
    expect(resolveEnvironment(parsed!, 'prod', {}).diagnostics).toEqual([
      {
        severity: 'error',
        code: 'environment',
        message:
          'substitution "token" of environments.prod.files[0] reads the environment variable PROD_TOKEN, which is not set',
        file: 'flowops.yaml',
        line: 12,
        col: 9,
      },
    ]);
  });

  it('precedence: the environment, then the top-level entries in order, then the environment own; later wins', () => {
    const paths = ['flows/park/a.yaml', 'flows/park/b.yaml', 'flows/park/c.yaml', 'flows/other.yaml'];
    const dev = fileSubstitutionsOf(environment('dev'), paths);
    expect(Object.fromEntries(dev.byPath)).toEqual({
      'flows/park/a.yaml': {
        values: { flow_name: 'Park A', greeting: 'Parked', division: 'Home', token: 'env-token' },
        secretKeys: ['token'],
      },
      // files[2] after files[1], the environment's own entry after both; a value set in clear is no secret.
      'flows/park/b.yaml': {
        values: { flow_name: 'Park B (dev)', greeting: 'Parked', division: 'Home', token: 'plain' },
        secretKeys: [],
      },
      'flows/park/c.yaml': {
        values: { flow_name: 'Park C secret', greeting: 'Parked', division: 'Home', token: 'env-token' },
        secretKeys: ['flow_name', 'token'],
      },
    });
    expect(dev.unmatched).toEqual([]);
    const prod = fileSubstitutionsOf(environment('prod', { PROD_TOKEN: 'prod-token' }), paths);
    expect(prod.byPath.get('flows/park/a.yaml')).toEqual({
      values: { flow_name: 'Park A', greeting: 'Parked', division: 'Home', token: 'prod-token' },
      secretKeys: ['token'],
    });
    expect(prod.byPath.get('flows/park/b.yaml')!.values).toMatchObject({ flow_name: 'Park B', token: 'prod-token' });
    expect(fileSubstitutionsOf(environment('dev'), ['flows/park/a.yaml']).unmatched.map((f) => f.origin)).toEqual([
      'files[2]',
      'files[3]',
      'environments.dev.files[0]',
    ]);
  });

  it('secrets of files entries are secrets of every environment (fromEnv when set)', () => {
    const dev = environment('dev', { PROD_TOKEN: 'prod-token' });
    expect(dev.secrets).toEqual(['env-token', 'Park C secret', 'prod-token']);
    expect(dev.knownSecrets).toContainEqual({ key: 'flow_name', value: 'Park C secret', environment: 'dev' });
    expect(dev.knownSecrets).toContainEqual({ key: 'token', value: 'prod-token', environment: 'prod' });
    expect(environment('dev').secrets).toEqual(['env-token', 'Park C secret']);
  });
});

const flow = (extra = '') => `inboundCall:
  name: {{flow_name}}
  startUpRef: "/inboundCall/tasks/task[s]"
  description: {{description}}
  tasks:
    - task:
        name: Start
        refId: s
        actions:
          - playAudio: {name: Hello, audio: {tts: "{{greeting}}"}}${extra}
          - disconnect: {name: Bye}
`;

const own = (values: Record<string, string>, secretKeys: string[] = []) => ({
  values: { flow_name: 'Park', greeting: 'Hi', description: 'A flow', ...values },
  secretKeys,
});

describe('the check with per-file substitutions', () => {
  it('four files sharing {{flow_name}} are four flows; without their own values they collide, naming the placeholder', () => {
    const sources = ['a', 'b', 'c', 'd'].map((n) => ({ path: `flows/${n}.yaml`, text: flow() }));
    const options = { substitutions: own({}).values };
    const files = Object.fromEntries(sources.map((s, i) => [s.path, own({ flow_name: `Park ${i}` })]));
    const result = checkFlowSources(sources, { ...options, files });
    expect(result.diagnostics).toEqual([]);
    expect(result.flows.map((f) => f.name)).toEqual(['Park 0', 'Park 1', 'Park 2', 'Park 3']);
    const collide = checkFlowSources(sources.slice(0, 2), options);
    expect(collide.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`)).toEqual([
      'flows/b.yaml:2:9 inboundCall "Park" (from {{flow_name}}) is also defined in flows/a.yaml:2:9 (from {{flow_name}})',
    ]);
    const literal = { path: 'flows/z.yaml', text: flow().replace('{{flow_name}}', 'Park') };
    expect(checkFlowSources([sources[0]!, literal], options).diagnostics.map((d) => d.message)).toEqual([
      'inboundCall "Park" is also defined in flows/a.yaml:2:9 (from {{flow_name}})',
    ]);
  });

  it('a problem caused by a per-file value points at the placeholder in the file as written', () => {
    const text = flow('\n          - jumpToTask: {name: {{greeting}}, targetTaskRef: "/inboundCall/tasks/task[nope]"}');
    const files = { 'f.yaml': own({ description: 'press 1: sales', greeting: 'a much longer per-file value' }) };
    const result = checkFlowSources([{ path: 'f.yaml', text }], { substitutions: own({}).values, files });
    const lines = text.split('\n');
    expect(result.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([
      ['yaml-syntax', 4, lines[3]!.indexOf('{{description}}') + 1],
    ]);
    const fine = { 'f.yaml': own({ greeting: 'a much longer per-file value' }) };
    const after = checkFlowSources([{ path: 'f.yaml', text }], { substitutions: own({}).values, files: fine });
    expect(after.diagnostics.map((d) => [d.line, d.col])).toEqual([[11, lines[10]!.indexOf('"/inboundCall') + 1]]);
  });

  it('a per-file value marked secret is a secret place of that file only', () => {
    const sources = ['a', 'b'].map((n) => ({ path: `${n}.yaml`, text: flow() }));
    const files = {
      'a.yaml': own({ flow_name: 'A', greeting: 'psst' }, ['greeting']),
      'b.yaml': own({ flow_name: 'B' }),
    };
    const result = checkFlowSources(sources, { substitutions: own({}).values, files });
    expect(result.flows.map((f) => [f.name, f.secretPlaces])).toEqual([
      [
        'A',
        [{ path: ['inboundCall', 'tasks', 0, 'task', 'actions', 0, 'playAudio', 'audio', 'tts'], keys: ['greeting'] }],
      ],
      ['B', undefined],
    ]);
  });

  it("the per-file check cache key holds the file's own values: a changed one checks that file again", () => {
    const sources = ['a', 'b'].map((n) => ({ path: `${n}.yaml`, text: flow() }));
    const options = (name: string) => ({
      substitutions: own({}).values,
      files: { 'a.yaml': own({ flow_name: name }), 'b.yaml': own({ flow_name: 'B' }) },
    });
    expect(fileCheckKey(sources[0]!, options('A'))).not.toBe(fileCheckKey(sources[0]!, options('A2')));
    expect(fileCheckKey(sources[1]!, options('A'))).toBe(fileCheckKey(sources[1]!, options('A2')));
    expect(fileCheckKey(sources[0]!, options('A'))).not.toBe(
      fileCheckKey(sources[0]!, { substitutions: own({}).values }),
    );
    const entries = new Map<string, FileCheckRecord>();
    let misses = 0;
    const cache: FileCheckCache = {
      get: (key) => entries.get(key) ?? void misses++,
      set: (key, record) => void entries.set(key, JSON.parse(JSON.stringify(record)) as FileCheckRecord),
    };
    checkCached(sources, { ...options('A'), cache });
    expect(misses).toBe(2);
    const again = checkCached(sources, { ...options('A2'), cache });
    expect(misses).toBe(3);
    expect(again.flows.map((f) => f.name)).toEqual(['A2', 'B']);
  });
});
