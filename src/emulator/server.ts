/**
 * The request pipeline. For `/login` and `/api/v2`: count, inject faults, authenticate, rate-limit,
 * route, check the permission, answer. `/__emulator/*` (stats, presigned upload and download URLs)
 * is outside all of that, as S3 is outside the Genesys API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { App } from './app.js';
import { type Auth, grants, missingPermission } from './auth.js';
import { DOWNLOAD_PATH, downloadExport } from './export.js';
import { pickRequestFault } from './faults.js';
import { ApiError, errorReply, readBody, send, type Reply } from './http.js';
import { UPLOAD_PATH, uploadJobFile } from './jobs.js';
import type { RateDecision, RateLimiter } from './rate-limit.js';
import type { RequestContext, Router } from './router.js';
import type { Stats } from './stats.js';

export const LOGIN_PATH = '/login/oauth/token';

export interface Pipeline {
  app: App;
  auth: Auth;
  limiter: RateLimiter;
  stats: Stats;
  router: Router;
}

export function createRequestHandler(p: Pipeline): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(p, req, res).catch((error: unknown) => {
      if (error instanceof ApiError) return send(res, errorReply(error));
      process.stderr.write(
        `emulator: ${req.method} ${req.url?.split('?')[0]}: ${(error as Error).stack ?? String(error)}\n`,
      );
      send(res, errorReply(new ApiError(500, 'internal.server.error', 'The server encountered an unexpected error.')));
    });
  };
}

async function handle(p: Pipeline, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const method = req.method ?? 'GET';
  const path = url.pathname;
  if (path.startsWith('/__emulator/')) return send(res, await emulatorRoute(p, req, method, path, url.searchParams));

  const isLogin = path === LOGIN_PATH;
  p.stats.request(isLogin ? p.auth.basicClientId(req.headers) : p.auth.caller(req.headers.authorization)?.clientId);
  res.on('finish', () => p.stats.answered(res.statusCode));

  if (isLogin) {
    if (method !== 'POST') return send(res, errorReply(new ApiError(405, 'method.not.allowed', 'Use POST.')));
    p.stats.login();
    const { reply, clientId } = p.auth.login(req.headers, (await readBody(req)).toString('utf8'));
    if (clientId) await p.app.store.commit();
    return send(res, reply);
  }
  if (!path.startsWith('/api/v2/')) throw new ApiError(404, 'not.found', 'No resource at {path}.', { path });

  if (p.app.faults.latencyMs > 0) await sleep(p.app.faults.latencyMs);
  const fault = pickRequestFault(p.app.faults, p.app.random);
  if (fault?.kind === 'reset') {
    p.stats.fault('reset');
    req.socket.destroy();
    return;
  }
  if (fault) {
    p.stats.fault(`status${fault.status}`);
    return send(res, errorReply(injectedError(fault.status)));
  }

  const caller = p.auth.caller(req.headers.authorization);
  if (!caller) throw p.auth.unauthorized(req.headers.authorization);
  const decision = p.limiter.check(caller.tokenHash);
  const rateHeaders = p.limiter.enabled ? rateLimitHeaders(decision) : {};
  if (!decision.allowed) {
    p.stats.throttled();
    const error = tooManyRequests(decision.resetSeconds);
    return send(res, { ...errorReply(error), headers: { ...rateHeaders, ...error.headers } });
  }

  const match = p.router.match(method, path);
  if (!match) throw new ApiError(404, 'not.found', 'No resource at {method} {path}.', { method, path });
  if (!grants(caller.scopes, match.route.permission)) throw missingPermission(match.route.permission);

  let bodyRead: Promise<Buffer> | undefined;
  const ctx: RequestContext = {
    method,
    path,
    query: url.searchParams,
    params: match.params,
    headers: req.headers,
    caller,
    body: () => (bodyRead ??= readBody(req)),
    commit: () => p.app.store.commit(),
    baseUrl: baseUrlOf(req),
  };
  let reply: Reply;
  try {
    reply = await match.route.handler(ctx);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    reply = errorReply(error);
  }
  send(res, { ...reply, headers: { ...rateHeaders, ...reply.headers } });
}

async function emulatorRoute(
  p: Pipeline,
  req: IncomingMessage,
  method: string,
  path: string,
  query: URLSearchParams,
): Promise<Reply> {
  if (path === '/__emulator/stats') {
    if (method === 'GET') return { status: 200, body: p.stats.snapshot() };
    if (method === 'DELETE') {
      p.stats.reset();
      return { status: 204 };
    }
  }
  if (path.startsWith(UPLOAD_PATH) && method === 'PUT') {
    return uploadJobFile(
      p.app,
      decodeURIComponent(path.slice(UPLOAD_PATH.length)),
      query,
      req.headers,
      await readBody(req),
    );
  }
  if (path.startsWith(DOWNLOAD_PATH) && method === 'GET') {
    return downloadExport(p.app, decodeURIComponent(path.slice(DOWNLOAD_PATH.length)), query);
  }
  throw new ApiError(404, 'not.found', 'No resource at {method} {path}.', { method, path });
}

/** The URL the client reached us at, so presigned URLs work through whatever host name it used. */
function baseUrlOf(req: IncomingMessage): string {
  const host = req.headers.host ?? `${req.socket.localAddress}:${req.socket.localPort}`;
  return `http://${host}`;
}

/** Names as Genesys sends them; what their values mean is UNVERIFIED (see README). */
function rateLimitHeaders(d: RateDecision): Record<string, string> {
  return {
    'inin-ratelimit-count': String(d.count),
    'inin-ratelimit-allowed': String(d.limit),
    'inin-ratelimit-reset': String(d.resetSeconds),
  };
}

/** The real 429: Retry-After in seconds and code too.many.requests.retry.after. */
export function tooManyRequests(seconds: number): ApiError {
  return new ApiError(
    429,
    'too.many.requests.retry.after',
    'Rate limit exceeded the maximum. Retry the request in [{retryAfter}] seconds',
    { retryAfter: String(seconds) },
    { 'Retry-After': String(seconds) },
  );
}

function injectedError(status: 429 | 500 | 503): ApiError {
  if (status === 429) return tooManyRequests(1);
  if (status === 503)
    return new ApiError(503, 'service.unavailable', 'The service is currently unavailable (emulator fault injection).');
  return new ApiError(
    500,
    'internal.server.error',
    'The server encountered an unexpected error (emulator fault injection).',
  );
}
