/** The nodes an arrow joins to each node, either way: what "around a change" walks, in every drawing. */
export function undirectedNeighbours(edges: Iterable<{ from: string; to: string }>): Map<string, string[]> {
  const neighbours = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    const list = neighbours.get(a);
    if (list) list.push(b);
    else neighbours.set(a, [b]);
  };
  for (const e of edges) {
    link(e.from, e.to);
    link(e.to, e.from);
  }
  return neighbours;
}
