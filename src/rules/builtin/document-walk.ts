/**
 * What several built-in rules need of a flow document, walked once per rule: the flow's body under
 * its one top-level key, and every action wherever it sits (task and state action lists, a common
 * module's startUpTaskActions, a menu choice's inline task, the branches of outputs, switch cases),
 * with its path into the document and whether it runs inside a loop. Rules report paths into the
 * document as written, so this walks the document itself rather than the plan's normal form (which
 * may reorder and fill in).
 */
import type { DocumentPath } from '../types.js';

/** The lists whose items are actions (one key each: `- transferToAcd: {...}`). */
const ACTION_LISTS = new Set(['actions', 'startUpTaskActions']);

export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The flow's top-level key (`inboundCall`) and its body; undefined for a document that is no flow. */
export function flowBody(document: Mapping): { key: string; body: Mapping } | undefined {
  const keys = Object.keys(document);
  if (keys.length !== 1) return undefined;
  const body = document[keys[0]!];
  return isMapping(body) ? { key: keys[0]!, body } : undefined;
}

export interface ActionSite {
  /** The action's one key: `transferToAcd`. */
  kind: string;
  /** Its body (`{}` when the file writes none). */
  body: Mapping;
  /** Path to the action's body: `[..., 'actions', 2, 'transferToAcd']`. */
  path: DocumentPath;
  /** Path to the list item (`[..., 'actions', 2]`): reported there, a problem shows at the action's key. */
  itemPath: DocumentPath;
  /** True inside the body of a `loop` action (its `loop` output runs once per turn). */
  inLoop: boolean;
}

export interface WalkVisitor {
  action?(site: ActionSite): void;
  /** Every string value with the key holding it (`exp`, `name`, ...). */
  text?(key: string, value: string, path: DocumentPath, inLoop: boolean): void;
}

/** Visits every action and every string of the document, in document order. */
export function walkDocument(document: Mapping, visitor: WalkVisitor): void {
  visit(document, [], false, false, visitor);
}

function visit(node: unknown, path: DocumentPath, inLoop: boolean, isActionList: boolean, v: WalkVisitor): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => {
      const itemPath = [...path, index];
      const entries = isMapping(item) ? Object.entries(item) : [];
      if (isActionList && entries.length === 1) {
        const [kind, raw] = entries[0]!;
        const body = isMapping(raw) ? raw : {};
        v.action?.({ kind, body, path: [...itemPath, kind], itemPath, inLoop });
        visit(raw, [...itemPath, kind], inLoop || kind === 'loop', false, v);
        return;
      }
      visit(item, itemPath, inLoop, false, v);
    });
    return;
  }
  if (!isMapping(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'string') v.text?.(key, value, [...path, key], inLoop);
    else visit(value, [...path, key], inLoop, ACTION_LISTS.has(key), v);
  }
}

/** Every action of the document, in document order. */
export function actionsOf(document: Mapping): ActionSite[] {
  const sites: ActionSite[] = [];
  walkDocument(document, { action: (site) => sites.push(site) });
  return sites;
}

/** How messages name an action: `transferToAcd "Transfer to support"`, or the kind alone when unnamed. */
export function actionLabel(site: Pick<ActionSite, 'kind' | 'body'>): string {
  const name = site.body.name;
  return typeof name === 'string' || typeof name === 'number' ? `${site.kind} "${name}"` : site.kind;
}

/** The value at `path` in `document`, or undefined. */
export function valueAt(document: unknown, path: DocumentPath): unknown {
  let node = document;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (isMapping(node) && typeof segment === 'string') node = node[segment];
    else return undefined;
  }
  return node;
}
