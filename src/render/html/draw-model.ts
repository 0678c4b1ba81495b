/**
 * What a drawing shows, pure: the nodes and edges of a flow's graph diff (plan/graph-diff.ts) as one
 * picture of both sides, each marked added, removed, changed or the same, with the words each box and
 * arrow carries. Both sides in one picture, so switching between before and after only hides what
 * the other side lacks and nothing moves (layout.ts lays the union out once).
 *
 * Keys: a node of the after graph keeps its id; a removed node is `before:` + its id (its id may be
 * another node's in the after graph: `action:3` removed while a later action moved up to 3). A
 * dangling edge (a reference that leads nowhere) gets a node of its own, drawn as what it names.
 *
 * Also the drawing of one flow as it is (`graphModel`), of the plan's modules and callers
 * (`moduleModel`), and the part of a big drawing around its changes (`aroundChanges`).
 */
import type { FlowGraph, GraphEdge, GraphNode } from '../../plan/flow-graph.js';
import type { GraphDiff, GraphStatus } from '../../plan/graph-diff.js';
import { describeId } from '../../plan/build-plan.js';
import type { Plan, PlanAction } from '../../plan/types.js';
import { undirectedNeighbours } from '../neighbours.js';

export interface DrawNode {
  key: string;
  status: GraphStatus;
  /** `action`, `menu`, ... or `missing` for the end of a dangling edge, `flow` in the module graph. */
  kind: string;
  /** The first line: the Archy type (`playAudio`), a choice's digit, or the plan action in the module graph. */
  title: string;
  /** The second line: the name (absent when it only repeats the title). */
  name?: string;
  /** Shown on hover: the node's id, and what changed in words. */
  tooltip: string;
}

export interface DrawEdge {
  from: string;
  to: string;
  status: GraphStatus;
  kind: string;
  /** The words on the arrow: an output's name, a choice's digit, `jump`, `transfer`; empty for the next action. */
  label: string;
}

export interface DrawModel {
  nodes: DrawNode[];
  edges: DrawEdge[];
}

/** Edge kinds whose arrow says what it is even without a label of its own. */
const KIND_WORDS = new Set(['jump', 'call', 'transfer', 'failure']);

/** The drawing of a flow's diff: live against desired, both in one. */
export function diffModel(diff: GraphDiff): DrawModel {
  const pairs = new Map<string, string>();
  const nodes: DrawNode[] = [];
  for (const change of diff.nodes) {
    if (change.before && change.after) pairs.set(change.before.id, change.after.id);
    const node = change.after ?? change.before!;
    const key = change.after ? node.id : `before:${node.id}`;
    const renamed = change.before && change.after && change.before.label !== change.after.label;
    nodes.push(
      nodeOf(node, key, change.status, renamed ? `was named ${JSON.stringify(change.before!.label)}` : undefined),
    );
  }
  const beforeKey = (id: string) => pairs.get(id) ?? `before:${id}`;
  const edges = new EdgeList(nodes);
  for (const change of diff.edges) {
    const { before, after } = change;
    if (change.status === 'removed' && before) edges.add(before, 'removed', beforeKey);
    else if (change.status === 'changed' && before && after) {
      const sameTarget = before.to !== undefined && after.to !== undefined && beforeKey(before.to) === after.to;
      if (sameTarget) edges.add(after, 'changed', (id) => id, `${edgeLabel(before)} → ${edgeLabel(after)}`);
      else {
        // Another target: the old arrow goes, a new one comes (one arrow cannot point at two places).
        edges.add(before, 'removed', beforeKey);
        edges.add(after, 'added', (id) => id);
      }
    } else if (after) edges.add(after, change.status, (id) => id);
  }
  return { nodes, edges: edges.list };
}

/** One flow as it is (`flowops graph`): every node and edge the same. */
export function graphModel(graph: FlowGraph): DrawModel {
  const nodes = graph.nodes.map((node) => nodeOf(node, node.id, 'same', undefined));
  const edges = new EdgeList(nodes);
  for (const edge of graph.edges) edges.add(edge, 'same', (id) => id);
  return { nodes, edges: edges.list };
}

function nodeOf(node: GraphNode, key: string, status: GraphStatus, note: string | undefined): DrawNode {
  const title =
    node.kind === 'choice'
      ? `choice${node.dtmf ? ` ${node.dtmf}` : ''}${node.speech ? ` “${node.speech.join('”, “')}”` : ''}`
      : node.kind === 'action' || node.type === node.kind
        ? node.type
        : `${node.kind} (${node.type})`;
  const same = (a: string) => a.toLowerCase() === node.label.toLowerCase();
  const name = same(node.type) || same(title) ? undefined : node.label;
  return {
    key,
    status,
    kind: node.kind,
    title,
    ...(name !== undefined ? { name } : {}),
    tooltip: [`${STATUS_WORD[status]}: ${node.id}`, note].filter(Boolean).join('\n'),
  };
}

