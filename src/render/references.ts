/**
 * The reference check of a plan (plan/org-references.ts) as people read it: in the terminal's plan
 * and in the markdown of the pull request comment and the job summary. Computes nothing.
 */
import { uncheckedNotes, type PlanReferences, type ReferenceProblem } from '../plan/org-references.js';
import type { Colors } from './text.js';

function dynamicNote(references: PlanReferences): string | undefined {
  const n = references.dynamic;
  return n === 0
    ? undefined
    : `${n} dynamic reference${n === 1 ? '' : 's'} (a name computed when the flow runs) not checked`;
}

function position(p: ReferenceProblem): string {
  return `${p.file}:${p.line}:${p.col}`;
}

/** Lines for the terminal: each problem as `file:line:col: error|warning: message`, then the notes. */
export function referenceLines(references: PlanReferences | undefined, c: Colors): string[] {
  if (!references) return [];
  const lines = references.problems.map(
    (p) =>
      `${c.bold(position(p))}: ${p.severity === 'error' ? c.red(c.bold('error')) : c.yellow(c.bold('warning'))}: ${p.message}`,
  );
  for (const note of [dynamicNote(references), ...uncheckedNotes(references)]) if (note) lines.push(c.dim(note));
  return lines.length ? [...lines, ''] : [];
}

/** A markdown section: the problems first (what blocks the merge), then the notes. */
export function referenceMarkdown(references: PlanReferences | undefined, escapeText: (s: string) => string): string[] {
  if (!references) return [];
  const out: string[] = [];
  const errors = references.problems.filter((p) => p.severity === 'error').length;
  const warnings = references.problems.length - errors;
  if (references.problems.length) {
    const counts = [
      errors ? `${errors} error${errors === 1 ? '' : 's'}` : '',
      warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    out.push(`#### Objects the flows name that the org lacks (${counts})`, '');
    for (const p of references.problems)
      out.push(`- ${p.severity === 'error' ? '**error**' : 'warning'} \`${position(p)}\`: ${escapeText(p.message)}`);
    out.push('');
  }
  for (const note of [dynamicNote(references), ...uncheckedNotes(references)])
    if (note) out.push(`_${escape(note)}._`, '');
  return out;
}
