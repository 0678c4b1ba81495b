import { locate } from './locate.js';
import type { ParsedFile } from './parse.js';
import { collectFacts, isObject, type FlowFacts, type ReferenceUse } from './walk.js';

/** What kind of item each reference property must land on (any, when absent). */
const TARGET_KINDS: Record<string, string[]> = {
  targetMenuRef: ['menu'],
  targetTaskRef: ['task'],
  targetStateRef: ['state'],
  startUpRef: ['menu', 'task', 'state', 'bot'],
};

/**
 * Internal references (absolute `/inboundCall/menus/menu[Main Menu_10]`, relative `./choices/x[y]`,
 * `../`, or a bare refId) must land on an item that declares that refId. Archy itself only finds a
 * broken one at publish time. External references (`file.yaml#/path`) are reported, not followed.
 */
export function checkReferences(file: ParsedFile): FlowFacts {
  const facts = collectFacts(file.data, file.key);
  const declared = new Map<string, string>();
  for (const decl of facts.refIds) {
    if (declared.has(decl.refId)) {
      file.source.add('error', 'duplicate-refid', `refId "${decl.refId}" is declared twice in this flow (${declared.get(decl.refId)} and ${decl.kind})`, locate(file.doc, [...decl.path, 'refId']));
    } else declared.set(decl.refId, decl.kind);
  }
  for (const use of facts.references) {
    // A commonModule has no start: the schema already reports a startUpRef there.
    if (file.key === 'commonModule' && use.prop === 'startUpRef' && use.path.length === 2) continue;
    const problem = resolveReference(file, use, facts);
    if (problem) file.source.add(problem.severity, problem.code, problem.message, locate(file.doc, use.path));
  }
  return facts;
}

interface Problem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
}

function resolveReference(file: ParsedFile, use: ReferenceUse, facts: FlowFacts): Problem | undefined {
  const { prop, value } = use;
  const label = `${prop} "${value}"`;
  if (value.includes('#')) {
    return { severity: 'warning', code: 'external-reference', message: `${label} points into another file; flowops does not follow external references yet` };
  }
  const wanted = TARGET_KINDS[prop];
  if (!value.includes('/')) {
    const decl = facts.refIds.find((d) => d.refId === value);
    if (!decl) return broken(label, `no item in this flow has refId "${value}"`, facts);
    return kindMismatch(label, decl.kind, wanted);
  }
  const segments = splitPath(value);
  let current: unknown;
  let rest: string[];
  if (value.startsWith('/')) {
    if (segments[1] !== file.key) return broken(label, `an absolute reference must start with /${file.key}`, facts);
    current = file.data[file.key];
    rest = segments.slice(2);
  } else {
    const scopes = [...use.scopes];
    current = scopes.pop();
    rest = [];
    let leading = true;
    for (const seg of segments) {
      if (leading && seg === '.') continue;
      if (leading && seg === '..') {
        if (scopes.length === 0) return broken(label, 'goes above the flow', facts);
        current = scopes.pop();
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
      if (!Array.isArray(current)) return broken(label, `"${seg}" is not inside a list`, facts);
      const hit = current.find((item) => isObject(item) && isObject(item[kind]) && String((item[kind] as Record<string, unknown>).refId) === refId);
      if (!hit) return broken(label, `no ${kind} with refId "${refId}"`, facts, kind);
      current = (hit as Record<string, unknown>)[kind];
      lastKind = kind;
    } else {
      if (!isObject(current) || !(seg in current)) return broken(label, `"${seg}" does not exist there`, facts);
      current = current[seg];
      lastKind = undefined;
    }
  }
  if (!lastKind) return broken(label, 'does not end at an item with a refId (e.g. menu[Main Menu])', facts);
  return kindMismatch(label, lastKind, wanted);
}

function kindMismatch(label: string, kind: string, wanted: string[] | undefined): Problem | undefined {
  if (!wanted || wanted.includes(kind)) return undefined;
  return { severity: 'error', code: 'broken-reference', message: `${label} points at a ${kind}, expected a ${wanted.join(' or ')}` };
}

function broken(label: string, why: string, facts: FlowFacts, kind?: string): Problem {
  const candidates = facts.refIds.filter((d) => !kind || d.kind === kind).map((d) => `"${d.refId}"`);
  const hint = candidates.length ? ` (known${kind ? ` ${kind}` : ''} refIds: ${candidates.slice(0, 5).join(', ')}${candidates.length > 5 ? ', ...' : ''})` : '';
  return { severity: 'error', code: 'broken-reference', message: `${label} does not resolve: ${why}${hint}` };
}

/** Splits a reference path on `/`, except inside `[...]` (a refId may contain a slash). */
function splitPath(path: string): string[] {
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