export const STATUS_WORD: Record<GraphStatus, string> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  same: 'unchanged',
};

/** The text marker beside the colour, for readers who do not tell colours apart (the markdown plan's signs). */
export const STATUS_MARKER: Record<GraphStatus, string> = { added: '+', removed: '−', changed: '~', same: '' };

/** The words drawn on an arrow: its marker, then its label. */
export function edgeText(edge: DrawEdge): string {
  return `${STATUS_MARKER[edge.status]} ${edge.label}`.trim();
}

function edgeLabel(edge: GraphEdge): string {
  if (edge.label) return edge.kind === 'failure' && edge.label === 'failure' ? 'failure' : edge.label;
  return KIND_WORDS.has(edge.kind) ? edge.kind : '';
}

/** Edges with both ends drawn: a dangling one gets a node for what it names, a duplicate is dropped. */
class EdgeList {
  readonly list: DrawEdge[] = [];
  private readonly seen = new Set<string>();
  private missing = 0;

  constructor(private readonly nodes: DrawNode[]) {}

  add(edge: GraphEdge, status: GraphStatus, keyOf: (id: string) => string, label = edgeLabel(edge)): void {
    const from = keyOf(edge.from);
    let to: string;
    if (edge.to === undefined) {
      to = `missing:${this.missing++}`;
      this.nodes.push({
        key: to,
        status,
        kind: 'missing',
        title: 'not found',
        name: edge.missing ?? '',
        tooltip: `a reference that leads nowhere in the flow: ${edge.missing ?? ''}`,
      });
    } else to = keyOf(edge.to);
    const id = `${from}\u0000${to}\u0000${edge.kind}\u0000${label}\u0000${status}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.list.push({ from, to, status, kind: edge.kind, label });
  }
}

/** The plan's modules and their callers that change or call what changes, each flow marked by its action. */
export function moduleModel(plan: Plan): DrawModel {
  const byId = new Map(plan.flows.map((f) => [f.id, f]));
  const nodes = new Map<string, DrawNode>();
  const node = (id: string): string => {
    if (!nodes.has(id)) {
      const action = byId.get(id)?.action;
      nodes.set(id, {
        key: id,
        status: action ? ACTION_STATUS[action] : 'same',
        kind: 'flow',
        title: action ?? 'not in the plan',
        name: describeId(id),
        tooltip: `${describeId(id)}: ${action ?? 'not in the plan'}`,
      });
    }
    return id;
  };
  // Only the calls a change is part of: a plan of a thousand flows draws the few it touches.
  const changes = (id: string) => (byId.get(id)?.action ?? 'unchanged') !== 'unchanged';
  const edges = plan.flows.flatMap((f) =>
    f.dependsOn
      .filter((d) => changes(d) || changes(f.id))
      .map((d): DrawEdge => ({ from: node(d), to: node(f.id), status: 'same', kind: 'call', label: '' })),
  );
  return { nodes: [...nodes.values()], edges };
}

/** How a plan action marks a flow: a rename, an update and a republish all change it. */
const ACTION_STATUS: Record<PlanAction, GraphStatus> = {
  create: 'added',
  delete: 'removed',
  update: 'changed',
  rename: 'changed',
  republish: 'changed',
  unchanged: 'same',
};

/**
 * The part of a drawing around its changes: every node not the same, and the nodes within `steps`
 * arrows of one (either way), with the arrows between them. How a big flow is drawn when the
 * report's layout budget (plan-report.ts) does not stretch to all of it.
 */
export function aroundChanges(model: DrawModel, steps = 2): DrawModel {
  const neighbours = undirectedNeighbours(model.edges);
  const kept = new Set(model.nodes.filter((n) => n.status !== 'same').map((n) => n.key));
  for (const e of model.edges) if (e.status !== 'same') kept.add(e.from).add(e.to);
  let frontier = [...kept];
  for (let step = 0; step < steps; step++) {
    const next: string[] = [];
    for (const key of frontier)
      for (const other of neighbours.get(key) ?? [])
        if (!kept.has(other)) {
          kept.add(other);
          next.push(other);
        }
    frontier = next;
  }
  return {
    nodes: model.nodes.filter((n) => kept.has(n.key)),
    edges: model.edges.filter((e) => kept.has(e.from) && kept.has(e.to)),
  };
}
