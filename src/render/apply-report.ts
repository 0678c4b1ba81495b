import type { ApplyReport, FlowOutcome, FlowStatus } from '../apply/types.js';
import type { Colors } from './text.js';

const MARK: Record<FlowStatus, string> = {
  applied: '✓',
  deleted: '✓',
  unchanged: '=',
  converged: '=',
  skipped: '-',
  stale: '✗',
  failed: '✗',
};

/** The final report for a terminal: every flow's outcome, then one summary line. */
export function renderApplyText(report: ApplyReport, c: Colors): string {
  const lines: string[] = [];
  for (const o of report.outcomes) {
    if (o.status === 'unchanged') continue;
    const paint = o.status === 'failed' || o.status === 'stale' ? c.red : o.status === 'skipped' ? c.yellow : c.green;
    const detail = [
      o.publishedVersion ? `version ${o.publishedVersion}` : undefined,
      o.reason,
      o.durationMs ? `[${(o.durationMs / 1000).toFixed(1)}s]` : undefined,
    ]
      .filter(Boolean)
      .join('  ');
    lines.push(
      `  ${paint(`${MARK[o.status]} ${o.status.padEnd(9)}`)} ${o.type} ${c.bold(JSON.stringify(o.name))}${o.action === 'republish' ? c.dim(' (republish)') : ''}${detail ? `  ${detail}` : ''}`,
    );
  }
  if (report.releasedLocks?.length) lines.push(`  ${releasedLocksLine(report.releasedLocks)}`);
  for (const note of report.notes ?? []) lines.push(`  ${c.yellow('note:')} ${note}`);
  if (lines.length) lines.push('');
  lines.push(summary(report, c));
  return lines.join('\n');
}

function summary(report: ApplyReport, c: Colors): string {
  const n = report.counts;
  const text = `${n.applied} applied, ${n.deleted} deleted, ${n.converged + n.unchanged} already as planned, ${n.stale} stale, ${n.failed} failed, ${n.skipped} skipped.`;
  return report.converged
    ? `${c.green(c.bold('Apply complete:'))} ${text}`
    : `${c.red(c.bold('Apply incomplete:'))} ${text} Fix what is listed, then plan and apply again: applying converges.`;
}

/** The report as markdown for a job summary or a pull request. */
export function renderApplyMarkdown(report: ApplyReport): string {
  const rows = report.outcomes.map(
    (o: FlowOutcome) =>
      `| ${MARK[o.status]} ${o.status} | ${o.type} | \`${o.name.replace(/\|/g, '\\|')}\` | ${o.action} | ${o.publishedVersion ?? ''} | ${(o.reason ?? '').replace(/\|/g, '\\|')} |`,
  );
  return [
    `### flowops apply: \`${report.environment}\`${report.gitCommit ? ` at \`${report.gitCommit.slice(0, 12)}\`` : ''}${report.pullRequest ? ` (#${report.pullRequest})` : ''} ${report.converged ? '✓ converged' : '✗ incomplete'}`,
    '',
    '| outcome | type | flow | action | version | why |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    ...(report.releasedLocks?.length ? [releasedLocksLine(report.releasedLocks), ''] : []),
    ...(report.notes ?? []).map((n) => `> ${n}\n`),
  ].join('\n');
}

/** Says which flows' leftover locks (of an interrupted apply) this apply released. */
export function releasedLocksLine(flows: readonly string[]): string {
  return `Released the lock an interrupted apply had left on ${flows.join(', ')}.`;
}
