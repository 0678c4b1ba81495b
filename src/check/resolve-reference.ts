import type { PathSegment } from './locate.js';
import { isObject, type FlowFacts, type ReferenceUse } from './walk.js';

/** Where a reference lands: the path of the item body it names and the item's kind. */
export type ResolvedReference =
  | { ok: true; path: PathSegment[]; kind: string }
  | { ok: false; why: string; kind?: string };

/**
 * Follows an internal reference (absolute `/inboundCall/menus/menu[Main Menu_10]`, relative
 * `./choices/x[y]` or `../`, or a bare refId) to the item that declares the refId. Pure. Shared by the
 * check (which reports what does not resolve), the emulator's export (which writes every reference
 * again, absolute) and the plan's normal form (which compares references by what they point at).
 */
export function resolveReference(
  data: Record<string, unknown>,
  flowKey: string,
  use: ReferenceUse,
  facts: Pick<FlowFacts, 'refIds'>,
): ResolvedReference {
  const { value } = use;
  if (!value.includes('/')) {
    const decl = facts.refIds.find((d) => d.refId === value);
    if (!decl) return { ok: false, why: `no item in this flow has refId "${value}"` };
    return { ok: true, path: decl.path, kind: decl.kind };
  }
  const segments = splitReferencePath(value);
  let current: unknown;
  let at: PathSegment[];
  let rest: string[];
  if (value.startsWith('/')) {
    if (segments[1] !== flowKey) return { ok: false, why: `an absolute reference must start with /${flowKey}` };
    current = data[flowKey];
    at = [flowKey];
    rest = segments.slice(2);
  } else {
    // Scopes are the enclosing item bodies; their paths are the prefixes of the use's path that end
    // at an item kind (a list index followed by the kind).
    const scopes = [...use.scopes];
    const scopePaths = scopePathsOf(data, use.path);
    current = scopes.pop();
    at = scopePaths.pop() ?? [flowKey];
    rest = [];
    let leading = true;
    for (const seg of segments) {
      if (leading && seg === '.') continue;
      if (leading && seg === '..') {
        if (scopes.length === 0) return { ok: false, why: 'goes above the flow' };
        current = scopes.pop();
        at = scopePaths.pop() ?? [flowKey];
        continue;
      }
      leading = false;
      rest.push(seg);
    }
  }
  let lastKind: string | undefined;
  for (const seg of rest) {
    const m = /^(.+?)\[(.*)\]$/.exec(seg);
    if (m) {
      const [, kind, refId] = m as unknown as [string, string, string];
      if (!Array.isArray(current)) return { ok: false, why: `"${seg}" is not inside a list` };
      const index = current.findIndex(
        (item) =>
          isObject(item) && isObject(item[kind]) && String((item[kind] as Record<string, unknown>).refId) === refId,
      );
      if (index < 0) return { ok: false, why: `no ${kind} with refId "${refId}"`, kind };
      current = (current[index] as Record<string, unknown>)[kind];
      at = [...at, index, kind];
      lastKind = kind;
    } else {
      if (!isObject(current) || !(seg in current)) return { ok: false, why: `"${seg}" does not exist there` };
      current = current[seg];
      at = [...at, seg];
      lastKind = undefined;
    }
  }
  if (!lastKind) return { ok: false, why: 'does not end at an item with a refId (e.g. menu[Main Menu])' };
  return { ok: true, path: at, kind: lastKind };
}

/**
 * The paths of the item bodies enclosing a use, outermost first (the flow's body is `[flowKey]`),
 * as check/walk.ts counts scopes: a list item with one key whose value is a mapping.
 */
function scopePathsOf(data: Record<string, unknown>, path: readonly PathSegment[]): PathSegment[][] {
  const out: PathSegment[][] = [path.slice(0, 1)];
  let node: unknown = data[path[0] as string];
  for (let i = 1; i < path.length; i++) {
    const seg = path[i]!;
    const next =
      Array.isArray(node) && typeof seg === 'number'
        ? node[seg]
        : isObject(node) && typeof seg === 'string'
          ? node[seg]
          : undefined;
    if (typeof seg === 'number' && isObject(next)) {
      const entries = Object.entries(next);
      const kind = path[i + 1];
      if (entries.length === 1 && entries[0]![0] === kind && isObject(entries[0]![1]) && i + 2 < path.length)
        out.push(path.slice(0, i + 2));
    }
    node = next;
  }
  return out;
}

/** Splits a reference path on `/`, except inside `[...]` (a refId may contain a slash). */
function splitReferencePath(path: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of path) {
    if (ch === '[') depth++;
    if (ch === ']' && depth > 0) depth--;
    if (ch === '/' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}
