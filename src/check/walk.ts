import type { PathSegment } from './locate.js';
import { collectObjectReferences, divisionReference, type FoundReference } from './object-references.js';

export const REFERENCE_KEYS = [
  'startUpRef',
  'targetMenuRef',
  'targetTaskRef',
  'targetStateRef',
  'defaultChildMenuRef',
] as const;
const ACTION_LISTS = new Set(['actions', 'startUpTaskActions']);

export interface RefIdDecl {
  refId: string;
  /** The item's kind: menu, task, state, bot, menuTask, ... */
  kind: string;
  path: PathSegment[];
}

export interface ReferenceUse {
  prop: string;
  value: string;
  path: PathSegment[];
  /** Item bodies enclosing the reference, innermost last (the flow's body first). */
  scopes: unknown[];
}

export interface ModuleCall {
  module: string;
  actionName?: string;
  /** Path to the module's key under `commonModule`. */
  path: PathSegment[];
}

export interface FlowFacts {
  refIds: RefIdDecl[];
  references: ReferenceUse[];
  moduleCalls: ModuleCall[];
  /** The org objects the flow names, in document order (positions are found afterwards). */
  objects: FoundReference[];
}

/** Collects what the semantic checks need in one pass over a flow document. */
export function collectFacts(data: Record<string, unknown>, rootKey: string): FlowFacts {
  const facts: FlowFacts = { refIds: [], references: [], moduleCalls: [], objects: [] };
  const body = data[rootKey];
  const division = divisionReference(body, rootKey);
  if (division) facts.objects.push(division);
  visit(body, [rootKey], [body], facts);
  return facts;
}

function visit(node: unknown, path: PathSegment[], scopes: unknown[], facts: FlowFacts): void {
  if (Array.isArray(node)) {
    const listKey = path[path.length - 1];
    node.forEach((item, index) => {
      const itemPath = [...path, index];
      const entries = isObject(item) ? Object.entries(item) : [];
      if (entries.length === 1) {
        const [kind, body] = entries[0]!;
        if (isObject(body)) {
          const refId = body.refId;
          if (typeof refId === 'string' || typeof refId === 'number')
            facts.refIds.push({ refId: String(refId), kind, path: [...itemPath, kind] });
          if (kind === 'callCommonModule' && typeof listKey === 'string' && ACTION_LISTS.has(listKey))
            collectModuleCall(body, [...itemPath, kind], facts);
          visit(body, [...itemPath, kind], [...scopes, body], facts);
          return;
        }
      }
      visit(item, itemPath, scopes, facts);
    });
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (
      (REFERENCE_KEYS as readonly string[]).includes(key) &&
      (typeof value === 'string' || typeof value === 'number')
    ) {
      facts.references.push({ prop: key, value: String(value), path: [...path, key], scopes });
      continue;
    }
    collectObjectReferences(key, value, path, facts.objects);
    visit(value, [...path, key], scopes, facts);
  }
}

function collectModuleCall(body: Record<string, unknown>, path: PathSegment[], facts: FlowFacts): void {
  const target = body.commonModule;
  if (!isObject(target)) return;
  const actionName = typeof body.name === 'string' ? body.name : undefined;
  for (const module of Object.keys(target))
    facts.moduleCalls.push({ module, actionName, path: [...path, 'commonModule', module] });
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
