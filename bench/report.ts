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

/** Plans of the unchanged org with some of plan's machinery switched off (`--machinery`), one entry per round. */
export interface MachineryRow {
  variant: string;
  coldMs: number[];
  coldRequests: number[];
  warmMs: number[];
  warmRequests: number[];
}

/** Everything measured at one per-request latency. */
export interface LatencyResults {
  latencyMs: number;
  rows: ResultRow[];
  checks: TargetCheck[];
  /** Where the time went, one line per scenario. */
  details: string[];
  /** Requests by endpoint, per `scenario tool`. */
  endpoints: Record<string, Record<string, number>>;
  notes: string[];
  machinery: MachineryRow[];
  /** The baseline's refresh beside each machinery round. */
  machineryRefreshMs: number[];
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

export function formatMs(ms: number): string {
  return ms >= 10_000
    ? `${(ms / 1000).toFixed(1)} s`
    : ms >= 1000
      ? `${(ms / 1000).toFixed(2)} s`
      : `${Math.round(ms)} ms`;
}

export function renderTable(rows: ResultRow[]): string {
  const header = ['scenario', 'tool', 'flows', 'requests', 'wall', 'peak RSS'];
  const cells = rows.map((r) => [
    r.scenario,
    r.tool,
    String(r.flows),
    String(r.requests),
    formatMs(r.wallMs),
    r.peakRssMb === null ? 'n/a' : `${Math.round(r.peakRssMb)} MB`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => pad(v, widths[i]!, i >= 2)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** The same rows as a markdown table (for README.md). */
export function renderMarkdownTable(rows: ResultRow[]): string {
  const out = ['| scenario | tool | flows | API requests | wall | peak RSS |', '|---|---|--:|--:|--:|--:|'];
  for (const r of rows)
    out.push(
      `| ${r.scenario} | ${r.tool} | ${r.flows} | ${r.requests} | ${formatMs(r.wallMs)} | ${r.peakRssMb === null ? 'n/a' : `${Math.round(r.peakRssMb)} MB`} |`,
    );
  return out.join('\n');
}

export function renderTargets(checks: TargetCheck[]): string {
  return checks.map((c) => `  ${c.met ? 'met    ' : 'MISSED '} ${c.target}: ${c.measured}`).join('\n');
}

/** One markdown table for several latencies: requests and wall per latency, the highest peak RSS. */
export function renderCombinedMarkdown(results: readonly LatencyResults[]): string {
  const keys: Array<Pick<ResultRow, 'scenario' | 'tool' | 'flows'>> = [];
  for (const r of results)
    for (const row of r.rows) if (!keys.some((k) => k.scenario === row.scenario && k.tool === row.tool)) keys.push(row);
  const head = [
    'scenario',
    'tool',
    'flows',
    ...results.flatMap((r) => [`requests (${r.latencyMs} ms)`, `wall (${r.latencyMs} ms)`]),
    'peak RSS',
  ];
  const out = [
    `| ${head.join(' | ')} |`,
    `|---|---|${head
      .slice(2)
      .map(() => '--:')
      .join('|')}|`,
  ];
  for (const k of keys) {
    const found = results.map((r) => r.rows.find((row) => row.scenario === k.scenario && row.tool === k.tool));
    const rss = Math.max(0, ...found.map((f) => f?.peakRssMb ?? 0));
    const cells = found.flatMap((f) => (f ? [String(f.requests), formatMs(f.wallMs)] : ['', '']));
    out.push(
      `| ${k.scenario} | ${k.tool} | ${k.flows} | ${cells.join(' | ')} | ${rss ? `${Math.round(rss)} MB` : 'n/a'} |`,
    );
  }
  return out.join('\n');
}
