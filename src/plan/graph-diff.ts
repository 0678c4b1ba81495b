/**
 * The diff of two flow graphs (flow-graph.ts), pure: each node and edge added, removed, changed or
 * the same. Nodes are paired as the plan's diff pairs list items (diff.ts pairListItems): list by
 * list, from the top of the flow down, by kind and name, then same-kind items in the gaps as edits.
 * So an inserted action is one added node, not every later action moved, and a renamed task is the
 * same task changed (its name), as the plan's changes say. Nodes outside the flow (queues, flows,
 * modules, bots, disconnect) pair by their id, which is their name. Edges pair by where they leave
 * from (through the node pairing) and their kind: the same target and label is the same edge,
 * another target or label a changed one.
 */
import { pairListItems } from './diff.js';
import type { FlowGraph, GraphEdge, GraphNode } from './flow-graph.js';

export type GraphStatus = 'added' | 'removed' | 'changed' | 'same';

export interface NodeChange {
  status: GraphStatus;
  before?: GraphNode;
  after?: GraphNode;
}

export interface EdgeChange {
  status: GraphStatus;
  before?: GraphEdge;
  after?: GraphEdge;
}

export interface GraphDiff {
  /** The after graph's nodes in order (paired or added), then the removed ones. */
  nodes: NodeChange[];
  edges: EdgeChange[];
}

/** Compares `before` (live) with `after` (desired). */
export function diffGraphs(before: FlowGraph, after: FlowGraph): GraphDiff {
  const pairs = pairNodes(before, after);
  const afterIds = new Set(after.nodes.map((n) => n.id));
  const pairedAfter = new Map<string, GraphNode>();
  for (const node of before.nodes) {
    const id = pairs.get(node.id);
    if (id !== undefined) pairedAfter.set(id, node);
  }
  const nodes: NodeChange[] = [];
  for (const node of after.nodes) {
    const old = pairedAfter.get(node.id);
    if (!old) nodes.push({ status: 'added', after: node });
    else
      nodes.push({
        status: old.hash === node.hash && old.label === node.label ? 'same' : 'changed',
        before: old,
        after: node,
      });
  }
  for (const node of before.nodes)
    if (!afterIds.has(pairs.get(node.id) ?? '')) nodes.push({ status: 'removed', before: node });
  return { nodes, edges: diffEdges(before.edges, after.edges, pairs) };
}

/** before id -> after id, for every node the two graphs share. */
function pairNodes(before: FlowGraph, after: FlowGraph): Map<string, string> {
  const pairs = new Map<string, string>();
  const afterIds = new Set(after.nodes.map((n) => n.id));
  for (const node of before.nodes) if (node.parent === undefined && afterIds.has(node.id)) pairs.set(node.id, node.id);
  const lists = (graph: FlowGraph) => {
    const out = new Map<string, Map<string, GraphNode[]>>();
    for (const node of graph.nodes) {
      if (node.parent === undefined || node.list === undefined) continue;
      let byList = out.get(node.parent);
      if (!byList) out.set(node.parent, (byList = new Map()));
      let items = byList.get(node.list);
      if (!items) byList.set(node.list, (items = []));
      items.push(node);
    }
    return out;
  };
  const beforeLists = lists(before);
  const afterLists = lists(after);
  // Top down: a list is compared with the list of the same name under the node its holder paired with.
  const queue: Array<[string, string]> = [
    ['flow', 'flow'],
    ['start', 'start'],
  ];
  for (let at = 0; at < queue.length; at++) {
    const [from, to] = queue[at]!;
    const mine = beforeLists.get(from);
    const theirs = afterLists.get(to);
    if (!mine || !theirs) continue;
    for (const [list, items] of mine) {
      const other = theirs.get(list);
      if (!other) continue;
      for (const [i, j] of pairListItems(items.map(asItem), other.map(asItem))) {
        pairs.set(items[i]!.id, other[j]!.id);
        queue.push([items[i]!.id, other[j]!.id]);
      }
    }
  }
  return pairs;
}

/** A node as the plan's list alignment sees an item: its kind and its name. */
function asItem(node: GraphNode): unknown {
  return { [node.type]: { name: node.label } };
}

function diffEdges(before: GraphEdge[], after: GraphEdge[], pairs: Map<string, string>): EdgeChange[] {
  const groups = new Map<string, GraphEdge[]>();
  for (const edge of after) {
    const key = `${edge.from}\u0000${edge.kind}`;
    const group = groups.get(key);
    if (group) group.push(edge);
    else groups.set(key, [edge]);
  }
  const changes: EdgeChange[] = [];
  const taken = new Set<GraphEdge>();
  const leftover: Array<{ edge: GraphEdge; to: string | undefined; group: GraphEdge[] }> = [];
  for (const edge of before) {
    const from = pairs.get(edge.from);
    const group = from === undefined ? undefined : groups.get(`${from}\u0000${edge.kind}`);
    if (!group) {
      changes.push({ status: 'removed', before: edge });
      continue;
    }
    // Where the edge goes, in the after graph's ids; a dangling edge is compared by what it names.
    const to = edge.to === undefined ? undefined : (pairs.get(edge.to) ?? `\u0000${edge.to}`);
    const same = group.find(
      (e) => !taken.has(e) && e.to === to && e.label === edge.label && e.missing === edge.missing,
    );
    if (same) {
      taken.add(same);
      changes.push({ status: 'same', before: edge, after: same });
    } else leftover.push({ edge, to, group });
  }
  // What is left pairs as a change: first with an edge to the same place (its label changed), then
  // with one of the same label (its target changed).
  const rest: GraphEdge[] = [];
  for (const item of leftover) {
    const free = item.group.filter((e) => !taken.has(e));
    const match =
      free.find((e) => e.to !== undefined && e.to === item.to) ?? free.find((e) => e.label === item.edge.label);
    if (match) {
      taken.add(match);
      changes.push({ status: 'changed', before: item.edge, after: match });
    } else rest.push(item.edge);
  }
  for (const edge of rest) changes.push({ status: 'removed', before: edge });
  for (const edge of after) if (!taken.has(edge)) changes.push({ status: 'added', after: edge });
  return changes;
}
