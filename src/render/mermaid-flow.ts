/**
 * A flow's graph as a mermaid `flowchart`, pure: the whole flow (`flowops graph --mermaid`), or the
 * part of a graph diff around the change (the pull request comment, the job summary). "Around the
 * change": the nodes added, removed or changed, both ends of every edge added, removed or changed,
 * and every node one edge away (either way) from a changed node or from where a changed edge leaves;
 * each in a subgraph of the menu,
 * task, state or bot it sits in. What is left out is counted on `… N more` nodes beside the nodes it
 * hangs off, so a 200-action task shows as the few actions that changed and their neighbours.
 *
 * Marking: the class `added`, `removed` or `changed` (colour), and a text marker at the head of the
 * label (`+`, `−`, `~`) for readers who do not see the colour. Node ids are `n0`, `n1`... (never a
 * name: mermaid reads names as syntax); labels are quoted with mermaid's entity codes for the
 * characters its parser or a browser would read (`"`, `#`, `&`, `<`, `>`, backtick, `|`, and `%`,
 * which would start a directive).
 */
import type { EdgeKind, FlowGraph, GraphEdge, GraphNode } from '../plan/flow-graph.js';
import type { GraphDiff, GraphStatus } from '../plan/graph-diff.js';
import { undirectedNeighbours } from './neighbours.js';

/** The text marker of each status, at the head of a label (colour-blind readers). */
export const MERMAID_MARKER: Record<GraphStatus, string> = { added: '+', removed: '−', changed: '~', same: '' };

/** A diagram of the part of a flow around its change. */
export interface ChangeDiagram {
  /** The mermaid text (no fence). */
  text: string;
  /** Nodes drawn, of all the nodes of the diff. */
  drawn: number;
  total: number;
  /** Nodes added, removed or changed, and how many of them did not fit in the bound. */
  changed: number;
  notDrawn: number;
}

export interface ChangeDiagramOptions {
  /** At most this many nodes of the flow drawn (default 60): changed nodes past it are counted, not drawn. */
  maxNodes?: number;
  /** At most this many characters of mermaid text (default 20000): fewer nodes are drawn until it fits. */
  maxChars?: number;
}

/** One node to draw: a node of the graph (or of both sides of a diff), or a dangling edge's target. */
interface DrawNode {
  key: string;
  status: GraphStatus;
  kind: GraphNode['kind'] | 'missing';
  type: string;
  label: string;
  dtmf?: string;
  /** The key of the node whose list holds this one. */
  parent?: string;
}

interface DrawEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  label: string;
  status: GraphStatus;
}

interface Drawing {
  nodes: DrawNode[];
  edges: DrawEdge[];
}

/** Whether a diff has anything to draw: a node or an edge not the same. Cheaper than drawing it. */
export function hasChange(diff: GraphDiff): boolean {
  return diff.nodes.some((c) => c.status !== 'same') || diff.edges.some((c) => c.status !== 'same');
}

/** What mermaid draws at most by default (its `maxTextSize` and `maxEdges`), as GitHub runs it. */
export const MERMAID_LIMITS = { chars: 50_000, edges: 500 };

const EDGE_LINE = /^ {2}[neg]\d+ (-->|==>|-\.->|-\.-)/;

/** The whole flow, nothing marked. */
export function flowMermaid(graph: FlowGraph): string {
  const drawing = fromGraph(graph);
  return render(drawing, new Set(drawing.nodes.map((n) => n.key)), false);
}

/**
 * The part of the diff around its change, marked; undefined when the graph did not change (a
 * republish: the flow is the same, a module it calls changed).
 */
export function changeMermaid(diff: GraphDiff, options: ChangeDiagramOptions = {}): ChangeDiagram | undefined {
  const drawing = fromDiff(diff);
  const focus = focusOf(drawing);
  if (focus.focus.length === 0) return undefined;
  const maxChars = options.maxChars ?? 20_000;
  let maxNodes = Math.max(1, options.maxNodes ?? 60);
  for (;;) {
    const { shown, notDrawn } = around(drawing, focus, maxNodes);
    const text = render(drawing, shown, true);
    const edges = text.split('\n').filter((l) => EDGE_LINE.test(l)).length;
    if ((text.length <= maxChars && edges <= MERMAID_LIMITS.edges) || maxNodes === 1)
      return {
        text,
        drawn: [...shown].filter((k) => !k.startsWith('m:')).length,
        total: diff.nodes.length,
        changed: drawing.nodes.filter((n) => n.status !== 'same').length,
        notDrawn,
      };
    maxNodes = Math.max(1, Math.floor(maxNodes / 2));
  }
}

