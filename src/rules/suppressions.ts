/**
 * Suppressions written in a flow file (issue 17): a comment line `# flowops-ignore rule-id: reason`
 * silences that rule on the next line that is not a comment or blank (the line below, or the line
 * below a few stacked comments). A reason is required: a suppression without one is an error and
 * silences nothing; one that silences nothing is a warning, so stale ones do not pile up. Only the
 * house rules' diagnostics can be silenced, never the check's own. Pure.
 */
import type { Diagnostic } from '../check/types.js';

export interface Suppression {
  rule: string;
  reason: string;
  /** 1-based: the comment's line and the column of its `#`. */
  line: number;
  col: number;
  /** The line whose diagnostics of `rule` it silences. */
  target: number;
}

const MARKER = 'flowops-ignore';
const COMMENT = /^([ \t]*)#[ \t]*flowops-ignore\b(.*)$/;
const BODY = /^[ \t]+([A-Za-z0-9_-]+)[ \t]*(?::[ \t]*(.*?))?[ \t]*$/;

/** The suppressions of a file as written, and the problems with them (no reason, no rule, unknown rule). */
export function readSuppressions(
  file: string,
  text: string,
  known: ReadonlySet<string>,
): { suppressions: Suppression[]; problems: Diagnostic[] } {
  const suppressions: Suppression[] = [];
  const problems: Diagnostic[] = [];
  // Most files have none: one search of the text decides.
  if (!text.includes(MARKER)) return { suppressions, problems };
  const lines = text.split(/\r?\n/);
  lines.forEach((content, i) => {
    const m = COMMENT.exec(content);
    if (!m) return;
    const line = i + 1;
    const col = m[1]!.length + 1;
    const problem = (message: string) =>
      problems.push({ severity: 'error', code: 'suppression', message, file, line, col });
    const body = BODY.exec(m[2]!);
    if (!body) {
      problem('flowops-ignore names no rule: write "# flowops-ignore rule-id: why the rule does not apply here"');
      return;
    }
    const rule = body[1]!;
    const reason = body[2] ?? '';
    if (!known.has(rule)) {
      problem(`flowops-ignore names unknown rule "${rule}" (known: ${[...known].join(', ') || 'none'})`);
      return;
    }
    if (reason === '') {
      problem(`flowops-ignore ${rule} needs a reason: "# flowops-ignore ${rule}: why the rule does not apply here"`);
      return;
    }
    suppressions.push({ rule, reason, line, col, target: targetLine(lines, i) });
  });
  return { suppressions, problems };
}

/** The first line after `index` that is neither blank nor a comment (1-based). */
function targetLine(lines: readonly string[], index: number): number {
  for (let j = index + 1; j < lines.length; j++) {
    const trimmed = lines[j]!.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) return j + 1;
  }
  return lines.length + 1;
}

/**
 * The rules' diagnostics without those a suppression silences, and a warning for each suppression
 * that silenced nothing.
 */
export function applySuppressions(
  file: string,
  diagnostics: readonly Diagnostic[],
  suppressions: readonly Suppression[],
  /** The ids of the rules that ran: a suppression of another says the rule is off. */
  ran: ReadonlySet<string>,
): Diagnostic[] {
  const used = new Set<Suppression>();
  const kept = diagnostics.filter((d) => {
    const by = suppressions.find((s) => s.rule === d.rule && s.target === d.line);
    if (by) used.add(by);
    return !by;
  });
  for (const s of suppressions) {
    if (used.has(s)) continue;
    kept.push({
      severity: 'warning',
      code: 'unused-suppression',
      message: ran.has(s.rule)
        ? `flowops-ignore ${s.rule} suppresses nothing: no ${s.rule} problem on line ${s.target} (remove it)`
        : `flowops-ignore ${s.rule} suppresses nothing: ${s.rule} is off (remove it, or turn the rule on in flowops.yaml)`,
      file,
      line: s.line,
      col: s.col,
    });
  }
  return kept;
}
