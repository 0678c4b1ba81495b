import type { DependencyGraph } from './types.js';

/**
 * Orders flows so that every module comes before the flows that call it (Kahn's algorithm, ties
 * broken by id so the order is stable), and returns the ids caught in cycles, if any.
 *
 * `ordersOnly`: edges that order the work when they can but are never a cycle (transfers to a flow
 * and in-queue flows: two lines transferring to each other is an ordinary org, each naming a flow
 * that exists). Each is added unless it would close a cycle, in id order so the result is stable.
 */
export function buildGraph(
  ids: readonly string[],
  required: Record<string, string[]>,
  ordersOnly: Record<string, string[]> = {},
): { graph: DependencyGraph; cycles: string[][] } {
  const dependsOn = withoutCycles(required, ordersOnly);
  const callers: Record<string, string[]> = {};
  const indegree = new Map<string, number>();
  for (const id of ids) indegree.set(id, 0);
  for (const id of ids) {
    for (const dep of dependsOn[id] ?? []) {
      if (!indegree.has(dep)) continue;
      (callers[dep] ??= []).push(id);
      indegree.set(id, (indegree.get(id) ?? 0) + 1);
    }
  }
  for (const list of Object.values(callers)) list.sort();
  const ready = ids.filter((id) => indegree.get(id) === 0).sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    const next: string[] = [];
    for (const caller of callers[id] ?? []) {
      const left = (indegree.get(caller) ?? 0) - 1;
      indegree.set(caller, left);
      if (left === 0) next.push(caller);
    }
    ready.push(...next);
    ready.sort();
  }
  const cycles =
    order.length === ids.length
      ? []
      : findCycles(
          ids.filter((id) => !order.includes(id)),
          dependsOn,
        );
  const deps: Record<string, string[]> = {};
  for (const id of ids) deps[id] = (dependsOn[id] ?? []).filter((d) => indegree.has(d));
  return { graph: { order, callers, dependsOn: deps }, cycles };
}

function findCycles(stuck: string[], dependsOn: Record<string, string[]>): string[][] {
  const inStuck = new Set(stuck);
  const cycles: string[][] = [];
  const done = new Set<string>();
  for (const start of stuck) {
    if (done.has(start)) continue;
    const path: string[] = [];
    let at: string | undefined = start;
    while (at && !path.includes(at)) {
      path.push(at);
      at = (dependsOn[at] ?? []).find((d) => inStuck.has(d));
    }
    if (at) {
      const cycle = path.slice(path.indexOf(at));
      if (!cycle.some((id) => done.has(id))) cycles.push([...cycle, at]);
    }
    path.forEach((id) => done.add(id));
  }
  return cycles;
}

/** `required` plus each edge of `optional` that closes no cycle (checked against the edges so far). */
function withoutCycles(
  required: Record<string, string[]>,
  optional: Record<string, string[]>,
): Record<string, string[]> {
  const edges: Record<string, string[]> = {};
  for (const [id, deps] of Object.entries(required)) edges[id] = [...deps];
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const at = stack.pop()!;
      if (at === to) return true;
      if (seen.has(at)) continue;
      seen.add(at);
      stack.push(...(edges[at] ?? []));
    }
    return false;
  };
  for (const id of Object.keys(optional).sort()) {
    for (const dep of optional[id] ?? []) {
      const own = (edges[id] ??= []);
      if (own.includes(dep) || reaches(dep, id)) continue;
      own.push(dep);
    }
  }
  return edges;
}
