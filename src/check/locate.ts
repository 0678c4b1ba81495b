import { isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';

export type PathSegment = string | number;

/**
 * The offset (in the parsed text) of the node at `path`, or of the deepest existing node on the
 * way when the path ends early (a missing key is reported where its parent is). With `atKey`, the
 * last segment is reported at its key rather than its value.
 */
export function locate(doc: Document, path: readonly PathSegment[], atKey = false): number {
  let node: unknown = doc.contents;
  let best = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
      if (!pair) return best;
      const keyStart = rangeStart(pair.key);
      if (keyStart !== undefined) best = keyStart;
      if (last && atKey) return best;
      node = pair.value;
      // A key with no value (`playAudio:`) is best shown at the key.
      const valueStart = rangeStart(node);
      if (valueStart !== undefined && !(isScalar(node) && node.value === null)) best = valueStart;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      const start = rangeStart(node);
      if (start === undefined) return best;
      best = start;
    } else {
      return best;
    }
  }
  return best;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
