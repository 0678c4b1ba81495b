/**
 * Where each box and arrow of a drawing goes: elkjs (the Eclipse Layout Kernel's layered algorithm,
 * compiled to JavaScript) run in Node when the report is written, so the page holds finished SVG and
 * no layout code. ELK over dagre: ELK is maintained (dagre's last release is years old), routes
 * arrows orthogonally around boxes and places their labels without overlaps, and its layered
 * algorithm handles the cycles a flow has (loops, jumps back to a menu).
 *
 * Box sizes come from the text's width in columns (string-width: emoji and wide characters count
 * two), not from font metrics Node does not have; a line longer than a box holds is cut with `…`
 * (the whole text is in the box's tooltip).
 */
import elkBundle from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import stringWidth from 'string-width';
import { type DrawEdge, type DrawModel, type DrawNode, edgeText } from './draw-model.js';

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode extends Point {
  node: DrawNode;
  width: number;
  height: number;
  /** The lines drawn in the box, cut to fit. */
  lines: string[];
}

export interface PlacedEdge {
  edge: DrawEdge;
  points: Point[];
  label?: Point & { width: number; height: number };
}

export interface Layout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/** Pixels per column of 12 px sans-serif text (an average: wide enough for most Latin names). */
export const COLUMN_PX = 7.5;
export const LINE_PX = 15;
/** Room on the left of a box for its status badge. */
export const BADGE_PX = 26;
const PADDING_PX = 14;
const MAX_COLUMNS = 34;
const MIN_WIDTH = 70;

// A CommonJS module: Node's default import is its module.exports, the constructor, which also carries itself as `default` (what the types describe).
const elk = new elkBundle.default();

/** Lays a drawing out, top down. A graph of hundreds of nodes takes the cheaper crossing minimisation. */
export async function layOut(model: DrawModel): Promise<Layout> {
  const keys = new Set(model.nodes.map((n) => n.key));
  const placedLines = model.nodes.map((n) =>
    [n.title, ...(n.name !== undefined ? [n.name] : [])].map((line) => fit(line)),
  );
  const edges = model.edges.filter((e) => keys.has(e.from) && keys.has(e.to));
  const children: ElkNode[] = model.nodes.map((_, i) => {
    const lines = placedLines[i]!;
    return {
      id: `n${i}`,
      width: Math.max(MIN_WIDTH, BADGE_PX + PADDING_PX + Math.max(...lines.map((l) => stringWidth(l))) * COLUMN_PX),
      height: PADDING_PX + lines.length * LINE_PX,
    };
  });
  const index = new Map(model.nodes.map((n, i) => [n.key, `n${i}`]));
  const elkEdges: ElkExtendedEdge[] = edges.map((e, i) => ({
    id: `e${i}`,
    sources: [index.get(e.from)!],
    targets: [index.get(e.to)!],
    ...(edgeText(e)
      ? { labels: [{ text: edgeText(e), width: stringWidth(fit(edgeText(e))) * COLUMN_PX + 6, height: LINE_PX }] }
      : {}),
  }));
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.spacing.nodeNode': '24',
      'elk.layered.spacing.nodeNodeBetweenLayers': '32',
      'elk.padding': '[top=12,left=12,bottom=12,right=12]',
      // Thoroughness trades crossing minimisation rounds for time; a big flow is read by panning anyway.
      'elk.layered.thoroughness': model.nodes.length > 60 ? '1' : '4',
    },
    children,
    edges: elkEdges,
  };
  const graph = await elk.layout(root);
  const laidOut = graph.children ?? [];
  return {
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
    nodes: model.nodes.map((node, i) => {
      const c = laidOut[i]!;
      return { node, x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0, lines: placedLines[i]! };
    }),
    edges: (graph.edges ?? []).map((e, i) => {
      const section = e.sections?.[0];
      const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
      const label = e.labels?.[0];
      return {
        edge: edges[i]!,
        points,
        ...(label
          ? { label: { x: label.x ?? 0, y: label.y ?? 0, width: label.width ?? 0, height: label.height ?? 0 } }
          : {}),
      };
    }),
  };
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** A line cut to the box's width, by whole characters (an emoji is not split). */
export function fit(text: string, columns = MAX_COLUMNS): string {
  const oneLine = text.replace(/\s+/g, ' ');
  if (stringWidth(oneLine) <= columns) return oneLine;
  let out = '';
  let width = 0;
  for (const { segment } of graphemes.segment(oneLine)) {
    const w = stringWidth(segment);
    if (width + w > columns - 1) break;
    out += segment;
    width += w;
  }
  return `${out}…`;
}
