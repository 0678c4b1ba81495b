/**
 * A flow as a graph, pure: the start, menus and their choices, tasks, states and bots, every action in
 * order, and the edges that leave them (the next action, jumps, choices, decision and switch outputs,
 * failure paths, transfers to queues and flows, module and bot calls, disconnect). Built from the
 * normal form of identity/ (the form the plan compares), so a file and Architect's export of it give
 * the same graph: references there are already resolved to what they point at (`menu "Main Menu"`),
 * and unnamed items carry Architect's default names.
 *
 * Node ids come from names and positions, never refIds (Architect regenerates those): a top-level item
 * is `task:Startup Task` (`#2` after a repeated name, a slash in a name escaped `\/`), what is inside it is addressed by position
 * under it, `task:Startup Task/action:3`, `menu:Main Menu/choice:0`, an output's actions
 * `task:Startup Task/action:1/open/action:0`, a switch case's `.../action:2/case:0/action:0`. What a
 * flow points outside itself is one node per name: `queue:Sales`, `flow:Billing`, `module:Greeter`,
 * `bot:Helper`, and `disconnect`. A reference that leads nowhere is an edge with no `to` (dangling),
 * never an error. One pass over the document, then one over the pending references: linear.
 */
import { isObject } from '../check/walk.js';
import { hashDocument } from '../identity/canonical-form.js';
import { normalForm } from '../identity/normal-form.js';

export type NodeKind =
  | 'start'
  | 'menu'
  | 'task'
  | 'state'
  | 'bot'
  | 'choice'
  | 'action'
  | 'queue'
  | 'flow'
  | 'module'
  | 'botFlow'
  | 'disconnect';

export interface GraphNode {
  id: string;
  kind: NodeKind;
  /** The Archy key: `menu`, `menuTransferToAcd`, `transferToAcd`, ...; the kind for nodes outside the flow. */
  type: string;
  /** The item's name (after the normal form's default names), or the name a node outside the flow has. */
  label: string;
  /** Menu choices: the DTMF digit (`digit_1` becomes `1`) and the speech recognition terms. */
  dtmf?: string;
  speech?: string[];
  /** Items of the flow: the node that holds the list it is in, the list (`actions`, `open`, `case:0`, `choices`, `menus`), its index there. */
  parent?: string;
  list?: string;
  index?: number;
  /**
   * sha256 of what the item says apart from the lists of items inside it: two paired nodes with
   * different hashes changed. A hash, not the content, so no secret value travels with the graph.
   */
  hash?: string;
}

export type EdgeKind =
  | 'start'
  | 'contains'
  | 'next'
  | 'choice'
  | 'output'
  | 'failure'
  | 'jump'
  | 'call'
  | 'transfer'
  | 'disconnect';

export interface GraphEdge {
  from: string;
  /** Missing when the reference leads nowhere in the flow (a dangling edge). */
  to?: string;
  kind: EdgeKind;
  /** What a reader sees on the edge besides its kind: an output's name (`yes`, `failure`), a choice's digit, `case 1`; else empty. */
  label: string;
  /** A dangling edge: the reference as the normal form leaves it (as written when it did not resolve). */
  missing?: string;
}

