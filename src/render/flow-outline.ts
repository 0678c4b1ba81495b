/**
 * A flow's graph as a text outline (`flowops graph FILE`), pure: the start, then each menu, task,
 * state and bot with what it holds indented under it (choices, actions in order, an output's or a
 * case's actions under a line naming it), each followed by the edges that leave it. Edges the layout
 * already says are not repeated: a container to its first action, a menu to its choices, an action
 * to the next one in its list, an output to its first action. What the flow points to outside itself comes last.
 */
import type { FlowGraph, GraphEdge, GraphNode } from '../plan/flow-graph.js';

const OUTSIDE = new Set(['queue', 'flow', 'module', 'botFlow', 'disconnect']);
/** Lists whose items are the holder's own (no header line): a container's actions and choices. */
const OWN_LISTS = new Set(['actions', 'choices', 'startUpTaskActions', 'menus', 'tasks', 'states', 'bots']);

export function renderFlowOutline(graph: FlowGraph): string {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const children = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    const parent = n.parent ?? (n.kind === 'start' || OUTSIDE.has(n.kind) ? undefined : 'flow');
    if (parent === undefined) continue;
    const list = children.get(parent);
    if (list) list.push(n);
    else children.set(parent, [n]);
  }
  const out = graph.edges.reduce(
    (m, e) => m.set(e.from, [...(m.get(e.from) ?? []), e]),
    new Map<string, GraphEdge[]>(),
  );
  const lines = [`${graph.flowType} "${graph.name}": ${graph.nodes.length} nodes, ${graph.edges.length} edges`, ''];

  const implied = (n: GraphNode, e: GraphEdge): boolean => {
    const to = e.to === undefined ? undefined : byId.get(e.to);
    if (!to) return false;
    if (e.kind === 'contains' || (e.kind === 'start' && to.parent === 'start')) return true;
    // A menu's choices are listed under it; its default choice is not implied.
    if (e.kind === 'choice') return to.parent === n.id && e.label !== 'default';
    if (e.kind === 'next') return to.parent === n.parent && to.list === n.list && to.index === (n.index ?? -2) + 1;
    // An output's (a case's) first action: shown under the output's own line.
    return (e.kind === 'output' || e.kind === 'failure') && to.parent === n.id && to.index === 0;
  };
  const write = (n: GraphNode, depth: number): void => {
    const pad = '  '.repeat(depth);
    lines.push(`${pad}${nodeText(n, true)}`);
    for (const e of out.get(n.id) ?? []) if (!implied(n, e)) lines.push(`${pad}  → ${edgeText(e, byId)}`);
    let list: string | undefined;
    for (const child of children.get(n.id) ?? []) {
      if (child.list !== undefined && !OWN_LISTS.has(child.list)) {
        if (child.list !== list) lines.push(`${pad}  ${listTitle(child.list)}:`);
        list = child.list;
        write(child, depth + 2);
      } else write(child, depth + 1);
    }
  };
  const start = byId.get('start');
  if (start) write(start, 0);
  for (const n of children.get('flow') ?? []) write(n, 0);
  const outside = graph.nodes.filter((n) => OUTSIDE.has(n.kind));
  if (outside.length) {
    lines.push('', 'outside the flow:');
    for (const n of outside) lines.push(`  ${nodeText(n, false)}`);
  }
  return lines.join('\n');
}

function listTitle(list: string): string {
  const m = /^case:(\d+)$/.exec(list);
  return m ? `case ${Number(m[1]) + 1}` : list;
}

/** `action 2 "Transfer to support" (transferToAcd)`, `choice 1 "Sales" (menuTransferToAcd)`, `queue "Sales"`. */
function nodeText(n: GraphNode, position: boolean): string {
  const kind = n.kind === 'botFlow' ? 'bot flow' : n.kind;
  if (n.kind === 'start' || n.kind === 'disconnect') return kind;
  const where = position && n.kind === 'action' && n.index !== undefined ? ` ${n.index}` : '';
  const digit = n.dtmf !== undefined ? ` ${n.dtmf}` : '';
  const type = n.type !== n.kind && n.type !== n.label ? ` (${n.type})` : '';
  const speech = n.speech?.length ? ` [says: ${n.speech.map((s) => JSON.stringify(s)).join(', ')}]` : '';
  return `${kind}${where}${digit} ${JSON.stringify(n.label)}${type}${speech}`;
}

/** `jump: menu "Main Menu"`, `failure: action "Transfer failed" at task:Support/action:0/failure/action:0`. */
function edgeText(e: GraphEdge, byId: ReadonlyMap<string, GraphNode>): string {
  const head = [e.kind, e.label && e.label !== e.kind ? e.label : ''].filter(Boolean).join(' ');
  if (e.to === undefined) return `${head}: missing ${JSON.stringify(e.missing ?? '')} (a reference that leads nowhere)`;
  const to = byId.get(e.to);
  if (!to) return `${head}: ${e.to}`;
  const at = to.kind === 'action' || to.kind === 'choice' ? ` at ${to.id}` : '';
  return `${head}: ${nodeText(to, false)}${at}`;
}
