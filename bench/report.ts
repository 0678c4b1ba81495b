/** Printing the bench's results: the table, the targets, and where the time went. */

export interface ResultRow {
  scenario: string;
  tool: 'flowops' | 'terraform-baseline';
  flows: number;
  requests: number;
  wallMs: number;
  peakRssMb: number | null;
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function renderTable(rows: ResultRow[]): string {
  const header = ['scenario', 'tool', 'flows', 'requests', 'wall', 'peak RSS'];
  const cells = rows.map((r) => [r.scenario, r.tool, String(r.flows), String(r.requests), formatMs(r.wallMs), r.peakRssMb === null ? 'n/a' : `${Math.round(r.peakRssMb)} MB`]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => pad(v, widths[i]!, i >= 2)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** The same rows as a markdown table (for README.md). */
export function renderMarkdownTable(rows: ResultRow[]): string {
  const out = ['| scenario | tool | flows | API requests | wall | peak RSS |', '|---|---|--:|--:|--:|--:|'];
  for (const r of rows) out.push(`| ${r.scenario} | ${r.tool} | ${r.flows} | ${r.requests} | ${formatMs(r.wallMs)} | ${r.peakRssMb === null ? 'n/a' : `${Math.round(r.peakRssMb)} MB`} |`);
  return out.join('\n');
}

export function renderTargets(checks: TargetCheck[]): string {
  return checks.map((c) => `  ${c.met ? 'met    ' : 'MISSED '} ${c.target}: ${c.measured}`).join('\n');
}