function fromGraph(graph: FlowGraph): Drawing {
  const nodes = graph.nodes.map((n) => drawNode(n, n.id, 'same', n.parent));
  const edges: DrawEdge[] = [];
  const missing = new Map<string, DrawNode>();
  for (const e of graph.edges)
    edges.push(
      drawEdge(
        e,
        e.from,
        targetKey(e, (id) => id, missing),
        'same',
      ),
    );
  return { nodes: [...nodes, ...missing.values()], edges };
}

/**
 * Both sides of the diff in one drawing: a node paired across the diff is one node (keyed by its
 * after id), a removed node keeps its before id under another prefix, so the two never clash.
 */
function fromDiff(diff: GraphDiff): Drawing {
  const beforeKey = new Map<string, string>();
  for (const c of diff.nodes)
    if (c.before) beforeKey.set(c.before.id, c.after ? `a:${c.after.id}` : `b:${c.before.id}`);
  const afterKey = (id: string) => `a:${id}`;
  const oldKey = (id: string) => beforeKey.get(id) ?? `b:${id}`;
  const nodes: DrawNode[] = diff.nodes.map((c) => {
    if (c.after) return drawNode(c.after, afterKey(c.after.id), c.status, c.after.parent && afterKey(c.after.parent));
    const node = c.before!;
    return drawNode(node, oldKey(node.id), c.status, node.parent && oldKey(node.parent));
  });
  const missing = new Map<string, DrawNode>();
  const edges: DrawEdge[] = [];
  for (const c of diff.edges) {
    if (c.after) edges.push(drawEdge(c.after, afterKey(c.after.from), targetKey(c.after, afterKey, missing), c.status));
    // A changed edge that now leads elsewhere: where it led before is drawn too, removed.
    if (c.before && (c.status === 'removed' || c.status === 'changed')) {
      const old = drawEdge(c.before, oldKey(c.before.from), targetKey(c.before, oldKey, missing), 'removed');
      const now = edges.at(-1);
      if (c.status === 'removed' || !now || now.to !== old.to) edges.push(old);
    }
  }
  // A missing target is as changed as the edge to it.
  for (const e of edges) {
    const target = missing.get(e.to);
    if (target && e.status !== 'same' && target.status === 'same') target.status = e.status;
  }
  return { nodes: [...nodes, ...missing.values()], edges };
}

function drawNode(n: GraphNode, key: string, status: GraphStatus, parent: string | undefined): DrawNode {
  return {
    key,
    status,
    kind: n.kind,
    type: n.type,
    label: n.label,
    ...(n.dtmf !== undefined ? { dtmf: n.dtmf } : {}),
    ...(parent !== undefined && n.parent !== 'flow' ? { parent } : {}),
  };
}

function drawEdge(e: GraphEdge, from: string, to: string, status: GraphStatus): DrawEdge {
  return { from, to, kind: e.kind, label: e.label, status };
}

/** Where an edge goes; a dangling edge goes to a `missing: ...` node, one per reference named. */
function targetKey(e: GraphEdge, key: (id: string) => string, missing: Map<string, DrawNode>): string {
  if (e.to !== undefined) return key(e.to);
  const reference = e.missing ?? '';
  const id = `m:${reference}`;
  if (!missing.has(id))
    missing.set(id, { key: id, status: 'same', kind: 'missing', type: 'missing', label: reference });
  return id;
}

/**
 * The nodes the change is about, in the drawing's order: changed nodes and the ends of changed
 * edges. `expand`: those whose neighbours are drawn too, the changed nodes and where a changed edge
 * leaves from; where it arrives is drawn alone, so a shared target (`disconnect`, a queue) does not
 * pull in every other node that leads to it.
 */
function focusOf(drawing: Drawing): { focus: string[]; expand: Set<string> } {
  const focus = new Set<string>();
  const expand = new Set<string>();
  for (const n of drawing.nodes)
    if (n.status !== 'same') {
      focus.add(n.key);
      expand.add(n.key);
    }
  for (const e of drawing.edges)
    if (e.status !== 'same') {
      focus.add(e.from);
      focus.add(e.to);
      expand.add(e.from);
    }
  const order = new Map(drawing.nodes.map((n, i) => [n.key, i]));
  return { focus: [...focus].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)), expand };
}

