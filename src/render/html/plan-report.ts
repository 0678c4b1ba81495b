/**
 * `flowops plan --html FILE`: the plan as one self-contained page, the CI artifact a reviewer opens.
 * The summary (counts, environment, commit, the reference check), the modules and their callers,
 * and per flow that changes its section: the same words as the markdown plan (the action, the file,
 * the live version, the change list, secrets already `***` in the plan) beside its drawing, live
 * against desired (PlannedFlow.graph), with the before/after switch. Computes nothing the plan does
 * not hold but the layout.
 */
import pc from 'picocolors';
import { describeConsumers, isRefusedDelete } from '../../plan/consumers.js';
import type { Plan, PlannedFlow } from '../../plan/types.js';
import { formatValue } from '../format-value.js';
import { referenceLines } from '../references.js';
import { shortCommit, SYMBOL } from '../text.js';
import { aroundChanges, type DrawModel, diffModel, moduleModel } from './draw-model.js';
import { escapeHtml } from './escape.js';
import { layOut } from './layout.js';
import { drawingBlock, htmlPage, legend } from './page.js';
import { drawSvg } from './svg.js';

/** Changes listed per flow: the page holds them all up to this bound (the saved plan has every one). */
const MAX_CHANGES = 500;

export async function renderPlanHtml(plan: Plan, options: { title?: string } = {}): Promise<string> {
  const title = options.title ?? 'flowops plan';
  const changing = plan.flows.filter((f) => f.action !== 'unchanged');
  const body = [
    '<header>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">environment <code>${escapeHtml(plan.environment)}</code>${plan.gitCommit ? ` · commit <code title="${escapeHtml(plan.gitCommit)}">${escapeHtml(shortCommit(plan.gitCommit))}</code>` : ''} · planned ${escapeHtml(plan.createdAt)}</p>`,
    '</header>',
    summaryTable(plan),
    ...problems(plan),
  ];
  if (plan.unmanaged.length)
    body.push(
      `<p class="meta">${plan.unmanaged.length} live flow(s) not in the repository are left alone (<code>--prune</code> deletes them).</p>`,
    );
  if (changing.length === 0) {
    body.push('<p class="no-changes"><strong>No changes.</strong> The live flows match the repository.</p>');
    return htmlPage(`${title}: ${plan.environment}`, body);
  }
  body.push(legend(), contents(changing));
  const modules = moduleModel(plan);
  if (modules.nodes.length > MAX_MODULE_GRAPH)
    body.push(
      `<section class="modules"><h2>Modules and their callers</h2><p class="meta">${modules.nodes.length} flows: too many to draw; the sections below say which are republished and why.</p></section>`,
    );
  else if (modules.edges.length) {
    const svg = drawSvg(await layOut(modules), 'modules and their callers');
    body.push(
      '<section class="modules"><h2>Modules and their callers</h2>',
      drawingBlock(svg, { viewSwitch: false }),
      '</section>',
    );
  }
  const drawings = chooseDrawings(changing);
  for (const [i, flow] of changing.entries()) body.push(await flowSection(flow, i, drawings.get(flow)));
  return htmlPage(`${title}: ${plan.environment}`, body);
}

function summaryTable(plan: Plan): string {
  const s = plan.summary;
  const columns: Array<[string, string]> = [
    ['create', String(s.create)],
    ...(s.rename ? [['rename', String(s.rename)] as [string, string]] : []),
    ['update', String(s.update)],
    ['republish', String(s.republish)],
    ['delete', s.refused ? `${s.delete} (${s.refused} refused: in use)` : String(s.delete)],
    ['unchanged', String(s.unchanged)],
  ];
  return `<table class="counts" aria-label="summary"><tr>${columns.map(([h]) => `<th>${h}</th>`).join('')}</tr><tr>${columns.map(([, v]) => `<td>${escapeHtml(v)}</td>`).join('')}</tr></table>`;
}

/** The reference check's problems and notes, in the terminal's words (render/references.ts). */
function problems(plan: Plan): string[] {
  const lines = referenceLines(plan.references, pc.createColors(false)).filter((l) => l !== '');
  if (!lines.length) return [];
  return [
    '<ul class="problems">',
    ...lines.map(
      (l) =>
        `<li class="${/: error: /.test(l) ? 'error' : /: warning: /.test(l) ? 'warning' : 'note'}">${escapeHtml(l)}</li>`,
    ),
    '</ul>',
  ];
}

function flowTitle(flow: PlannedFlow): string {
  const name =
    flow.renamedFrom !== undefined
      ? `<code><bdi>${escapeHtml(flow.renamedFrom)}</bdi></code> → <code><bdi>${escapeHtml(flow.name)}</bdi></code>`
      : `<code><bdi>${escapeHtml(flow.name)}</bdi></code>`;
  return `${escapeHtml(SYMBOL[flow.action])} <b>${flow.action}</b> ${escapeHtml(flow.type)} ${name}`;
}

function contents(flows: PlannedFlow[]): string {
  return `<nav class="contents"><h2>${flows.length} flow${flows.length === 1 ? '' : 's'} change</h2><ul>${flows
    .map((f, i) => `<li><a href="#flow-${i}">${flowTitle(f)}</a></li>`)
    .join('')}</ul></nav>`;
}

/**
 * Nodes the report lays out in all. ELK's time grows faster than a graph's size, and a plan of fifty
 * changed flows of hundreds of actions each would take tens of seconds (README "Performance"); so
 * flows are drawn whole smallest first while the budget lasts, and the rest around their changes.
 */
