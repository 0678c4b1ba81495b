/**
 * The drawing input of a plan, pure: for every flow the plan creates, updates, renames or
 * republishes, the diff of its live graph and its desired graph (flow-graph.ts, graph-diff.ts), for
 * the HTML report and the pull request's diagrams. A create is drawn against an empty graph (every
 * node added); a republish (its content unchanged, a module it calls changed) is its desired graph
 * with the changed modules' nodes marked changed. Labels holding the value of a secret substitution
 * are masked: the values found at the flow's secret places, on both sides, are replaced by `***`.
 *
 * The diff rides on the planned flow as a non-enumerable property: it is for drawing only, large,
 * and worked out again by every plan, so it never reaches the saved plan (`--out`) or `--json`.
 */
import { type FlowGraph, normalFlowGraph } from './flow-graph.js';
import { diffGraphs, type GraphDiff } from './graph-diff.js';
import { MASK, pointer, type SecretMask } from './secrets.js';
import type { PlannedFlow } from './types.js';

/** The actions that are drawn. */
export const DRAWN_ACTIONS: ReadonlySet<PlannedFlow['action']> = new Set(['create', 'update', 'rename', 'republish']);

export interface GraphInput {
  /** The desired document after substitution, in the normal form (identity/normal-form.ts). */
  desired: Record<string, unknown>;
  /** The live document compared with it, in the normal form, when the plan read it (absent for a create, and when identity decided). */
  live?: Record<string, unknown>;
  /** The flow's secret places in the normal form. */
  secrets: SecretMask;
  /** For a republish: the names of the modules that changed (their `module:` nodes are marked). */
  changedModules?: readonly string[];
}

/** The graph diff of one planned flow. */
export function planGraph(flow: Pick<PlannedFlow, 'action'>, input: GraphInput): GraphDiff {
  const after = normalFlowGraph(input.desired);
  const before: FlowGraph =
    flow.action === 'create'
      ? { flowType: after.flowType, name: after.name, nodes: [], edges: [] }
      : input.live
        ? normalFlowGraph(input.live)
        : after;
  const diff = diffGraphs(before, after);
  if (flow.action === 'republish' && input.changedModules?.length) {
    const modules = new Set(input.changedModules.map((name) => `module:${name}`));
    for (const change of diff.nodes)
      if (change.status === 'same' && change.after && modules.has(change.after.id)) change.status = 'changed';
  }
  return maskLabels(diff, secretValues(input));
}

/**
 * Attaches the diff to the planned flow, out of its JSON (see the header). Given a function, the diff
 * is worked out on the first read and kept: a plan that draws nothing pays nothing for it.
 */
export function attachGraph(flow: PlannedFlow, graph: GraphDiff | (() => GraphDiff)): void {
  const keep = (value: GraphDiff) =>
    Object.defineProperty(flow, 'graph', { value, enumerable: false, configurable: true, writable: true });
  if (typeof graph !== 'function') {
    keep(graph);
    return;
  }
  Object.defineProperty(flow, 'graph', {
    enumerable: false,
    configurable: true,
    get: () => {
      const value = graph();
      keep(value);
      return value;
    },
  });
}

/** The strings at the secret places of both documents (normal form): what no label may show. */
function secretValues(input: GraphInput): string[] {
  if (input.secrets.empty) return [];
  const values = new Set<string>();
  const pointers = new Set(input.secrets.pointers);
  const collect = (node: unknown, path: (string | number)[], inside: boolean): void => {
    const here = inside || pointers.has(pointer(path));
    if (Array.isArray(node)) node.forEach((item, i) => collect(item, [...path, i], here));
    else if (node !== null && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) collect(v, [...path, k], here);
    else if (here && node !== null && node !== undefined && String(node) !== '') values.add(String(node));
  };
  collect(input.desired, [], false);
  if (input.live) collect(input.live, [], false);
  // Longest first, so a value containing another is masked whole.
  return [...values].sort((a, b) => b.length - a.length);
}

function maskText(text: string, values: readonly string[]): string {
  let out = text;
  for (const value of values) if (out.includes(value)) out = out.split(value).join(MASK);
  return out;
}

function maskLabels(diff: GraphDiff, values: readonly string[]): GraphDiff {
  if (values.length === 0) return diff;
  const node = <T extends { label: string; id: string; parent?: string; speech?: string[] }>(
    n: T | undefined,
  ): T | undefined =>
    n && {
      ...n,
      id: maskText(n.id, values),
      ...(n.parent !== undefined ? { parent: maskText(n.parent, values) } : {}),
      label: maskText(n.label, values),
      ...(n.speech ? { speech: n.speech.map((s) => maskText(s, values)) } : {}),
    };
  const edge = <T extends { from: string; to?: string; label: string; missing?: string }>(
    e: T | undefined,
  ): T | undefined =>
    e && {
      ...e,
      from: maskText(e.from, values),
      ...(e.to !== undefined ? { to: maskText(e.to, values) } : {}),
      label: maskText(e.label, values),
      ...(e.missing !== undefined ? { missing: maskText(e.missing, values) } : {}),
    };
  return {
    nodes: diff.nodes.map((c) => ({
      status: c.status,
      ...(c.before ? { before: node(c.before) } : {}),
      ...(c.after ? { after: node(c.after) } : {}),
    })),
    edges: diff.edges.map((c) => ({
      status: c.status,
      ...(c.before ? { before: edge(c.before) } : {}),
      ...(c.after ? { after: edge(c.after) } : {}),
    })),
  };
}
