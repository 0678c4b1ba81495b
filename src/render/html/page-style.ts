/**
 * The report's style sheet, inline in the page. Each status has a colour and a line style (removed
 * dashed, changed dotted, added bold), and a text marker drawn by svg.ts, so no reader depends on
 * telling colours apart. The before/after switch is style too: a flow's `data-view` hides what the
 * other side lacks.
 */
export const PAGE_STYLE = `
:root { color-scheme: light; --added: #1a7f37; --added-bg: #dafbe1; --removed: #cf222e; --removed-bg: #ffebe9;
  --changed: #9a6700; --changed-bg: #fff8c5; --same: #57606a; --same-bg: #f6f8fa; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; padding: 16px 24px 48px; color: #1f2328; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 0 0 6px; } h3 { font-size: 14px; margin: 12px 0 6px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.meta { color: var(--same); margin: 0 0 12px; }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
table.counts td { text-align: right; min-width: 70px; }
.no-changes { font-size: 16px; padding: 12px 16px; background: var(--added-bg); border: 1px solid var(--added); border-radius: 6px; display: inline-block; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; margin: 8px 0 16px; padding: 6px 10px; border: 1px solid var(--line); border-radius: 6px; }
.legend .swatch { display: inline-block; min-width: 22px; text-align: center; font-weight: 700; border: 2px solid; border-radius: 4px; margin-right: 4px; }
.swatch[data-status="added"] { color: var(--added); background: var(--added-bg); border-color: var(--added); }
.swatch[data-status="removed"] { color: var(--removed); background: var(--removed-bg); border-color: var(--removed); border-style: dashed; }
.swatch[data-status="changed"] { color: var(--changed); background: var(--changed-bg); border-color: var(--changed); border-style: dotted; }
.swatch[data-status="same"] { color: var(--same); background: var(--same-bg); border-color: var(--same); }
nav.contents ul { margin: 4px 0 16px; padding-left: 20px; }
section.flow { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin: 16px 0; }
section.flow > .facts { color: var(--same); margin: 0 0 8px; }
.columns { display: grid; grid-template-columns: minmax(0, 3fr) minmax(280px, 2fr); gap: 14px; align-items: start; }
@media (max-width: 900px) { .columns { grid-template-columns: minmax(0, 1fr); } }
.toolbar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-bottom: 6px; }
.toolbar .group { display: inline-flex; }
.toolbar button { font: inherit; font-size: 13px; padding: 2px 10px; border: 1px solid var(--line); background: #fff; cursor: pointer; }
.toolbar .group button + button { border-left: 0; }
.toolbar button[aria-pressed="true"] { background: #0969da; color: #fff; border-color: #0969da; }
.toolbar .hint { color: var(--same); font-size: 12px; }
.frame { position: relative; overflow: hidden; border: 1px solid var(--line); border-radius: 6px; background: #fff; height: 360px; cursor: grab; touch-action: none; }
.frame:focus { outline: 2px solid #0969da; }
.frame.dragging { cursor: grabbing; }
.frame svg.drawing { display: block; }
svg.defs { position: absolute; }
.changes td.mark { font-weight: 700; text-align: center; }
.changes tr[data-kind="add"] td.mark { color: var(--added); } .changes tr[data-kind="remove"] td.mark { color: var(--removed); } .changes tr[data-kind="replace"] td.mark { color: var(--changed); }
.changes td { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; word-break: break-word; }
.problems li.error { color: var(--removed); } .problems li.warning { color: var(--changed); }
.drawing text { font: 12px system-ui, -apple-system, "Segoe UI", sans-serif; fill: #1f2328; }
.drawing text.title { font-weight: 600; }
.drawing text.marker { font-size: 15px; font-weight: 800; text-anchor: middle; }
.drawing .node rect { fill: var(--same-bg); stroke: var(--same); stroke-width: 1.2; rx: 5px; }
.drawing .node.kind-start rect, .drawing .node.kind-disconnect rect { rx: 14px; }
.drawing .node.kind-menu rect, .drawing .node.kind-task rect, .drawing .node.kind-state rect, .drawing .node.kind-bot rect { stroke-width: 2; }
.drawing .node.kind-queue rect, .drawing .node.kind-flow rect, .drawing .node.kind-module rect, .drawing .node.kind-botFlow rect, .drawing .node.kind-missing rect { fill: #fff; stroke-dasharray: 2 2; }
.drawing .node[data-status="added"] rect { fill: var(--added-bg); stroke: var(--added); stroke-width: 2.5; stroke-dasharray: none; }
.drawing .node[data-status="removed"] rect { fill: var(--removed-bg); stroke: var(--removed); stroke-width: 2.5; stroke-dasharray: 6 3; }
.drawing .node[data-status="changed"] rect { fill: var(--changed-bg); stroke: var(--changed); stroke-width: 2.5; stroke-dasharray: 2 2; }
.drawing .node[data-status="added"] text.marker { fill: var(--added); }
.drawing .node[data-status="removed"] text.marker { fill: var(--removed); }
.drawing .node[data-status="changed"] text.marker { fill: var(--changed); }
.drawing .edge path { fill: none; stroke: #8c959f; stroke-width: 1.3; marker-end: url(#fo-arrow-same); }
.drawing .edge.kind-failure path { stroke-dasharray: 1 3; }
.drawing .edge[data-status="added"] path { stroke: var(--added); stroke-width: 2.5; marker-end: url(#fo-arrow-added); }
.drawing .edge[data-status="removed"] path { stroke: var(--removed); stroke-width: 2.5; stroke-dasharray: 6 3; marker-end: url(#fo-arrow-removed); }
.drawing .edge[data-status="changed"] path { stroke: var(--changed); stroke-width: 2.5; stroke-dasharray: 2 2; marker-end: url(#fo-arrow-changed); }
.drawing .edge rect.label-bg { fill: #fff; opacity: 0.9; }
.drawing .edge text.label { font-size: 11px; fill: #57606a; }
.drawing .edge[data-status="added"] text.label { fill: var(--added); font-weight: 700; }
.drawing .edge[data-status="removed"] text.label { fill: var(--removed); font-weight: 700; }
.drawing .edge[data-status="changed"] text.label { fill: var(--changed); font-weight: 700; }
marker.arrow path { fill: #8c959f; }
marker.arrow[data-status="added"] path { fill: var(--added); }
marker.arrow[data-status="removed"] path { fill: var(--removed); }
marker.arrow[data-status="changed"] path { fill: var(--changed); }
section.flow[data-view="after"] .drawing [data-status="removed"], section.flow[data-view="before"] .drawing [data-status="added"] { display: none; }
`;
