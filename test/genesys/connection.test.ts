import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import {
  gatewayConfiguration,
  hostLabel,
  isGenesysHost,
  parseEnvUrl,
  readConnectionEnv,
} from '../../src/genesys/connection.js';

describe('parseEnvUrl', () => {
  it.each([
    ['usw2.pure.cloud', 'usw2.pure.cloud'],
    ['mypurecloud.com', 'mypurecloud.com'],
    ['  mypurecloud.com.au  ', 'mypurecloud.com.au'],
    ['api.mypurecloud.de', 'mypurecloud.de'],
    ['login.euw2.pure.cloud', 'euw2.pure.cloud'],
    ['https://api.mypurecloud.com', 'mypurecloud.com'],
    ['https://api.mypurecloud.com/', 'mypurecloud.com'],
    ['https://login.usw2.pure.cloud', 'usw2.pure.cloud'],
    ['https://apps.mypurecloud.ie/directory', 'mypurecloud.ie'],
    ['https://API.USE2.US-GOV-PURE.CLOUD', 'use2.us-gov-pure.cloud'],
    ['https://api.edee1.eusc-pure.cloud:443', 'edee1.eusc-pure.cloud'],
    ['http://api.mypurecloud.jp', 'mypurecloud.jp'],
    // A region newer than the SDK's list still has the Genesys domain.
    ['https://api.xyz9.pure.cloud', 'xyz9.pure.cloud'],
  ])('%s is the region %s', (input, environment) => {
    expect(parseEnvUrl(input)).toEqual({ kind: 'region', environment, label: `api.${environment}` });
  });

  it.each([
    ['http://127.0.0.1:8080', { protocol: 'http', host: '127.0.0.1', port: 8080, pathPrefix: '' }],
    ['http://localhost:3000/', { protocol: 'http', host: 'localhost', port: 3000, pathPrefix: '' }],
    ['https://proxy.example.com:8443', { protocol: 'https', host: 'proxy.example.com', port: 8443, pathPrefix: '' }],
    ['https://proxy.example.com', { protocol: 'https', host: 'proxy.example.com', port: 443, pathPrefix: '' }],
    ['http://gateway.internal', { protocol: 'http', host: 'gateway.internal', port: 80, pathPrefix: '' }],
    [
      'http://proxy.example.com:9000/genesys/',
      { protocol: 'http', host: 'proxy.example.com', port: 9000, pathPrefix: '/genesys' },
    ],
    ['http://[::1]:4000', { protocol: 'http', host: '[::1]', port: 4000, pathPrefix: '' }],
    // A Genesys host on an unusual port is something in between (a tunnel): use the gateway.
    [
      'https://api.mypurecloud.com:8443',
      { protocol: 'https', host: 'api.mypurecloud.com', port: 8443, pathPrefix: '' },
    ],
  ])('%s goes through the gateway', (input, expected) => {
    const target = parseEnvUrl(input);
    expect(target).toMatchObject({ kind: 'gateway', ...expected, label: `${expected.host}:${expected.port}` });
  });

  it.each([
    ['', /is empty/],
    ['   ', /is empty/],
    ['localhost:8080', /not a host name/],
    ['127.0.0.1', /write a local server as a URL/],
    ['localhost', /write a local server as a URL/],
    ['ftp://example.com', /expected http:\/\/ or https:\/\//],
    ['http://', /not a valid URL/],
    ['my purecloud', /not a host name/],
  ])('rejects %j', (input, message) => {
    expect(() => parseEnvUrl(input)).toThrow(UsageError);
    expect(() => parseEnvUrl(input)).toThrow(message);
  });

  it('never repeats credentials written into the URL', () => {
    let error: unknown;
    try {
      parseEnvUrl('http://someone:hunter2@127.0.0.1:9000');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/GENESYS_CLIENT_ID/);
    expect((error as Error).message).not.toContain('hunter2');
  });
});

describe('gateway configuration and labels', () => {
  it('sends login to /login and the API to the root, as the SDK gateway expects', () => {
    const target = parseEnvUrl('http://127.0.0.1:8080');
    if (target.kind !== 'gateway') throw new Error('expected a gateway');
    expect(gatewayConfiguration(target)).toEqual({
      host: '127.0.0.1',
      protocol: 'http',
      port: 8080,
      path_params_login: '/login',
      path_params_api: '',
    });
    expect(hostLabel(target, 'login')).toBe('127.0.0.1:8080');
  });

  it('keeps a path prefix for both', () => {
    const target = parseEnvUrl('https://proxy.example.com/gc');
    if (target.kind !== 'gateway') throw new Error('expected a gateway');
    expect(gatewayConfiguration(target)).toMatchObject({ path_params_login: '/gc/login', path_params_api: '/gc' });
  });

  it('names the api and login hosts of a region', () => {
    const target = parseEnvUrl('usw2.pure.cloud');
    expect(hostLabel(target, 'api')).toBe('api.usw2.pure.cloud');
    expect(hostLabel(target, 'login')).toBe('login.usw2.pure.cloud');
  });

  it('knows the Genesys domains', () => {
    expect(isGenesysHost('mypurecloud.com')).toBe(true);
    expect(isGenesysHost('login.apne3.pure.cloud')).toBe(true);
    expect(isGenesysHost('example.com')).toBe(false);
    expect(isGenesysHost('notpure.cloud.example.com')).toBe(false);
  });
});

describe('readConnectionEnv', () => {
  const env = { GENESYS_ENV_URL: 'http://127.0.0.1:9', GENESYS_CLIENT_ID: ' id ', GENESYS_CLIENT_SECRET: ' s3cret ' };

  it('reads the three variables (the secret as given)', () => {
    expect(readConnectionEnv(env)).toEqual({
      target: { kind: 'gateway', protocol: 'http', host: '127.0.0.1', port: 9, pathPrefix: '', label: '127.0.0.1:9' },
      credentials: { clientId: 'id', clientSecret: ' s3cret ' },
    });
  });

  it('falls back to the environment region', () => {
    expect(readConnectionEnv({ ...env, GENESYS_ENV_URL: '' }, 'mypurecloud.de').target).toMatchObject({
      environment: 'mypurecloud.de',
    });
  });

  it('names the missing variable and never prints the secret', () => {
    expect(() => readConnectionEnv({ ...env, GENESYS_ENV_URL: undefined })).toThrow(/GENESYS_ENV_URL is not set/);
    expect(() => readConnectionEnv({ ...env, GENESYS_CLIENT_ID: '' })).toThrow(/GENESYS_CLIENT_ID is not set/);
    expect(() => readConnectionEnv({ ...env, GENESYS_CLIENT_SECRET: undefined })).toThrow(
      /GENESYS_CLIENT_SECRET is not set/,
    );
    try {
      readConnectionEnv({ ...env, GENESYS_ENV_URL: 'bad url' });
    } catch (error) {
      expect((error as Error).message).not.toContain('s3cret');
    }
  });
});