const LAYOUT_BUDGET = 1500;
/** The modules-and-callers drawing of a module that hundreds of flows call says so instead (one row of boxes that wide helps nobody). */
const MAX_MODULE_GRAPH = 300;
/** A flow with more nodes is drawn around its changes even when the budget would stretch. */
const MAX_WHOLE = 800;

interface Drawing {
  model: DrawModel;
  /** The flow's node count when `model` is only the part around its changes. */
  partOf?: number;
}

function chooseDrawings(flows: PlannedFlow[]): Map<PlannedFlow, Drawing> {
  const models = flows.flatMap((flow) => (flow.graph ? [{ flow, model: diffModel(flow.graph) }] : []));
  models.sort((a, b) => a.model.nodes.length - b.model.nodes.length);
  const out = new Map<PlannedFlow, Drawing>();
  let left = LAYOUT_BUDGET;
  for (const { flow, model } of models) {
    const size = model.nodes.length;
    if (size <= MAX_WHOLE && size <= left) {
      out.set(flow, { model });
      left -= size;
    } else {
      const part = aroundChanges(model);
      out.set(flow, { model: part, partOf: size });
      left -= part.nodes.length;
    }
  }
  return out;
}

async function flowSection(flow: PlannedFlow, i: number, drawing: Drawing | undefined): Promise<string> {
  const refused = isRefusedDelete(flow);
  const facts = [
    refused ? `<b>refused</b>: ${escapeHtml(describeConsumers(flow.consumers ?? []))}; it is not deleted` : undefined,
    flow.path ? `file <code>${escapeHtml(flow.path)}</code>` : undefined,
    flow.livePublishedVersion
      ? `live version ${escapeHtml(flow.livePublishedVersion.id)}${flow.livePublishedVersion.createdBy ? ` by ${escapeHtml(flow.livePublishedVersion.createdBy)}` : ''}`
      : undefined,
    flow.reason ? `because ${escapeHtml(flow.reason)}` : undefined,
  ].filter(Boolean);
  const picture = drawing
    ? partNote(flow, drawing) +
      (drawing.model.nodes.length
        ? drawingBlock(drawSvg(await layOut(drawing.model), `${flow.type} ${flow.name}`), { viewSwitch: true })
        : '')
    : `<p class="meta">${flow.action === 'delete' ? 'Deleted: nothing to draw.' : 'No drawing: the plan holds no graph of this flow.'}</p>`;
  return [
    `<section class="flow" id="flow-${i}" data-action="${flow.action}" data-flow="${escapeHtml(flow.id)}" data-view="both">`,
    `<h2>${flowTitle(flow)}</h2>`,
    facts.length ? `<p class="facts">${facts.join(' · ')}</p>` : '',
    `<div class="columns"><div>${picture}</div><div>${changeTable(flow)}</div></div>`,
    '</section>',
  ].join('\n');
}

/** Says when a drawing is only the part of the flow around its changes (and how to draw all of it), or shows no change. */
function partNote(flow: PlannedFlow, drawing: Drawing): string {
  const marked =
    drawing.model.nodes.some((n) => n.status !== 'same') || drawing.model.edges.some((e) => e.status !== 'same');
  if (drawing.partOf === undefined)
    return marked || !flow.changes.length
      ? ''
      : '<p class="meta part">No box or arrow changes: what changes is in the flow’s own settings (the list beside).</p>';
  const shown = drawing.model.nodes.length;
  const whole = flow.path ? ` The whole flow: <code>flowops graph ${escapeHtml(flow.path)} --html FILE</code>.` : '';
  return `<p class="meta part">${shown ? `Drawn around its changes: ${shown} of its ${drawing.partOf} nodes (the changed ones and those two steps from them).` : `Not drawn: ${drawing.partOf} nodes, none changed.`}${whole}</p>`;
}

/** The flow's changes, in the markdown plan's words: a marker, where, what it was, what it becomes. */
function changeTable(flow: PlannedFlow): string {
  if (!flow.changes.length) {
    // A create has no live side to compare, a republish no content change: say which, not "no change".
    if (flow.action === 'create') return '<p class="meta">A new flow: everything in it is added.</p>';
    if (flow.action === 'republish')
      return `<p class="meta">Its content is unchanged; it is published again because ${escapeHtml(flow.reason ?? 'a module it calls changes')}.</p>`;
    return '<p class="meta">No change inside the flow.</p>';
  }
  const rows = flow.changes.slice(0, MAX_CHANGES).map((c) => {
    const mark = c.kind === 'add' ? '+' : c.kind === 'remove' ? '−' : '~';
    return `<tr data-kind="${c.kind}"><td class="mark">${mark}</td><td>${escapeHtml(c.where)}</td><td>${c.kind === 'add' ? '' : escapeHtml(formatValue(c.from))}</td><td>${c.kind === 'remove' ? '' : escapeHtml(formatValue(c.to))}</td></tr>`;
  });
  const more =
    flow.changes.length > MAX_CHANGES
      ? `<p class="meta">… and ${flow.changes.length - MAX_CHANGES} more; the full list is in the saved plan.</p>`
      : '';
  return `<h3>${flow.changes.length} change${flow.changes.length === 1 ? '' : 's'}</h3><table class="changes"><tr><th></th><th>where</th><th>was</th><th>becomes</th></tr>${rows.join('')}</table>${more}`;
}
