/**
 * What went wrong with one HTTP request, as plain data, and the one-line RemoteError a user reads.
 *
 * The SDK rejects in three shapes (its ApiClient.js `callApi` and `loginClientCredentialsGrant`):
 * - with extended responses on and an HTTP answer: `{status, statusText, headers, body, text, error}`;
 * - on login failures and on network failures: the axios error itself (`code`, `response?`);
 * - plain `fetch` (presigned downloads) rejects with a TypeError whose `cause` has the code.
 * The axios error carries the request config, Authorization header included: nothing here keeps it
 * or prints it (octokit's request-error redacts the same way).
 */
import { RemoteError } from '../errors.js';

export interface HttpFailure {
  /** HTTP status; absent when no answer came. */
  status?: number;
  /** Network error code (ECONNRESET, ETIMEDOUT, ENOTFOUND, ...) when no answer came. */
  code?: string;
  /** Response headers, lowercase names. */
  headers: Record<string, string>;
  /** Parsed response body (Genesys' ErrorBody, or an OAuth error at login). */
  body?: unknown;
}

/** A failure as an Error (what a retried attempt throws), with the retry policy's decision; its message is safe to print. */
export class HttpFailureError extends Error {
  override readonly name = 'HttpFailureError';
  constructor(
    readonly failure: HttpFailure,
    /** Milliseconds to wait before the next attempt, or null when it must not be retried. */
    readonly retryDelayMs: number | null = null,
  ) {
    super(failure.status !== undefined ? `HTTP ${failure.status}` : (failure.code ?? 'request failed'));
  }
}

type Bag = Record<string, unknown>;

function isBag(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null;
}

/** Lowercase string headers from an AxiosHeaders, a fetch Headers or a plain object. */
export function plainHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isBag(headers)) return out;
  const source = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of source) {
    const key = name.toLowerCase();
    if (key === 'set-cookie') continue;
    if (typeof value === 'string' || typeof value === 'number') out[key] = String(value);
    else if (Array.isArray(value)) out[key] = value.map(String).join(', ');
  }
  return out;
}

/** The network code of an error or of its cause (undici wraps the socket error in `cause`). */
function networkCode(error: Bag): string | undefined {
  const code = typeof error.code === 'string' ? error.code : undefined;
  const cause = isBag(error.cause) ? networkCode(error.cause) : undefined;
  const message = typeof error.message === 'string' ? error.message : '';
  // axios reports its own timeout as ECONNABORTED "timeout of N ms exceeded".
  if (code === 'ECONNABORTED' || error.name === 'TimeoutError') return 'ETIMEDOUT';
  if (code && code !== 'ERR_BAD_REQUEST' && code !== 'ERR_BAD_RESPONSE' && code !== 'ERR_NETWORK') return code;
  if (cause) return cause;
  if (/socket hang up/i.test(message)) return 'ECONNRESET';
  return code;
}

/** Turns whatever the SDK or fetch rejected with into an HttpFailure (never keeping the request). */
export function describeFailure(error: unknown): HttpFailure {
  if (error instanceof HttpFailureError) return error.failure;
  if (!isBag(error)) return { headers: {}, code: 'UNKNOWN' };
  // Extended response (setReturnExtendedResponses(true)) with an HTTP answer.
  if (typeof error.status === 'number' && error.status > 0 && 'body' in error && !('isAxiosError' in error)) {
    return { status: error.status, headers: plainHeaders(error.headers), body: error.body };
  }
  if (isBag(error.response) && typeof error.response.status === 'number') {
    return { status: error.response.status, headers: plainHeaders(error.response.headers), body: error.response.data };
  }
  // Extended response without an answer: the axios error is in `error`.
  if (isBag(error.error) && !('code' in error)) return describeFailure(error.error);
  return { headers: {}, code: networkCode(error) ?? 'UNKNOWN' };
}

export interface FailureContext {
  /** What we were doing, e.g. `list flows`, `log in`. */
  operation: string;
  /** The host it went to, e.g. `api.mypurecloud.com` or `127.0.0.1:8080`. */
  host: string;
  clientId: string;
  /** Attempts made, for "after N attempts". */
  attempts?: number;
  /** Strings that must never appear in a message (the secret, the token). */
  secrets?: readonly string[];
  /** A presigned URL (no OAuth involved): a 401 or 403 says nothing about the client's credentials. */
  presigned?: boolean;
}

