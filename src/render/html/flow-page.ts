/**
 * `flowops graph FILE --html OUT`: one flow drawn as a standalone page, for documentation and for
 * reviewing a new flow. Every node the same (nothing to compare it with), so no markers and no
 * before/after switch; the zoom and pan of the plan report.
 */
import type { FlowGraph } from '../../plan/flow-graph.js';
import { graphModel } from './draw-model.js';
import { escapeHtml } from './escape.js';
import { layOut } from './layout.js';
import { drawingBlock, htmlPage } from './page.js';
import { drawSvg } from './svg.js';

export async function renderFlowHtml(graph: FlowGraph, options: { source?: string } = {}): Promise<string> {
  const label = `${graph.flowType} ${graph.name}`;
  const svg = drawSvg(await layOut(graphModel(graph)), label);
  return htmlPage(`${graph.name} (${graph.flowType})`, [
    `<h1><bdi>${escapeHtml(graph.name)}</bdi></h1>`,
    `<p class="meta">${escapeHtml(graph.flowType)}${options.source ? ` · <code>${escapeHtml(options.source)}</code>` : ''} · ${graph.nodes.length} nodes, ${graph.edges.length} edges</p>`,
    '<p class="hint meta">Zoom: + and − buttons, Ctrl + wheel or pinch; pan: drag or arrow keys.</p>',
    `<section class="flow" data-view="both">${drawingBlock(svg, { viewSwitch: false })}</section>`,
  ]);
}
