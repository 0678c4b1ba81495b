/**
 * A laid-out drawing (layout.ts) as inline SVG: boxes, arrows and their labels, each element
 * carrying `data-status` (added, removed, changed, same) for the page's style and its before/after
 * switch, and a text marker (`+`, `−`, `~`) beside the colour. Every text escaped (escape.ts). The
 * arrowheads are defined once per page (`arrowDefinitions`), not once per drawing.
 */
import type { GraphStatus } from '../../plan/graph-diff.js';
import { edgeText, STATUS_MARKER, STATUS_WORD } from './draw-model.js';
import { escapeHtml, isolate } from './escape.js';
import { BADGE_PX, type Layout, LINE_PX, type PlacedEdge, type PlacedNode } from './layout.js';

const STATUSES: GraphStatus[] = ['added', 'removed', 'changed', 'same'];

/** The drawing; `label` names it for screen readers. */
export function drawSvg(layout: Layout, label: string): string {
  const { width, height } = layout;
  return [
    `<svg class="drawing" role="img" aria-label="${escapeHtml(label)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" data-width="${width}" data-height="${height}">`,
    '<g class="viewport">',
    ...layout.edges.map(drawEdge),
    ...layout.nodes.map(drawNode),
    '</g></svg>',
  ].join('\n');
}

function drawNode(p: PlacedNode): string {
  const { node } = p;
  const marker = STATUS_MARKER[node.status];
  const text = p.lines.map(
    (line, i) =>
      `<text class="${i === 0 ? 'title' : 'name'}" x="${BADGE_PX}" y="${5 + LINE_PX * (i + 1) - 3}">${escapeHtml(i === 0 ? line : isolate(line))}</text>`,
  );
  return (
    `<g class="node kind-${node.kind}" data-status="${node.status}" data-key="${escapeHtml(node.key)}" transform="translate(${r(p.x)},${r(p.y)})">` +
    // The tooltip says what changed, or holds the words a box had to cut; an unchanged box that shows all needs none.
    (node.status !== 'same' || p.lines.some((line) => line.endsWith('…'))
      ? `<title>${escapeHtml([node.tooltip, node.title, node.name].filter(Boolean).join('\n'))}</title>`
      : '') +
    `<rect width="${r(p.width)}" height="${r(p.height)}"/>` +
    (marker
      ? `<text class="marker" x="${BADGE_PX / 2}" y="${r(p.height / 2 + 5)}" aria-label="${STATUS_WORD[node.status]}">${marker}</text>`
      : '') +
    text.join('') +
    '</g>'
  );
}

function drawEdge(p: PlacedEdge): string {
  if (p.points.length < 2) return '';
  const d = p.points.map((pt, i) => `${i === 0 ? 'M' : 'L'}${r(pt.x)} ${r(pt.y)}`).join('');
  const words = edgeText(p.edge);
  const label =
    p.label && words
      ? `<rect class="label-bg" x="${r(p.label.x)}" y="${r(p.label.y)}" width="${r(p.label.width)}" height="${r(p.label.height)}"/>` +
        `<text class="label" x="${r(p.label.x + 3)}" y="${r(p.label.y + p.label.height - 3)}">${escapeHtml(isolate(words))}</text>`
      : '';
  return `<g class="edge kind-${p.edge.kind}" data-status="${p.edge.status}"><path d="${d}"/>${label}</g>`;
}

/** One hidden SVG holding the arrowheads every drawing of the page points to, one per status colour. */
export function arrowDefinitions(): string {
  return `<svg class="defs" width="0" height="0" aria-hidden="true"><defs>${STATUSES.map(
    (s) =>
      `<marker id="fo-arrow-${s}" class="arrow" data-status="${s}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z"/></marker>`,
  ).join('')}</defs></svg>`;
}

/** Whole pixels: a smaller file, the same picture. */
function r(n: number): string {
  return String(Math.round(n));
}
