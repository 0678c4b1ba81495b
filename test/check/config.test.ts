import { describe, expect, it } from 'vitest';
import { parseConfig, resolveEnvironment } from '../../src/config/config.js';

const good = `
flows: flows/**/*.yaml
defaultEnvironment: local
environments:
  local:
    emulator: true
    substitutions: {greeting: Hi, retries: 3, enabled: true}
  prod:
    region: mypurecloud.com
    substitutions:
      greeting: {value: Hello, secret: false}
      api_key: {fromEnv: ACME_KEY, secret: true}
`;

describe('flowops.yaml', () => {
  it('reads flows, environments and the default', () => {
    const { config, diagnostics } = parseConfig('flowops.yaml', good);
    expect(diagnostics).toEqual([]);
    expect(config!.flows).toEqual(['flows/**/*.yaml']);
    expect(config!.defaultEnvironment).toBe('local');
    expect(config!.positions.prod).toEqual({ line: 8, col: 3 });
  });

  it('flows defaults to .yaml and .yml files under flows/; ignore is a glob or a list', () => {
    const bare = parseConfig('flowops.yaml', 'ignore: test/**\nenvironments:\n  local: {emulator: true}\n').config!;
    expect(bare.flows).toEqual(['flows/**/*.yaml', 'flows/**/*.yml']);
    expect(bare.ignore).toEqual(['test/**']);
    expect(parseConfig('flowops.yaml', good).config!.ignore).toEqual([]);
    expect(
      parseConfig('flowops.yaml', 'ignore: []\nenvironments:\n  local: {emulator: true}\n').diagnostics,
    ).toHaveLength(1);
  });

  it('resolves literals, {value}, {fromEnv} and collects secret values', () => {
    const { config } = parseConfig('flowops.yaml', good);
    const local = resolveEnvironment(config!, undefined, {}).environment!;
    expect(local).toMatchObject({
      name: 'local',
      emulator: true,
      values: { greeting: 'Hi', retries: 3, enabled: true },
      secrets: [],
    });
    const prod = resolveEnvironment(config!, 'prod', { ACME_KEY: 's3cr3t-value' }).environment!;
    expect(prod.values).toEqual({ greeting: 'Hello', api_key: 's3cr3t-value' });
    expect(prod.secrets).toEqual(['s3cr3t-value']);
    expect(prod.region).toBe('mypurecloud.com');
  });

  it('knows the secrets of every environment (this one first; fromEnv only when set), and which keys are secret here', () => {
    const text = `${good}  staging:\n    substitutions:\n      api_key: {value: staging-key, secret: true}\n      other: {fromEnv: UNSET_VAR, secret: true}\n      empty: {value: "", secret: true}\n`;
    const { config } = parseConfig('flowops.yaml', text);
    const local = resolveEnvironment(config!, 'local', { ACME_KEY: 'prod-key' }).environment!;
    expect(local.secretKeys).toEqual([]);
    expect(local.secrets).toEqual(['prod-key', 'staging-key']);
    expect(local.knownSecrets).toEqual([
      { key: 'api_key', value: 'prod-key', environment: 'prod' },
      { key: 'api_key', value: 'staging-key', environment: 'staging' },
    ]);
    const staging = resolveEnvironment(config!, 'staging', { UNSET_VAR: 'set-now' }).environment!;
    expect(staging.secretKeys).toEqual(['api_key', 'other', 'empty']);
    expect(staging.knownSecrets.map((s) => s.environment)).toEqual(['staging', 'staging']);
    expect(staging.secrets).toEqual(['staging-key', 'set-now']);
  });

  it('names the variable when fromEnv is not set, and the environment when it is unknown', () => {
    const { config } = parseConfig('flowops.yaml', good);
    expect(resolveEnvironment(config!, 'prod', {}).diagnostics[0]).toMatchObject({
      line: 8,
      message: 'substitution "api_key" of environment "prod" reads the environment variable ACME_KEY, which is not set',
    });
    expect(resolveEnvironment(config!, 'staging', {}).diagnostics[0]!.message).toBe(
      'unknown environment "staging" (known: local, prod)',
    );
  });

  it('reports every config mistake at its line and column', () => {
    const bad = [
      'environments:',
      '  local:',
      '    emulatr: true',
      '    substitutions:',
      '      greeting: [not, a, scalar]',
      'defaultEnvironment: local',
    ].join('\n');
    const { config, diagnostics } = parseConfig('flowops.yaml', bad);
    expect(config).toBeUndefined();
    expect(diagnostics).toEqual([
      expect.objectContaining({ line: 3, col: 5, message: 'environments.local: unknown key "emulatr"' }),
      expect.objectContaining({
        line: 5,
        col: 17,
        message: expect.stringContaining('a substitution is a string, number or boolean'),
      }),
    ]);
  });

  it('refuses a defaultEnvironment that is not defined', () => {
    const { diagnostics } = parseConfig(
      'flowops.yaml',
      'defaultEnvironment: prod\nenvironments:\n  local: {emulator: true}\n',
    );
    expect(diagnostics[0]).toMatchObject({
      line: 1,
      col: 21,
      message: 'defaultEnvironment "prod" is not one of the environments (local)',
    });
  });
});

describe('references: per environment', () => {
  const withReferences = (value: string) =>
    `environments:\n  prod:\n    region: mypurecloud.com\n    references: ${value}\n  dev:\n    region: mypurecloud.com\n`;

  it('warn or error; absent means error (the plan then fails on a missing object)', () => {
    const { config } = parseConfig('flowops.yaml', withReferences('warn'));
    expect(resolveEnvironment(config!, 'prod', {}).environment!.references).toBe('warn');
    expect(resolveEnvironment(config!, 'dev', {}).environment!.references).toBeUndefined();
    const strict = parseConfig('flowops.yaml', withReferences('error')).config!;
    expect(resolveEnvironment(strict, 'prod', {}).environment!.references).toBe('error');
  });

  it('anything else is an error at its place', () => {
    const { diagnostics } = parseConfig('flowops.yaml', withReferences('maybe'));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: 'flowops.yaml', line: 4, severity: 'error' });
  });
});