/** The focus nodes and their neighbours, focus node by focus node while `maxNodes` holds. */
function around(
  drawing: Drawing,
  { focus, expand }: { focus: readonly string[]; expand: ReadonlySet<string> },
  maxNodes: number,
): { shown: Set<string>; notDrawn: number } {
  const neighbours = undirectedNeighbours(drawing.edges);
  const shown = new Set<string>();
  const statusOf = new Map(drawing.nodes.map((n) => [n.key, n.status]));
  let notDrawn = 0;
  for (const key of focus) {
    const group = [key, ...(expand.has(key) ? (neighbours.get(key) ?? []) : [])].filter((k) => !shown.has(k));
    if (shown.has(key)) {
      // Already drawn as a neighbour: its own neighbours still belong to the picture, if they fit.
      if (shown.size + group.length <= maxNodes) for (const k of group) shown.add(k);
      continue;
    }
    if (shown.size > 0 && shown.size + group.length > maxNodes) {
      if ((statusOf.get(key) ?? 'same') !== 'same') notDrawn++;
      continue;
    }
    // The first group alone may pass the bound (a menu of 100 choices): its first neighbours only,
    // the others counted on `… N more`.
    for (const k of group.slice(0, Math.max(1, maxNodes))) shown.add(k);
  }
  return { shown, notDrawn };
}

const CLASS_DEFS: Record<string, string> = {
  added: 'fill:#dafbe1,stroke:#1a7f37,stroke-width:2px,color:#0a3d1a',
  removed: 'fill:#ffebe9,stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 3,color:#5c0a0f',
  changed: 'fill:#fff8c5,stroke:#9a6700,stroke-width:2px,color:#3d2a00',
  missing: 'fill:#ffffff,stroke:#cf222e,stroke-dasharray:2 2,color:#5c0a0f',
  elided: 'fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:2 2,color:#57606a',
};
const LINK_COLOUR: Record<Exclude<GraphStatus, 'same'>, string> = {
  added: 'stroke:#1a7f37,stroke-width:2px',
  removed: 'stroke:#cf222e,stroke-width:2px',
  changed: 'stroke:#9a6700,stroke-width:2px',
};
/** The arrow of each status: thick for what is new or changed, dotted for what goes. */
const ARROW: Record<GraphStatus, string> = { same: '-->', added: '==>', changed: '==>', removed: '-.->' };
/** Edge kinds whose label is their kind (the others carry the graph's label: a digit, an output). */
const KIND_LABEL: Partial<Record<EdgeKind, string>> = { jump: 'jump', call: 'call', transfer: 'transfer' };
const CONTAINERS = new Set(['menu', 'task', 'state', 'bot']);

/** The drawing's `shown` nodes, their edges, subgraphs for containers, `… N more` for what is hidden. */
function render(drawing: Drawing, shown: ReadonlySet<string>, mark: boolean): string {
  const byKey = new Map(drawing.nodes.map((n) => [n.key, n]));
  const ids = new Map<string, string>();
  for (const n of drawing.nodes) if (shown.has(n.key)) ids.set(n.key, `n${ids.size}`);
  const lines = ['flowchart TD'];
  const classes = new Map<string, string[]>();
  const addClass = (name: string, id: string) => {
    const list = classes.get(name);
    if (list) list.push(id);
    else classes.set(name, [id]);
  };

  // What is hidden beside each shown node: counted on one `… N more` node per side.
  const hiddenOut = new Map<string, number>();
  const hiddenIn = new Map<string, number>();
  const edges: DrawEdge[] = [];
  for (const e of drawing.edges) {
    const from = shown.has(e.from);
    const to = shown.has(e.to);
    if (from && to) edges.push(e);
    else if (from) hiddenOut.set(e.from, (hiddenOut.get(e.from) ?? 0) + 1);
    else if (to) hiddenIn.set(e.to, (hiddenIn.get(e.to) ?? 0) + 1);
  }
  const elisions: Array<{ id: string; node: string; count: number; out: boolean }> = [];
  for (const key of ids.keys()) {
    for (const [map, out] of [
      [hiddenIn, false],
      [hiddenOut, true],
    ] as const) {
      const count = map.get(key);
      if (count) elisions.push({ id: `e${elisions.length}`, node: key, count, out });
    }
  }

  // Nodes, grouped by the container they sit in.
  const groups = new Map<string, string[]>();
  const loose: string[] = [];
  const nodeLine = (n: DrawNode) => `${ids.get(n.key)}${shape(n, mark)}`;
  const place = (key: string, line: string) => {
    const container = containerOf(key, byKey);
    if (container === undefined) loose.push(line);
    else {
      const list = groups.get(container);
      if (list) list.push(line);
      else groups.set(container, [line]);
    }
  };
  for (const [key] of ids) {
    const n = byKey.get(key)!;
    place(key, nodeLine(n));
    if (mark && n.status !== 'same') addClass(n.status, ids.get(key)!);
    if (n.kind === 'missing') addClass('missing', ids.get(key)!);
  }
  for (const e of elisions) {
    place(e.node, `${e.id}(["… ${e.count} more"])`);
    addClass('elided', e.id);
  }
  for (const line of loose) lines.push(`  ${line}`);
  let group = 0;
  for (const [container, members] of groups) {
    lines.push(`  subgraph g${group++}["${text(containerTitle(byKey.get(container)!, mark))}"]`);
    for (const line of members) lines.push(`    ${line}`);
    lines.push('  end');
  }

  // Edges, then their colours by index (linkStyle counts every edge in the order written).
  const linkStyles: string[] = [];
  let index = 0;
  for (const e of edges) {
    const status = mark ? e.status : 'same';
    const words = [MERMAID_MARKER[status], KIND_LABEL[e.kind] ?? e.label].filter(Boolean).join(' ');
    const label = words ? `|"${text(words)}"|` : '';
    lines.push(`  ${ids.get(e.from)} ${ARROW[status]}${label} ${ids.get(e.to)}`);
    if (status !== 'same') linkStyles.push(`  linkStyle ${index} ${LINK_COLOUR[status]}`);
    index++;
  }
  for (const e of elisions) {
    lines.push(e.out ? `  ${ids.get(e.node)} -.- ${e.id}` : `  ${e.id} -.- ${ids.get(e.node)}`);
    index++;
  }
  lines.push(...linkStyles);
  for (const [name, members] of classes)
    lines.push(`  classDef ${name} ${CLASS_DEFS[name]}`, `  class ${members.join(',')} ${name}`);
  return lines.join('\n');
}

