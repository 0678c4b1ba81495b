/**
 * `unreachable`: the menus, tasks, states and bots of a flow that nothing reaches. The start
 * (`startUpRef`), the error handling and a module's startUpTaskActions are where a flow begins; from
 * there every reference (`targetMenuRef`, `targetTaskRef`, `targetStateRef`, `defaultChildMenuRef`,
 * menu choices' jumps) leads on. An item no path leads to is dead weight that still counts toward the
 * flow's size, and usually a jump someone forgot to re-point. References are followed as the check
 * resolves them (check/resolve-reference.ts); one that does not resolve is the check's to report.
 */
import { resolveReference } from '../../check/resolve-reference.js';
import type { DocumentPath, Rule } from '../types.js';
import { documentFacts, isMapping } from './document-walk.js';
import { checkOptions } from './rule-options.js';

/** The flow-level lists of items that references reach, and the item kind each holds. */
const ITEM_LISTS: Readonly<Record<string, string>> = { menus: 'menu', tasks: 'task', states: 'state', bots: 'bot' };
const START = 'start';

interface Item {
  id: string;
  kind: string;
  name?: string;
  path: DocumentPath;
}

export const unreachable: Rule = {
  id: 'unreachable',
  description: 'A menu, task, state or bot that neither the start nor any reference or menu choice reaches.',
  help: [
    'Every menu, task and state should be reachable from where the flow starts (its startUpRef, its error handling),',
    'through jumps, task calls, state changes and menu choices. One that nothing reaches never runs: it is usually a',
    'jump someone forgot to re-point, and it still counts toward the flow size. Remove it or point a reference at it.',
  ].join(' '),
  defaultSeverity: 'warn',
  validateOptions: (options) => checkOptions(options, {}),
  check(flow, ctx) {
    const facts = documentFacts(flow.document);
    const { root } = facts;
    if (!root) return;
    // A reference into another file (`shared.yaml#/...`) may lead anywhere: nothing can be said.
    if (facts.references.some((use) => use.value.includes('#'))) return;
    const items = itemsOf(root.key, root.body);
    const itemAt = (path: readonly (string | number)[]) =>
      path[0] === root.key && typeof path[1] === 'string' && typeof path[2] === 'number'
        ? items.get(`${path[1]}/${path[2]}`)
        : undefined;
    const edges = new Map<string, Set<string>>();
    for (const use of facts.references) {
      const target = resolveReference(flow.document, root.key, use, facts);
      if (!target.ok) continue;
      const from = itemAt(use.path)?.id ?? START;
      const to = itemAt(target.path)?.id;
      if (to === undefined || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
    const reached = new Set([START]);
    const queue = [START];
    for (let i = 0; i < queue.length; i++)
      for (const next of edges.get(queue[i]!) ?? [])
        if (!reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
    for (const item of items.values())
      if (!reached.has(item.id)) {
        const label = item.name === undefined ? item.kind : `${item.kind} "${item.name}"`;
        ctx.report(
          item.path,
          `${label} is never reached: neither the start nor any reference or menu choice leads to it`,
        );
      }
  },
};

/** The flow's items by `list/index`, in document order. */
function itemsOf(key: string, body: Record<string, unknown>): Map<string, Item> {
  const items = new Map<string, Item>();
  for (const [list, kind] of Object.entries(ITEM_LISTS)) {
    const entries = body[list];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, index) => {
      const itemBody = isMapping(entry) ? entry[kind] : undefined;
      if (!isMapping(itemBody)) return;
      const name = typeof itemBody.name === 'string' ? itemBody.name : undefined;
      items.set(`${list}/${index}`, { id: `${list}/${index}`, kind, name, path: [key, list, index] });
    });
  }
  return items;
}
