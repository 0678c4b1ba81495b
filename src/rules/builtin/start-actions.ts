/**
 * Where a flow starts running actions: the first list of actions a call reaches, so a rule can ask
 * what happens first. In-queue flows and common modules run `startUpTaskActions`; the others follow
 * `startUpRef` to a task or a state and run its `actions` (archy-format.md, "One flow a file"). A
 * flow that starts at a menu (or a bot) runs no action first. Pure.
 */
import { resolveReference } from '../../check/resolve-reference.js';
import { collectFacts, isObject } from '../../check/walk.js';
import type { DocumentPath } from '../types.js';

export type FlowStart =
  /** `actions`: the list's path; `what`: how messages name it (`startup task "Startup Task"`). */
  | { kind: 'actions'; path: DocumentPath; list: unknown[]; what: string }
  /** Starts elsewhere (a menu, a bot) or nowhere known: `path` is where that is said. */
  | { kind: 'other'; path: DocumentPath; what: string };

const START_LISTS = new Set(['inqueueCall', 'commonModule', 'inqueueEmail', 'inqueueShortMessage']);

export function flowStart(document: Record<string, unknown>): FlowStart | undefined {
  const key = Object.keys(document)[0];
  if (key === undefined) return undefined;
  const body = document[key];
  if (!isObject(body)) return undefined;
  if (START_LISTS.has(key) || Array.isArray(body.startUpTaskActions)) {
    const list = Array.isArray(body.startUpTaskActions) ? body.startUpTaskActions : [];
    return { kind: 'actions', path: [key, 'startUpTaskActions'], list, what: 'the startup actions' };
  }
  const ref = body.startUpRef;
  if (typeof ref !== 'string' && typeof ref !== 'number') return { kind: 'other', path: [key], what: 'no startUpRef' };
  const value = String(ref);
  const use = { prop: 'startUpRef', value, path: [key, 'startUpRef'], scopes: [body] };
  const resolved = resolveReference(
    document,
    key,
    use,
    value.includes('/') ? { refIds: [] } : collectFacts(document, key),
  );
  if (!resolved.ok)
    return { kind: 'other', path: [key, 'startUpRef'], what: `a startUpRef that leads nowhere (${value})` };
  const item = itemAt(document, resolved.path);
  const name = isObject(item) && item.name !== undefined ? ` "${String(item.name)}"` : '';
  if ((resolved.kind === 'task' || resolved.kind === 'state') && isObject(item)) {
    const list = Array.isArray(item.actions) ? item.actions : [];
    return { kind: 'actions', path: [...resolved.path, 'actions'], list, what: `startup ${resolved.kind}${name}` };
  }
  return { kind: 'other', path: [key, 'startUpRef'], what: `${resolved.kind}${name}` };
}

function itemAt(document: unknown, path: DocumentPath): unknown {
  let node = document;
  for (const seg of path)
    node = Array.isArray(node) ? node[seg as number] : isObject(node) ? node[String(seg)] : undefined;
  return node;
}
