/**
 * The mermaid diagrams of a markdown plan (pull request comment, job summary), pure: which changed
 * flows get one, within bounds on their number and their total size (a comment holds 65536
 * characters, and GitHub draws a diagram of at most 50000), each flow's block and caption, and the
 * line saying where the flows not drawn here are drawn (the HTML report, the job summary).
 */
import type { PlannedFlow } from '../plan/types.js';
import { type ChangeDiagramOptions, changeMermaid, hasChange } from './mermaid-flow.js';

export interface DiagramOptions extends ChangeDiagramOptions {
  /** At most this many flows drawn (default 10). */
  max?: number;
  /** At most this many characters of mermaid text in all (default 60000). */
  maxTotalChars?: number;
  /**
   * Where every flow is drawn, as markdown: `the HTML report among [this run's artifacts](…)`.
   * Default: how to make that report.
   */
  report?: string;
  /** The job summary draws more flows than this markdown: say so in the pointer. */
  summaryDrawsMore?: boolean;
}

export interface PlanDiagrams {
  /** The lines to put in each drawn flow's section. */
  sections: Map<PlannedFlow, string[]>;
  /** The pointer to where the flows not drawn are drawn; empty when every change is drawn. */
  note: string[];
}

export const UNCHANGED_GRAPH =
  "_Not drawn: the flow's graph (its menus, tasks, actions and where they lead) does not change._";

export const DEFAULT_REPORT = 'the HTML report (`flowops plan --html FILE`)';

/**
 * Where the HTML report is, for the pointer: among the run's artifacts when a workflow run made it
 * (the plan workflow uploads it; `runUrl` is the run's page), the file written, or how to make one.
 */
export function reportPointer(html: string | undefined, runUrl: string | undefined): string {
  if (!html) return DEFAULT_REPORT;
  if (runUrl) return `the HTML report among [this run's artifacts](${runUrl}#artifacts)`;
  return `the HTML report \`${html.replace(/`/g, "'")}\``;
}

export function planDiagrams(flows: readonly PlannedFlow[], options: DiagramOptions = {}): PlanDiagrams {
  const max = options.max ?? 10;
  const maxTotal = options.maxTotalChars ?? 60_000;
  const report = options.report ?? DEFAULT_REPORT;
  const sections = new Map<PlannedFlow, string[]>();
  let used = 0;
  let left = 0;
  for (const flow of flows) {
    if (!flow.graph) continue;
    if (!hasChange(flow.graph)) {
      // A change of the flow's settings or of its name only: say why there is no drawing.
      sections.set(flow, [UNCHANGED_GRAPH, '']);
      continue;
    }
    // Past the bound nothing is drawn (a plan of 50 changed flows draws 10 in a comment).
    const diagram = sections.size < max ? changeMermaid(flow.graph, options) : undefined;
    if (!diagram || used + diagram.text.length > maxTotal) {
      left++;
      continue;
    }
    used += diagram.text.length;
    const around =
      diagram.drawn < diagram.total
        ? `the part around the change, ${diagram.drawn} of ${diagram.total} nodes (what changed and its neighbours; \`… N more\`: nodes left out)`
        : `all ${diagram.total} nodes`;
    const cut = diagram.notDrawn ? ` ${diagram.notDrawn} more changed node(s) did not fit: ${report} draws them.` : '';
    sections.set(flow, [
      '```mermaid',
      diagram.text,
      '```',
      '',
      `_Drawn: ${around}. Marked \`+\` added, \`−\` removed, \`~\` changed (green, red, yellow).${cut}_`,
      '',
    ]);
  }
  const where = options.summaryDrawsMore ? `${report} and the job summary` : report;
  const note = left
    ? [
        `_${left} more changed flow(s) are not drawn here: ${where} draw${options.summaryDrawsMore ? '' : 's'} them._`,
        '',
      ]
    : [];
  return { sections, note };
}
