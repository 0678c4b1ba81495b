/**
 * What the built-in rules need of a flow document, gathered in one walk and shared by them all: the
 * flow's body under its one top-level key; every action wherever it sits (task and state action
 * lists, a common module's startUpTaskActions, a menu choice's inline task, the branches of outputs,
 * switch cases) with its path and whether it runs inside a loop; every expression (`exp`); and the
 * refIds and internal references, as check/walk.ts records them, so reachability resolves references
 * exactly as the check does. Rules report paths into the document as written, so this walks the
 * document itself rather than the plan's normal form (which may reorder and fill in).
 *
 * The walk is kept per document object (a WeakMap: the engine hands every built-in the same
 * document), so six rules cost one walk, and it is lean, as it runs on every flow of a cold
 * validate: an action's path is made when a rule asks for it (from its list's path, copied once per
 * list), and only the expressions a rule reads are kept (a `Find` lookup, a quoted GUID).
 */
import type { RefIdDecl, ReferenceUse } from '../../check/walk.js';
import { REFERENCE_KEYS } from '../../check/walk.js';
import type { DocumentPath } from '../types.js';

/** The lists whose items are actions (one key each: `- transferToAcd: {...}`). */
const ACTION_LISTS = new Set(['actions', 'startUpTaskActions']);
const REFERENCE_PROPS = new Set<string>(REFERENCE_KEYS);
/** The expressions the rules read: dynamic-lookups' `Find...(`, no-hardcoded-ids' `"<guid>`. */
const EXPRESSION_READ = /Find|"[0-9a-fA-F]{8}-/;

export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface ActionSite {
  /** The action's one key: `transferToAcd`. */
  readonly kind: string;
  /** Its body (`{}` when the file writes none). */
  readonly body: Mapping;
  /** Path to the action's body: `[..., 'actions', 2, 'transferToAcd']`. */
  readonly path: DocumentPath;
  /** Path to the list item (`[..., 'actions', 2]`): reported there, a problem shows at the action's key. */
  readonly itemPath: DocumentPath;
  /** True inside the body of a `loop` action (its `loop` output runs once per turn). */
  readonly inLoop: boolean;
  /** Its place in document order among the actions and expressions. */
  readonly order: number;
}

/** An action whose paths are made when asked for, from its list's path (shared by the list's actions). */
class Site implements ActionSite {
  constructor(
    readonly kind: string,
    readonly body: Mapping,
    private readonly list: DocumentPath,
    private readonly index: number,
    readonly inLoop: boolean,
    readonly order: number,
  ) {}
  get itemPath(): DocumentPath {
    return [...this.list, this.index];
  }
  get path(): DocumentPath {
    return [...this.list, this.index, this.kind];
  }
}

export interface Expression {
  value: string;
  /** Path to the `exp` key's value. */
  path: DocumentPath;
  inLoop: boolean;
  /** Its place in document order among the actions and expressions. */
  order: number;
}

export interface DocumentFacts {
  /** The flow's top-level key (`inboundCall`) and its body; absent for a document that is no flow. */
  root?: { key: string; body: Mapping };
  /** Every action, in document order. */
  actions: ActionSite[];
  /** The `exp` strings the rules read (EXPRESSION_READ), in document order. */
  expressions: Expression[];
  /** Items declaring a refId and the references (`startUpRef`, `targetTaskRef`, ...), as check/walk.ts has them. */
  refIds: RefIdDecl[];
  references: ReferenceUse[];
}

const walked = new WeakMap<object, DocumentFacts>();

/** The document's facts, walked once per document object. */
export function documentFacts(document: Mapping): DocumentFacts {
  let facts = walked.get(document);
  if (!facts) {
    facts = walk(document);
    walked.set(document, facts);
  }
  return facts;
}

function walk(document: Mapping): DocumentFacts {
  const facts: DocumentFacts = { actions: [], expressions: [], refIds: [], references: [] };
  const keys = Object.keys(document);
  const body = keys.length === 1 ? document[keys[0]!] : undefined;
  if (!isMapping(body)) return facts;
  facts.root = { key: keys[0]!, body };
  const path: DocumentPath = [keys[0]!];
  const scopes: unknown[] = [body];
  let order = 0;

  const visit = (node: unknown, inLoop: boolean, isActionList: boolean): void => {
    if (Array.isArray(node)) {
      const list = isActionList ? [...path] : path;
      for (let index = 0; index < node.length; index++) {
        const item = node[index];
        path.push(index);
        const only = isMapping(item) ? soleEntry(item) : undefined;
        if (only && isMapping(only[1])) {
          const [kind, itemBody] = only;
          path.push(kind);
          const refId = itemBody.refId;
          if (typeof refId === 'string' || typeof refId === 'number')
            facts.refIds.push({ refId: String(refId), kind, path: [...path] });
          if (isActionList) facts.actions.push(new Site(kind, itemBody, list, index, inLoop, order++));
          scopes.push(itemBody);
          visit(itemBody, inLoop || (isActionList && kind === 'loop'), false);
          scopes.pop();
          path.pop();
        } else {
          if (isActionList && only) facts.actions.push(new Site(only[0], {}, list, index, inLoop, order++));
          visit(item, inLoop, false);
        }
        path.pop();
      }
      return;
    }
    if (!isMapping(node)) return;
    for (const key in node) {
      const value = node[key];
      if (typeof value === 'string' || typeof value === 'number') {
        if (REFERENCE_PROPS.has(key))
          facts.references.push({ prop: key, value: String(value), path: [...path, key], scopes: [...scopes] });
        else if (key === 'exp' && typeof value === 'string' && EXPRESSION_READ.test(value))
          facts.expressions.push({ value, path: [...path, key], inLoop, order: order++ });
        continue;
      }
      if (value === null || typeof value !== 'object') continue;
      path.push(key);
      visit(value, inLoop, ACTION_LISTS.has(key));
      path.pop();
    }
  };
  visit(body, false, false);
  return facts;
}

function soleEntry(item: Mapping): [string, unknown] | undefined {
  let only: [string, unknown] | undefined;
  for (const key in item) {
    if (only) return undefined;
    only = [key, item[key]];
  }
  return only;
}

/** How messages name an action: `transferToAcd "Transfer to support"`, or the kind alone when unnamed. */
export function actionLabel(site: Pick<ActionSite, 'kind' | 'body'>): string {
  const name = site.body.name;
  return typeof name === 'string' || typeof name === 'number' ? `${site.kind} "${name}"` : site.kind;
}