/** The top container (menu, task, state, bot) a node sits in, itself included; undefined outside one. */
function containerOf(key: string, byKey: ReadonlyMap<string, DrawNode>): string | undefined {
  let node = byKey.get(key);
  let top: DrawNode | undefined;
  for (let steps = 0; node && steps < 1000; steps++) {
    top = node;
    node = node.parent === undefined ? undefined : byKey.get(node.parent);
  }
  return top && CONTAINERS.has(top.kind) ? top.key : undefined;
}

/** `task Startup Task`; marked like its node, so a task added or removed whole reads so at its title. */
function containerTitle(n: DrawNode, mark: boolean): string {
  const marker = mark ? MERMAID_MARKER[n.status] : '';
  return `${marker ? `${marker} ` : ''}${n.kind} ${n.label}`;
}

/** The node's shape and quoted label, its marker first. */
function shape(n: DrawNode, mark: boolean): string {
  const marker = mark ? MERMAID_MARKER[n.status] : '';
  const head = (s: string) => text(marker ? `${marker} ${s}` : s);
  const detail = n.type !== n.label && n.type !== n.kind ? `<br/>(${text(n.type)})` : '';
  switch (n.kind) {
    case 'start':
      return `(["${head('Start')}"])`;
    case 'disconnect':
      return `(["${head('Disconnect')}"])`;
    case 'menu':
    case 'task':
    case 'state':
    case 'bot':
      return `[["${head(`${n.kind}: ${n.label}`)}"]]`;
    case 'choice':
      return `{{"${head(n.dtmf !== undefined ? `${n.dtmf}: ${n.label}` : n.label)}${detail}"}}`;
    case 'queue':
    case 'flow':
    case 'module':
    case 'botFlow':
      return `[/"${head(`${n.kind === 'botFlow' ? 'bot flow' : n.kind}: ${n.label}`)}"/]`;
    case 'missing':
      return `>"${head(`missing: ${n.label}`)}"]`;
    default:
      return `["${head(n.label)}${detail}"]`;
  }
}

/** Longest label drawn, in characters: a longer name is cut with `…` (the plan's text has it whole). */
export const MAX_LABEL = 80;

const ENTITY: Record<string, string> = {
  '"': '#quot;',
  '#': '#35;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  '`': '#96;',
  '|': '#124;',
  '%': '#37;',
};

/**
 * Text for inside a quoted mermaid label: line breaks and control characters become spaces, a long
 * text is cut at MAX_LABEL characters (whole code points), and the characters mermaid's parser or
 * the browser would read are written as mermaid's entity codes, which it turns back into the
 * characters when it draws. Exported for the tests.
 */
export function text(value: string): string {
  const flat = value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  const chars = Array.from(flat);
  const cut = chars.length > MAX_LABEL ? `${chars.slice(0, MAX_LABEL - 1).join('')}…` : flat;
  return (
    cut
      .replace(/["#&<>`|%]/g, (c) => ENTITY[c]!)
      // Mermaid drops the last `;` of a line where `style` or `classDef` comes before a `:` and a
      // `#` (to read colours); it would break the entity codes after it. A letter of each written
      // as its code keeps those words out of that rule.
      .replace(/style|classDef/g, (w) => `${w[0]}#${w.charCodeAt(1)};${w.slice(2)}`)
  );
}
