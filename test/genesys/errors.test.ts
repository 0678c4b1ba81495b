import { describe, expect, it } from 'vitest';
import { RemoteError } from '../../src/errors.js';
import { describeFailure, missingPermissions, toRemoteError } from '../../src/genesys/errors.js';

const ctx = {
  operation: 'list flows',
  host: 'api.mypurecloud.com',
  clientId: 'ci-client',
  secrets: ['s3cr3t-value', 'tok3n-value'],
};

describe('describeFailure', () => {
  it('reads an extended SDK rejection', () => {
    const rejection = {
      status: 429,
      statusText: 'Too Many Requests',
      headers: { 'Retry-After': '2', 'Set-Cookie': 'x=1' },
      body: { code: 'too.many.requests.retry.after' },
      text: '',
      error: { config: { headers: { Authorization: 'Bearer tok3n-value' } } },
    };
    const failure = describeFailure(rejection);
    expect(failure).toEqual({
      status: 429,
      headers: { 'retry-after': '2' },
      body: { code: 'too.many.requests.retry.after' },
    });
    expect(JSON.stringify(failure)).not.toContain('tok3n-value');
  });

  it('reads an axios error with a response (login)', () => {
    const axiosError = {
      isAxiosError: true,
      code: 'ERR_BAD_REQUEST',
      status: 401,
      config: { headers: { Authorization: 'Basic czNjcjN0' } },
      response: { status: 401, headers: {}, data: { error: 'invalid_client' } },
    };
    expect(describeFailure(axiosError)).toEqual({ status: 401, headers: {}, body: { error: 'invalid_client' } });
  });

  it('reads network errors: axios codes, fetch causes, timeouts, hang-ups', () => {
    expect(describeFailure({ isAxiosError: true, code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }).code).toBe(
      'ECONNREFUSED',
    );
    expect(
      describeFailure({ isAxiosError: true, code: 'ECONNABORTED', message: 'timeout of 16000ms exceeded' }).code,
    ).toBe('ETIMEDOUT');
    expect(describeFailure(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } })).code).toBe(
      'ENOTFOUND',
    );
    expect(describeFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError')).code).toBe(
      'ETIMEDOUT',
    );
    expect(describeFailure({ isAxiosError: true, code: 'ERR_NETWORK', message: 'socket hang up' }).code).toBe(
      'ECONNRESET',
    );
    expect(describeFailure('weird').code).toBe('UNKNOWN');
  });
});

describe('toRemoteError', () => {
  it('401: bad credentials, naming GENESYS_CLIENT_ID and the client, never the secret', () => {
    const error = toRemoteError(
      { status: 401, headers: {}, body: { error: 'invalid_client', description: 'wrong s3cr3t-value' } },
      ctx,
    );
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/rejected the credentials of OAuth client "ci-client" \(GENESYS_CLIENT_ID\)/);
    expect(`${error.message} ${error.detail}`).not.toContain('s3cr3t-value');
  });

  it('403: names the missing permission from messageParams', () => {
    const body = {
      message:
        'Unable to perform the requested action. You are missing the following permission(s): [architect:flow:view]',
      code: 'missing.permissions',
      messageParams: { permissions: '[architect:flow:view]' },
      contextId: 'ctx-1',
    };
    const error = toRemoteError({ status: 403, headers: {}, body }, ctx);
    expect(error.message).toBe(
      'list flows: OAuth client "ci-client" (GENESYS_CLIENT_ID) is missing the permission architect:flow:view',
    );
    expect(error.detail).toBe('code missing.permissions, correlation id ctx-1');
  });

  it('403 without a named permission still says what happened', () => {
    expect(toRemoteError({ status: 403, headers: {}, body: {} }, ctx).message).toMatch(
      /not allowed to do this \(403\)/,
    );
    expect(missingPermissions({ message: 'missing architect:flow:view and architect:flow:*' })).toEqual([
      'architect:flow:view',
      'architect:flow:*',
    ]);
  });

  it('unreachable hosts', () => {
    expect(toRemoteError({ code: 'ENOTFOUND', headers: {} }, ctx).message).toBe(
      'cannot reach api.mypurecloud.com: the host name does not resolve (check GENESYS_ENV_URL)',
    );
    expect(toRemoteError({ code: 'ECONNREFUSED', headers: {} }, { ...ctx, host: '127.0.0.1:1' }).message).toBe(
      'cannot reach 127.0.0.1:1: connection refused (check GENESYS_ENV_URL)',
    );
  });

  it('gave up after retries', () => {
    expect(toRemoteError({ status: 429, headers: {} }, { ...ctx, attempts: 6 }).message).toBe(
      'list flows: still rate limited by api.mypurecloud.com (429) after 6 attempts',
    );
    expect(
      toRemoteError({ status: 503, headers: {}, body: { message: 'down\nfor maintenance' } }, { ...ctx, attempts: 6 })
        .message,
    ).toBe('list flows failed: api.mypurecloud.com answered 503: down for maintenance after 6 attempts');
    expect(toRemoteError({ code: 'ECONNRESET', headers: {} }, { ...ctx, attempts: 3 }).message).toMatch(
      /closed the connection after 3 attempts/,
    );
  });

  it('a 403 from a presigned download is not about the OAuth client', () => {
    const error = toRemoteError(
      { status: 403, headers: {} },
      { ...ctx, operation: 'download export job j1', host: 's3.example.com', presigned: true },
    );
    expect(error.message).toBe('download export job j1 failed: s3.example.com answered 403');
  });

  it('redacts secrets and token from whatever the server said', () => {
    const error = toRemoteError({ status: 400, headers: {}, body: { message: 'token tok3n-value is odd' } }, ctx);
    expect(error.message).toBe('list flows failed: api.mypurecloud.com answered 400: token *** is odd');
  });
});
