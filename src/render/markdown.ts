import { describeId } from '../plan/build-plan.js';
import { describeConsumers, isRefusedDelete } from '../plan/consumers.js';
import type { Plan, PlannedFlow } from '../plan/types.js';
import { formatValue } from './format-value.js';
import { type DiagramOptions, planDiagrams } from './markdown-diagrams.js';
import { text as mermaidText } from './mermaid-flow.js';
import { referenceMarkdown } from './references.js';
import { shortCommit, SYMBOL } from './text.js';

export interface PlanMarkdownOptions {
  maxChangesPerFlow?: number;
  title?: string;
  /** The mermaid drawings of the changed flows: their bounds and where the rest are drawn (markdown-diagrams.ts). */
  diagrams?: DiagramOptions;
}

/**
 * The plan for a pull request comment or a job summary: a summary table, one collapsible section
 * per changing flow (with a mermaid drawing of the part of the flow around its change, for the
 * first few), and a mermaid graph of the modules and their callers.
 */
export function renderPlanMarkdown(plan: Plan, options: PlanMarkdownOptions = {}): string {
  const max = options.maxChangesPerFlow ?? 50;
  const s = plan.summary;
  const out: string[] = [];
  out.push(
    `### ${options.title ?? 'flowops plan'}: \`${plan.environment}\`${plan.gitCommit ? ` at \`${shortCommit(plan.gitCommit)}\`` : ''}`,
    '',
  );
  const deletes = s.refused ? `${s.delete} (${s.refused} refused: in use)` : String(s.delete);
  if (s.rename)
    out.push(
      '| create | rename | update | republish | delete | unchanged |',
      '|---:|---:|---:|---:|---:|---:|',
      `| ${s.create} | ${s.rename} | ${s.update} | ${s.republish} | ${deletes} | ${s.unchanged} |`,
      '',
    );
  else
    out.push(
      '| create | update | republish | delete | unchanged |',
      '|---:|---:|---:|---:|---:|',
      `| ${s.create} | ${s.update} | ${s.republish} | ${deletes} | ${s.unchanged} |`,
      '',
    );
  out.push(...referenceMarkdown(plan.references, escapeMd));
  const changing = plan.flows.filter((f) => f.action !== 'unchanged');
  if (changing.length === 0) out.push('**No changes.** The live flows match the repository.', '');
  const diagrams = planDiagrams(changing, options.diagrams);
  for (const flow of changing) out.push(...flowSection(flow, max, diagrams.sections.get(flow) ?? []), '');
  out.push(...diagrams.note);
  const graph = mermaid(plan);
  if (graph)
    out.push(
      '<details><summary>Modules and their callers</summary>',
      '',
      '```mermaid',
      graph,
      '```',
      '',
      '</details>',
      '',
    );
  if (plan.unmanaged.length)
    out.push(
      `_${plan.unmanaged.length} live flow(s) not in the repository are left alone (\`--prune\` deletes them)._`,
      '',
    );
  return out.join('\n');
}

function flowSection(flow: PlannedFlow, max: number, diagram: readonly string[]): string[] {
  const refused = isRefusedDelete(flow);
  const name =
    flow.renamedFrom !== undefined
      ? `<code>${escapeHtml(flow.renamedFrom)}</code> -> <code>${escapeHtml(flow.name)}</code>`
      : `<code>${escapeHtml(flow.name)}</code>`;
  const title = `${SYMBOL[flow.action]} <b>${flow.action}</b> ${escapeHtml(flow.type)} ${name}${refused ? ' <b>refused</b>: in use' : ''}${flow.changes.length ? ` (${flow.changes.length} change${flow.changes.length === 1 ? '' : 's'})` : ''}`;
  const lines = [`<details><summary>${title}</summary>`, ''];
  const facts = [
    refused ? `**refused**: ${escapeMd(describeConsumers(flow.consumers ?? []))}; it is not deleted` : undefined,
    flow.path ? `file \`${flow.path}\`` : undefined,
    flow.livePublishedVersion
      ? `live version ${flow.livePublishedVersion.id}${flow.livePublishedVersion.createdBy ? ` by ${escapeMd(flow.livePublishedVersion.createdBy)}` : ''}`
      : undefined,
    flow.reason ? `because ${escapeMd(flow.reason)}` : undefined,
  ].filter(Boolean);
  if (facts.length) lines.push(facts.join(' · '), '');
  // Before the table of changes: a section too long for one comment is cut at its end (split-markdown.ts), never inside the drawing.
  lines.push(...diagram);
  if (flow.changes.length) {
    lines.push('| | where | was | becomes |', '|---|---|---|---|');
    for (const c of flow.changes.slice(0, max)) {
      const mark = c.kind === 'add' ? '+' : c.kind === 'remove' ? '−' : '~';
      lines.push(
        `| ${mark} | ${cell(c.where)} | ${c.kind === 'add' ? '' : cell(formatValue(c.from))} | ${c.kind === 'remove' ? '' : cell(formatValue(c.to))} |`,
      );
    }
    if (flow.changes.length > max)
      lines.push('', `… and ${flow.changes.length - max} more; the full list is in the plan artifact.`);
    lines.push('');
  }
  lines.push('</details>');
  return lines;
}

function mermaid(plan: Plan): string | undefined {
  const edges = plan.flows.flatMap((f) => f.dependsOn.map((d) => [d, f.id] as const));
  if (edges.length === 0) return undefined;
  const ids = new Map<string, string>();
  const node = (id: string) => {
    if (!ids.has(id)) ids.set(id, `f${ids.size}`);
    return ids.get(id)!;
  };
  const byId = new Map(plan.flows.map((f) => [f.id, f]));
  const lines = ['graph LR'];
  for (const [from, to] of edges) lines.push(`  ${node(from)} --> ${node(to)}`);
  for (const [id, n] of ids) {
    const action = byId.get(id)?.action ?? 'external';
    lines.push(`  ${n}["${mermaidText(describeId(id))}<br/>${action}"]`);
    if (action !== 'unchanged' && action !== 'external') lines.push(`  class ${n} ${action}`);
  }
  lines.push(
    '  classDef create fill:#d4f7d4',
    '  classDef rename fill:#fff3c4',
    '  classDef update fill:#fff3c4',
    '  classDef republish fill:#d6ecff',
    '  classDef delete fill:#ffd6d6',
  );
  return lines.join('\n');
}

function cell(s: string): string {
  return `\`${s.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

function escapeMd(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
