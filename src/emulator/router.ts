/** A tiny method + path router for the API routes (`/api/v2/...`), with a permission per route. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from './http.js';

/** The authenticated client making a request. */
export interface Caller {
  clientId: string;
  clientName: string;
  scopes: readonly string[];
  /** SHA-256 of the bearer token: the rate limit is per token. */
  tokenHash: string;
}

export interface RequestContext {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  caller: Caller;
  /** Reads the request body (at most once). */
  body: () => Promise<Buffer>;
  /** Persists the state; resolves once the change is on disk. Call after mutating, before replying. */
  commit: () => Promise<void>;
  /** `http://host:port` of this emulator, for selfUri-style absolute links (presigned URLs). */
  baseUrl: string;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  segments: string[];
  /** The permission the caller's scopes must grant, e.g. `architect:flow:view`. */
  permission: string;
  handler: Handler;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export class Router {
  private readonly routes: Route[] = [];

  /** `pattern` like `/api/v2/flows/:flowId/versions`; routes are tried in the order added. */
  add(method: string, pattern: string, permission: string, handler: Handler): this {
    this.routes.push({ method, segments: split(pattern), permission, handler });
    return this;
  }

  match(method: string, path: string): RouteMatch | null {
    const parts = split(path);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params = matchSegments(route.segments, parts);
      if (params) return { route, params };
    }
    return null;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i] as string;
    const got = parts[i] as string;
    if (want.startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(got);
      } catch {
        return null;
      }
      params[want.slice(1)] = value;
    } else if (want !== got) {
      return null;
    }
  }
  return params;
}
