/**
 * The frame every HTML page of flowops shares: one self-contained document (style, script and
 * drawings inline) whose Content-Security-Policy forbids every request, so even a name that slipped
 * past escaping could not make the page reach the network. Also the parts both pages draw: the legend
 * and a drawing with its toolbar (zoom, and for a diff the before/after switch).
 */
import type { GraphStatus } from '../../plan/graph-diff.js';
import { STATUS_MARKER } from './draw-model.js';
import { escapeHtml } from './escape.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';
import { arrowDefinitions } from './svg.js';

const POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

export function htmlPage(title: string, body: string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    arrowDefinitions(),
    ...body,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const LEGEND: Array<[GraphStatus, string]> = [
  ['added', 'added (in the files, not live)'],
  ['removed', 'removed (live, not in the files)'],
  ['changed', 'changed'],
  ['same', 'unchanged'],
];

/** What the colours and markers mean (each status has both), and how to move around a drawing. */
export function legend(statuses: GraphStatus[] = ['added', 'removed', 'changed', 'same']): string {
  const items = LEGEND.filter(([s]) => statuses.includes(s)).map(
    ([s, words]) =>
      `<span class="item"><span class="swatch" data-status="${s}">${STATUS_MARKER[s] || '&nbsp;'}</span>${words}</span>`,
  );
  return `<div class="legend" aria-label="legend"><strong>Legend</strong>${items.join('')}<span class="hint">Zoom: + and − buttons, Ctrl + wheel or pinch; pan: drag or arrow keys.</span></div>`;
}

/** A drawing in its frame, under its toolbar: zoom buttons, and for a diff the before/after switch and a button to the next change. */
export function drawingBlock(svg: string, options: { viewSwitch: boolean }): string {
  const views = options.viewSwitch
    ? `<span class="group" role="group" aria-label="which side">${[
        ['before', 'Before (live)'],
        ['after', 'After (files)'],
        ['both', 'Both'],
      ]
        .map(([v, words]) => `<button type="button" data-view="${v}" aria-pressed="${v === 'both'}">${words}</button>`)
        .join('')}</span>`
    : '';
  const next = options.viewSwitch
    ? '<span class="group"><button type="button" data-zoom="next" aria-label="show the next changed box">next change</button></span>'
    : '';
  const zoom = `<span class="group" role="group" aria-label="zoom">${[
    ['in', '+', 'zoom in'],
    ['out', '−', 'zoom out'],
    ['fit', 'fit', 'fit the whole drawing'],
    ['reset', '1:1', 'actual size'],
  ]
    .map(([z, words, label]) => `<button type="button" data-zoom="${z}" aria-label="${label}">${words}</button>`)
    .join('')}</span>`;
  return `<div class="drawing-block"><div class="toolbar">${views}${next}${zoom}</div><div class="frame" tabindex="0">${svg}</div></div>`;
}