export interface FlowGraph {
  /** The Archy key of the flow: `inboundCall`, `commonModule`, ... */
  flowType: string;
  name: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The lists at the top of a flow that hold named items, and the node kind each item becomes. */
const CONTAINERS: Record<string, NodeKind> = { menus: 'menu', tasks: 'task', states: 'state', bots: 'bot' };
/** Actions after which the flow does not go on to the next action (it jumps, ends or leaves). */
const TERMINAL = new Set([
  'disconnect',
  'jumpToMenu',
  'jumpToTask',
  'changeState',
  'endTask',
  'endState',
  'endWorkflow',
  'exitBotFlow',
  'loopExit',
  'loopNext',
]);
/** Reference keys and the edge each makes; `defaultChildMenuRef` names a menu's default choice. */
const REFERENCE_EDGES: Record<string, { kind: EdgeKind; label: string }> = {
  targetMenuRef: { kind: 'jump', label: '' },
  targetTaskRef: { kind: 'jump', label: '' },
  targetStateRef: { kind: 'jump', label: '' },
  defaultChildMenuRef: { kind: 'choice', label: 'default' },
};
/** Item lists inside an item: not part of its own hash (their items are nodes of their own). */
const ITEM_LISTS = new Set(['actions', 'choices', 'startUpTaskActions']);

interface Pending {
  edge: GraphEdge;
  reference: string;
}

interface Builder {
  nodes: GraphNode[];
  edges: GraphEdge[];
  ids: Set<string>;
  /** `kind "name"` and `kind at /path` (the normal form's two ways of naming a target) -> node id. */
  targets: Map<string, string>;
  pending: Pending[];
  flowKey: string;
}

/** The graph of a flow document (desired, or parsed from an export): `{inboundCall: {...}}`. */
export function flowGraph(document: Record<string, unknown>): FlowGraph {
  return normalFlowGraph(normalForm(document));
}

/** The graph of a document already in the normal form (the plan has both sides there: no second pass). */
export function normalFlowGraph(data: Record<string, unknown>): FlowGraph {
  const flowKey = Object.keys(data)[0] ?? '';
  const body = isObject(data[flowKey]) ? (data[flowKey] as Record<string, unknown>) : {};
  const b: Builder = { nodes: [], edges: [], ids: new Set(), targets: new Map(), pending: [], flowKey };
  addNode(b, { id: 'start', kind: 'start', type: 'start', label: 'Start' });
  for (const [listKey, kind] of Object.entries(CONTAINERS)) {
    const list = body[listKey];
    if (!Array.isArray(list)) continue;
    list.forEach((item, index) => {
      const entry = itemOf(item);
      if (!entry) return;
      const [type, itemBody] = entry;
      const id = uniqueId(b, `${kind}:${idName(nameOf(itemBody) ?? String(index))}`);
      const path = [flowKey, listKey, index, type];
      addItem(
        b,
        { id, kind, type, label: nameOf(itemBody) ?? type, parent: 'flow', list: listKey, index },
        itemBody,
        path,
      );
      if (Array.isArray(itemBody.choices)) addChoices(b, id, itemBody.choices, [...path, 'choices']);
      addTargets(b, id, type, itemBody); // a menu's default choice
      if (Array.isArray(itemBody.actions))
        addActions(b, id, 'actions', itemBody.actions, [...path, 'actions'], undefined);
    });
  }
  if (Array.isArray(body.startUpTaskActions)) {
    // A module's or in-queue flow's actions start the flow themselves.
    addActions(b, 'start', 'startUpTaskActions', body.startUpTaskActions, [flowKey, 'startUpTaskActions'], undefined);
  }
  if (typeof body.startUpRef === 'string')
    b.pending.push({ edge: { from: 'start', kind: 'start', label: '' }, reference: body.startUpRef });
  for (const { edge, reference } of b.pending) {
    const to = b.targets.get(reference);
    b.edges.push(to === undefined ? { ...edge, missing: reference } : { ...edge, to });
  }
  return { flowType: flowKey, name: typeof body.name === 'string' ? body.name : '', nodes: b.nodes, edges: b.edges };
}

function addChoices(b: Builder, menuId: string, choices: unknown[], path: Array<string | number>): void {
  choices.forEach((item, index) => {
    const entry = itemOf(item);
    if (!entry) return;
    const [type, body] = entry;
    const id = `${menuId}/choice:${index}`;
    const itemPath = [...path, index, type];
    const node: GraphNode = {
      id,
      kind: 'choice',
      type,
      label: nameOf(body) ?? type,
      parent: menuId,
      list: 'choices',
      index,
    };
    const digit = typeof body.dtmf === 'string' ? body.dtmf.replace(/^digit_/, '') : undefined;
    if (digit) node.dtmf = digit;
    const speech = strings(body.speechRecTerms);
    if (speech.length > 0) node.speech = speech;
    addItem(b, node, body, itemPath);
    b.edges.push({ from: menuId, to: id, kind: 'choice', label: digit ?? node.label });
    addTargets(b, id, type, body);
    // A menuTask holds its task inline; its actions hang off the choice.
    const task = body.task;
    if (isObject(task) && Array.isArray(task.actions))
      addActions(b, id, 'actions', task.actions, [...itemPath, 'task', 'actions'], undefined);
  });
}

/**
 * The actions of one list, each with its `next` edge (the next action, or `after`: where the list
 * goes on once it is done, for an output's actions the action after the one that branched).
 */
function addActions(
  b: Builder,
  parent: string,
  listName: string,
  actions: unknown[],
  path: Array<string | number>,
  after: string | undefined,
): void {
  const prefix = parent === 'start' ? '' : `${parent}/`;
  const base = listName === 'actions' || listName === 'startUpTaskActions' ? prefix : `${prefix}${listName}/`;
  const idOf = (i: number) => `${base}action:${i}`;
  actions.forEach((item, index) => {
    const entry = itemOf(item);
    if (!entry) return;
    const [type, body] = entry;
    const id = idOf(index);
    const itemPath = [...path, index, type];
    const next = index + 1 < actions.length ? idOf(index + 1) : after;
    addItem(
      b,
      { id, kind: 'action', type, label: nameOf(body) ?? type, parent, list: listName, index },
      body,
      itemPath,
    );
    // An output's or a case's first action is reached by that output's edge (addActionEdges).
    if (index === 0 && base === prefix)
      b.edges.push({ from: parent, to: id, kind: parent === 'start' ? 'start' : 'contains', label: '' });
    addActionEdges(b, id, type, body, itemPath, next);
    if (next !== undefined && !TERMINAL.has(type)) b.edges.push({ from: id, to: next, kind: 'next', label: '' });
  });
}

function addActionEdges(
  b: Builder,
  id: string,
  type: string,
  body: Record<string, unknown>,
  path: Array<string | number>,
  next: string | undefined,
): void {
  addTargets(b, id, type, body);
  if (isObject(body.outputs)) {
    for (const [output, branch] of Object.entries(body.outputs)) {
      const actions = isObject(branch) && Array.isArray(branch.actions) ? branch.actions : [];
      const kind: EdgeKind = output === 'failure' ? 'failure' : 'output';
      if (actions.length === 0) {
        // An output with no actions goes on with the action after this one.
        if (next !== undefined) b.edges.push({ from: id, to: next, kind, label: output });
        continue;
      }
      b.edges.push({ from: id, to: `${id}/${output}/action:0`, kind, label: output });
      addActions(b, id, output, actions, [...path, 'outputs', output, 'actions'], next);
    }
  }
  const firstTrue = isObject(body.evaluate) && isObject(body.evaluate.firstTrue) ? body.evaluate.firstTrue : undefined;
  if (firstTrue) {
    const cases = Array.isArray(firstTrue.cases) ? firstTrue.cases : [];
    cases.forEach((item, index) => {
      const entry = itemOf(item);
      const actions = entry && Array.isArray(entry[1].actions) ? entry[1].actions : [];
      addBranch(
        b,
        id,
        `case:${index}`,
        `case ${index + 1}`,
        actions,
        [...path, 'evaluate', 'firstTrue', 'cases', index, 'case', 'actions'],
        next,
      );
    });
    const fallback =
      isObject(firstTrue.default) && Array.isArray(firstTrue.default.actions) ? firstTrue.default.actions : [];
    addBranch(b, id, 'default', 'default', fallback, [...path, 'evaluate', 'firstTrue', 'default', 'actions'], next);
  }
}

/** A switch's case or default: an output edge to its first action, or on to `next` when it has none. */
function addBranch(
  b: Builder,
  id: string,
  listName: string,
  label: string,
  actions: unknown[],
  path: Array<string | number>,
  next: string | undefined,
): void {
  if (actions.length === 0) {
    if (next !== undefined) b.edges.push({ from: id, to: next, kind: 'output', label });
    return;
  }
  b.edges.push({ from: id, to: `${id}/${listName}/action:0`, kind: 'output', label });
  addActions(b, id, listName, actions, path, next);
}

/** Where an action or a choice leads outside its list: jumps, transfers, calls, disconnect. */
function addTargets(b: Builder, id: string, type: string, body: Record<string, unknown>): void {
  for (const [key, edge] of Object.entries(REFERENCE_EDGES)) {
    const value = body[key];
    if (typeof value === 'string' || typeof value === 'number')
      // callTask comes back and goes on with the next action: a call, where jumpToTask is a jump.
      b.pending.push({
        edge: { from: id, ...edge, ...(type === 'callTask' ? { kind: 'call' } : {}) },
        reference: String(value),
      });
  }
  const queue = queueName(body.targetQueue) ?? queueName(destinationQueue(body));
  if (queue !== undefined) external(b, id, 'queue', queue, 'transfer');
  if (isObject(body.targetFlow) && typeof body.targetFlow.name === 'string')
    external(b, id, 'flow', body.targetFlow.name, 'transfer');
  if (type === 'callCommonModule' && isObject(body.commonModule))
    for (const module of Object.keys(body.commonModule)) external(b, id, 'module', module, 'call');
  if (type === 'callBotFlow' && isObject(body.botFlow))
    for (const bot of Object.keys(body.botFlow)) external(b, id, 'botFlow', bot, 'call');
  if (type === 'disconnect' || type === 'menuDisconnect') {
    if (!b.ids.has('disconnect'))
      addNode(b, { id: 'disconnect', kind: 'disconnect', type: 'disconnect', label: 'Disconnect' });
    b.edges.push({ from: id, to: 'disconnect', kind: 'disconnect', label: '' });
  }
}

/** One node per org object or flow named (`queue:Sales`), shared by every edge to it. */
function external(b: Builder, from: string, kind: NodeKind, name: string, edgeKind: EdgeKind): void {
  const id = `${kind}:${name}`;
  if (!b.ids.has(id)) addNode(b, { id, kind, type: kind, label: name });
  b.edges.push({ from, to: id, kind: edgeKind, label: '' });
}

/** A queue named `lit: {name}`, or an expression (drawn as what it says: it is decided at run time). */
function queueName(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (isObject(value.lit) && typeof value.lit.name === 'string') return value.lit.name;
  if (typeof value.exp === 'string') return `(${value.exp})`;
  return undefined;
}

function destinationQueue(body: Record<string, unknown>): unknown {
  const destination = body.destination;
  return isObject(destination) && isObject(destination.queue) ? destination.queue.targetQueue : undefined;
}

/** Adds an item of the flow: its node, its hash, and the two names references to it go by. */
function addItem(b: Builder, node: GraphNode, body: Record<string, unknown>, path: Array<string | number>): void {
  node.hash = hashDocument({ [node.type]: withoutItemLists(body) });
  addNode(b, node);
  b.targets.set(`${node.type} at /${path.join('/')}`, node.id);
  const name = nameOf(body);
  if (name !== undefined && !b.targets.has(`${node.type} "${name}"`)) b.targets.set(`${node.type} "${name}"`, node.id);
}

function addNode(b: Builder, node: GraphNode): void {
  b.ids.add(node.id);
  b.nodes.push(node);
}

/** A name as part of an id: a slash (which separates an id's steps) and a backslash escaped with a backslash, so no name can spell another item's id. */
function idName(name: string): string {
  return name.replace(/[\\/]/g, (c) => `\\${c}`);
}

function uniqueId(b: Builder, id: string): string {
  if (!b.ids.has(id)) return id;
  let n = 2;
  while (b.ids.has(`${id}#${n}`)) n++;
  return `${id}#${n}`;
}

/** The body without the lists of items inside it (every `actions` list at any depth, choices). */
function withoutItemLists(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutItemLists);
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node))
    if (!(ITEM_LISTS.has(key) && Array.isArray(value))) out[key] = withoutItemLists(value);
  return out;
}

function itemOf(item: unknown): [string, Record<string, unknown>] | undefined {
  if (!isObject(item)) return undefined;
  const entries = Object.entries(item);
  if (entries.length !== 1) return undefined;
  const [type, body] = entries[0]!;
  return isObject(body) ? [type, body] : [type, {}];
}

function nameOf(body: Record<string, unknown>): string | undefined {
  const name = body.name;
  return typeof name === 'string' || typeof name === 'number' ? String(name) : undefined;
}

/** The text leaves of a value (speech terms are lists of literals, per language). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (isObject(value)) return Object.values(value).flatMap(strings);
  return [];
}
