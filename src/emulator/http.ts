/** HTTP plumbing: errors in Genesys' ErrorBody shape, bodies, JSON answers, query parameters. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Models } from 'purecloud-platform-client-v2';

/** Larger than any real flow file; protects the emulator from runaway uploads. */
export const MAX_BODY_BYTES = 20 * 1024 * 1024;

/**
 * An error answered as Genesys' ErrorBody. `message` may hold `{name}` placeholders filled from
 * `params` (that is `messageWithParams` on the wire).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly template: string,
    readonly params: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(fillTemplate(template, params));
  }

  toBody(): Models.ErrorBody {
    return {
      message: this.message,
      code: this.code,
      status: this.status,
      messageWithParams: this.template,
      messageParams: this.params,
      contextId: randomUUID(),
      details: [],
      errors: [],
    };
  }
}

function fillTemplate(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => params[key] ?? whole);
}

export const notFound = (what: string, id: string): ApiError =>
  new ApiError(404, 'not.found', 'The requested {entity} {id} was not found.', { entity: what, id });

export const badRequest = (message: string, params: Record<string, string> = {}): ApiError =>
  new ApiError(400, 'bad.request', message, params);

export interface Reply {
  status: number;
  body?: unknown;
  /** Sent as is instead of JSON. */
  raw?: Buffer | string;
  headers?: Record<string, string>;
}

export function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = { ...reply.headers };
  let payload: Buffer | string | undefined;
  if (reply.raw !== undefined) {
    payload = reply.raw;
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['Content-Type'] = 'application/json; charset=UTF-8';
  }
  headers['Content-Length'] = payload === undefined ? 0 : Buffer.byteLength(payload);
  res.writeHead(reply.status, headers);
  res.end(payload);
}

export function errorReply(error: ApiError): Reply {
  return { status: error.status, body: error.toBody(), headers: error.headers };
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(): ApiError {
  return new ApiError(413, 'request.entity.too.large', 'The request is over the size limit of {limit} bytes.', {
    limit: String(MAX_BODY_BYTES),
  });
}

export function parseJson<T>(buffer: Buffer): T {
  if (buffer.length === 0) throw badRequest('The request body is missing.');
  try {
    return JSON.parse(buffer.toString('utf8')) as T;
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

/** A list parameter: the SDK sends `type=a,b`; other clients repeat `type=a&type=b`. Accept both. */
export function queryList(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function queryInt(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) {
    throw badRequest('The value {value} of {name} is invalid: expected a whole number from {min} to {max}.', {
      name,
      value: raw,
      min: String(min),
      max: String(max),
    });
  }
  return n;
}

export function queryBool(query: URLSearchParams, name: string): boolean {
  return query.get(name)?.toLowerCase() === 'true';
}

export function requireQuery(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (!value) throw badRequest('The query parameter {name} is required.', { name });
  return value;
}

/**
 * A `name`-style filter: case-insensitive, a substring unless it holds `*` wildcards (then the whole
 * value must match). The API's name filters are not exact (genesys-flow-api.md section 2).
 */
export function matcher(pattern: string): (value: string | undefined) => boolean {
  const lower = pattern.toLowerCase();
  if (!lower.includes('*')) return (value) => (value ?? '').toLowerCase().includes(lower);
  const regex = new RegExp(
    `^${lower
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return (value) => regex.test((value ?? '').toLowerCase());
}
