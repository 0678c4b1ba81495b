/**
 * OAuth client-credentials login and bearer tokens, as Genesys does them
 * (shared/reference/genesys-flow-api.md section 1): `POST /login/oauth/token` with
 * `Authorization: Basic base64(id:secret)` and `grant_type=client_credentials`.
 * Tokens are random; only their SHA-256 is kept (and persisted), never the token itself.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, type Reply } from './http.js';
import type { Caller } from './router.js';
import type { EmulatorState } from './state-store.js';

export interface ClientConfig {
  id: string;
  secret: string;
  /** Permissions granted, e.g. `architect:flow:view`; `*` segments are wildcards. Default: all. */
  scopes?: string[];
}

export const DEFAULT_CLIENT: ClientConfig = { id: 'local-client', secret: 'local-secret', scopes: ['*'] };
/** Genesys' default lifetime of a client-credentials token: 24 hours. */
export const DEFAULT_TOKEN_TTL_SECONDS = 86_400;

export class ClientSpecError extends Error {
  override readonly name = 'ClientSpecError';
}

/**
 * Parses `ID:SECRET[:SCOPES]`, SCOPES being comma-separated permissions. Permissions contain colons
 * themselves, so everything after the second colon is the scope list.
 */
export function parseClientSpec(text: string): ClientConfig {
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  const id = first < 0 ? text : text.slice(0, first);
  const secret = first < 0 ? '' : second < 0 ? text.slice(first + 1) : text.slice(first + 1, second);
  if (id === '' || secret === '') {
    throw new ClientSpecError(`client "${id || text}": expected ID:SECRET or ID:SECRET:SCOPES`);
  }
  if (second < 0) return { id, secret };
  const scopes = text
    .slice(second + 1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (scopes.length === 0) throw new ClientSpecError(`client "${id}": the scope list after the second ":" is empty`);
  return { id, secret, scopes };
}

/** Whether `scopes` grant `permission`; `architect:flow:*`, `architect:*` and `*` are wildcards. */
export function grants(scopes: readonly string[], permission: string): boolean {
  const want = permission.split(':');
  return scopes.some((scope) => {
    const have = scope.split(':');
    for (let i = 0; i < have.length; i++) {
      if (have[i] === '*') return true;
      if (have[i] !== want[i]) return false;
    }
    return have.length === want.length;
  });
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Auth {
  private readonly clients: Map<string, ClientConfig>;

  constructor(
    clients: ClientConfig[],
    private readonly state: EmulatorState,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.clients = new Map(clients.map((c) => [c.id, c]));
  }

  /** Answers `POST /login/oauth/token`. The body is the form-encoded request body. */
  login(headers: IncomingHttpHeaders, body: string): { reply: Reply; clientId?: string } {
    const form = new URLSearchParams(body);
    const grant = form.get('grant_type');
    const basic = parseBasic(headers.authorization);
    const id = basic?.id ?? form.get('client_id') ?? '';
    const secret = basic?.secret ?? form.get('client_secret') ?? '';
    const client = this.clients.get(id);
    if (!client || !sameSecret(client.secret, secret)) {
      return { reply: oauthError(401, 'invalid_client', 'client not found or wrong secret') };
    }
    if (grant !== 'client_credentials') {
      return { reply: oauthError(400, 'unsupported_grant_type', 'only grant_type=client_credentials is supported') };
    }
    const token = randomBytes(32).toString('base64url');
    this.state.tokens[hashToken(token)] = { clientId: client.id, expiresAt: this.now() + this.ttlSeconds * 1000 };
    return {
      clientId: client.id,
      reply: { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: this.ttlSeconds } },
    };
  }

  /** The client id a Basic header names, for counting login requests (not an authentication). */
  basicClientId(headers: IncomingHttpHeaders): string | undefined {
    return parseBasic(headers.authorization)?.id;
  }

  /** The caller of a bearer token, or null when missing, unknown or expired. */
  caller(authorization: string | undefined): Caller | null {
    const token = bearer(authorization);
    if (!token) return null;
    const tokenHash = hashToken(token);
    const stored = this.state.tokens[tokenHash];
    if (!stored || stored.expiresAt <= this.now()) return null;
    const client = this.clients.get(stored.clientId);
    if (!client) return null;
    return { clientId: client.id, clientName: client.id, scopes: client.scopes ?? ['*'], tokenHash };
  }

  /** The 401 for a request without a usable bearer token. */
  unauthorized(authorization: string | undefined): ApiError {
    return bearer(authorization)
      ? new ApiError(401, 'bad.credentials', 'Invalid login credentials.')
      : new ApiError(
          401,
          'authentication.required',
          'No authentication bearer token specified in authorization header.',
        );
  }

  /** Drops expired tokens (run before each state write). */
  pruneTokens(state: EmulatorState): void {
    const now = this.now();
    for (const [hash, token] of Object.entries(state.tokens)) {
      if (token.expiresAt <= now) delete state.tokens[hash];
    }
  }
}

export function missingPermission(permission: string): ApiError {
  return new ApiError(
    403,
    'missing.permissions',
    'Unable to perform the requested action. You are missing the following permission(s): {permissions}',
    { permissions: `[${permission}]` },
  );
}

function bearer(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

function parseBasic(authorization: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function oauthError(status: number, error: string, description: string): Reply {
  return { status, body: { error, description, error_description: description } };
}
