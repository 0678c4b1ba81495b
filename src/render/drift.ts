import type { DriftReport } from '../plan/drift.js';
import { changeLine, type Colors } from './text.js';

/** Drift for a terminal: each drifted flow with who published it and when, and what differs. */
export function renderDriftText(report: DriftReport, c: Colors, max = 20): string {
  const lines: string[] = [];
  if (report.drifted.length === 0) {
    lines.push(
      `${c.green('No drift.')} ${report.inSync} flow(s) in environment ${c.bold(report.environment)} are as flowops applied them.`,
    );
  } else {
    lines.push(
      c.red(`Drift in environment ${report.environment}: ${report.drifted.length} flow(s) changed outside flowops.`),
      '',
    );
    for (const f of report.drifted) {
      const v = f.livePublishedVersion;
      const who = v
        ? `version ${v.id}${v.createdBy ? ` published by ${v.createdBy}` : ''}${v.datePublished ? ` at ${v.datePublished}` : ''}`
        : 'the live flow';
      const since = f.ownVersion
        ? `flowops' version ${f.ownVersion.id}${f.ownVersion.datePublished ? ` (${f.ownVersion.datePublished})` : ''}${f.appliedCommit ? `, applied from commit ${f.appliedCommit.slice(0, 12)}` : ''}`
        : `${f.path} (flowops never published this flow)`;
      lines.push(`  ${c.red('!')} ${f.type} ${c.bold(JSON.stringify(f.name))}: ${who} differs from ${since}`);
      for (const ch of f.changes.slice(0, max)) lines.push(`      ${changeLine(ch, c)}`);
      if (f.changes.length > max)
        lines.push(`      ${c.dim(`... and ${f.changes.length - max} more change(s) (--json lists them all)`)}`);
      lines.push('');
    }
    lines.push(
      'Run `flowops plan` to see what applying the repository would overwrite, or copy the live change into git with `flowops export`.',
    );
  }
  if (report.pending.length)
    lines.push(
      c.dim(
        `${report.pending.length} flow(s) changed in git since they were applied (not drift): ${report.pending.join(', ')}`,
      ),
    );
  if (report.missing.length)
    lines.push(
      c.dim(`${report.missing.length} flow(s) of the repository are not in the org yet: ${report.missing.join(', ')}`),
    );
  return lines.join('\n');
}