function bodyField(body: unknown, name: string): string | undefined {
  if (!isBag(body)) return undefined;
  const value = body[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The permission a 403 names. Genesys' ErrorBody has `messageParams` (the emulator and Genesys send
 * `{permissions: "[architect:flow:view]"}`); older answers only have it inside `message`.
 */
export function missingPermissions(body: unknown): string[] {
  const texts: string[] = [];
  if (isBag(body) && isBag(body.messageParams)) {
    for (const value of Object.values(body.messageParams)) if (typeof value === 'string') texts.push(value);
  }
  const message = bodyField(body, 'message');
  if (texts.length === 0 && message) texts.push(message);
  const found = new Set<string>();
  for (const text of texts)
    for (const match of text.matchAll(/\b[a-zA-Z]+:[a-zA-Z*]+:[a-zA-Z*]+(?![\w*:])/g)) found.add(match[0]);
  return [...found];
}

function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/\s+/g, ' ').trim();
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  if (out.length > 300) out = `${out.slice(0, 297)}...`;
  return out;
}

function detailOf(failure: HttpFailure): string | undefined {
  const parts: string[] = [];
  const code = bodyField(failure.body, 'code') ?? bodyField(failure.body, 'error');
  if (code) parts.push(`code ${code}`);
  const contextId = bodyField(failure.body, 'contextId') ?? failure.headers['inin-correlation-id'];
  if (contextId) parts.push(`correlation id ${contextId}`);
  if (failure.code) parts.push(failure.code);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

const UNREACHABLE: Record<string, string> = {
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve (DNS lookup failed)',
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'no route to the host',
  ENETUNREACH: 'the network is unreachable',
};

function statusMessage(failure: HttpFailure & { status: number }, ctx: FailureContext): string {
  const client = `OAuth client "${ctx.clientId}" (GENESYS_CLIENT_ID)`;
  const after = ctx.attempts && ctx.attempts > 1 ? ` after ${ctx.attempts} attempts` : '';
  if (failure.status === 401 && !ctx.presigned) {
    return `${ctx.host} rejected the credentials of ${client}: check GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET`;
  }
  if (failure.status === 403 && !ctx.presigned) {
    const permissions = missingPermissions(failure.body);
    return permissions.length > 0
      ? `${ctx.operation}: ${client} is missing the permission ${permissions.join(', ')}`
      : `${ctx.operation}: ${client} is not allowed to do this (403); its role lacks a permission`;
  }
  if (failure.status === 429) return `${ctx.operation}: still rate limited by ${ctx.host} (429)${after}`;
  const said = bodyField(failure.body, 'message') ?? bodyField(failure.body, 'error_description');
  return `${ctx.operation} failed: ${ctx.host} answered ${failure.status}${said ? `: ${said}` : ''}${after}`;
}

/**
 * A RemoteError that keeps the structured part of Genesys' ErrorBody (`code`, `messageParams`,
 * shared/reference/genesys-flow-api.md section 3), so callers branch on fields, never on the text:
 * e.g. a 409 `architect.flow.in.use` on a delete. Values are redacted like the message.
 */
export class GenesysApiError extends RemoteError {
  constructor(
    message: string,
    status: number | undefined,
    detail: string | undefined,
    /** The ErrorBody's `code` (e.g. `architect.flow.locked.by.user`), when the answer had one. */
    readonly code: string | undefined,
    /** The ErrorBody's `messageParams` (string values only). */
    readonly params: Readonly<Record<string, string>>,
    /** The ErrorBody's own `message`, as the server worded it. */
    readonly serverMessage?: string,
  ) {
    super(message, status, detail);
  }
}

function paramsOf(body: unknown, secrets: readonly string[] | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  if (!isBag(body) || !isBag(body.messageParams)) return params;
  for (const [name, value] of Object.entries(body.messageParams))
    if (typeof value === 'string') params[name] = redact(value, secrets);
  return params;
}

/** The one-line RemoteError for a failure that will not be retried (any more). */
export function toRemoteError(failure: HttpFailure, ctx: FailureContext): GenesysApiError {
  let message: string;
  if (failure.status !== undefined) {
    message = statusMessage({ ...failure, status: failure.status }, ctx);
  } else {
    const code = failure.code ?? 'UNKNOWN';
    const after = ctx.attempts && ctx.attempts > 1 ? ` after ${ctx.attempts} attempts` : '';
    const why = UNREACHABLE[code];
    if (why) message = `cannot reach ${ctx.host}: ${why} (check GENESYS_ENV_URL)`;
    else if (code === 'ETIMEDOUT') message = `${ctx.operation}: ${ctx.host} did not answer in time${after}`;
    else if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET')
      message = `${ctx.operation}: ${ctx.host} closed the connection${after}`;
    else message = `${ctx.operation}: request to ${ctx.host} failed (${code})${after}`;
  }
  const detail = detailOf(failure);
  const said = bodyField(failure.body, 'message');
  return new GenesysApiError(
    redact(message, ctx.secrets),
    failure.status,
    detail === undefined ? undefined : redact(detail, ctx.secrets),
    bodyField(failure.body, 'code'),
    paramsOf(failure.body, ctx.secrets),
    said === undefined ? undefined : redact(said, ctx.secrets),
  );
}
