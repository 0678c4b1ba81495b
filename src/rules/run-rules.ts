/**
 * The runner's entry: the configured rules over one checked flow file (its check record, with the
 * parsed document), each report turned into a diagnostic at the file's line and column, then the
 * file's suppressions applied. A rule that throws is that rule's error on the flow (naming its plugin),
 * and the other rules still run. Pure and synchronous: the check cache and the worker threads call it
 * with each file's check (workspace/check-cache.ts), so its answers are cached with the file's.
 */
import { SourceFile } from '../check/source.js';
import type { Diagnostic, FileCheckRecord, FlowSource, ObjectReference } from '../check/types.js';
import { reportLocator, type ReportLocator } from './report-position.js';
import type { ActiveRule, RuleSet } from './rule-set.js';
import { applySuppressions, readSuppressions } from './suppressions.js';
import type { DocumentPath, RuleFlow } from './types.js';

/**
 * The rules' diagnostics for one file (suppression problems and unused suppressions included), to
 * add to its check's. `text`: the substituted text (the record's, or the file's own when substitution
 * changed nothing). Nothing for a file without a flow or with errors of its own (its check has said why).
 */
export function runRules(source: FlowSource, record: FileCheckRecord, rules: RuleSet): Diagnostic[] {
  const flow = record.flow;
  // A file with errors of its own is fixed first, as a compiler's errors come before a linter's:
  // rules over a broken flow would mostly repeat them in other words.
  if (!flow?.data || !flow.identity || record.diagnostics.some((d) => d.severity === 'error')) return [];
  const file = new SourceFile(source.path, source.text, record.text ?? source.text, record.replacements);
  const locator = reportLocator(file, flow.data, flow.key, flow.plain === true);
  const base: Target = {
    flow: { type: flow.identity.type, name: flow.identity.name, path: source.path, document: flow.data },
    references: flow.references ?? [],
  };
  // Plugins get their own copy: a rule that changed the document or the references would change
  // what is checked across files and published.
  let copy: Target | undefined;
  for (const active of rules.active) {
    const target = active.plugin === undefined ? base : (copy ??= structuredClone(base));
    runOne(active, target, file, locator);
  }
  const { suppressions, problems } = readSuppressions(source.path, source.text, rules.known);
  const ran = new Set(rules.active.map((a) => a.rule.id));
  return [...applySuppressions(source.path, file.diagnostics, suppressions, ran), ...problems];
}

interface Target {
  flow: RuleFlow;
  references: readonly ObjectReference[];
}

function runOne(active: ActiveRule, { flow, references }: Target, file: SourceFile, locator: ReportLocator): void {
  const { rule } = active;
  const severity = active.severity === 'error' ? 'error' : 'warning';
  const add = (sev: 'error' | 'warning', path: DocumentPath, message: string) => {
    const before = file.diagnostics.length;
    file.add(sev, rule.id, message, locator.offsetOf(path));
    for (const d of file.diagnostics.slice(before)) d.rule = rule.id;
  };
  try {
    const returned: unknown = rule.check(flow, {
      // A plugin's copy: the same options serve every file.
      options: active.plugin === undefined ? active.options : structuredClone(active.options),
      references,
      report: (path, message) => add(severity, path, String(message)),
    });
    // An async check would report after the file's answer is made, and its rejection would end the
    // process: a rule is synchronous (plugin API version 1).
    if (isThenable(returned)) {
      returned.then(undefined, () => undefined);
      throw new Error('check returned a promise: a rule is synchronous (plugin API version 1)');
    }
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const who = active.plugin === undefined ? `built-in rule ${rule.id}` : `rule ${rule.id} of plugin ${active.plugin}`;
    add('error', [], `${who} failed on this flow: ${why.split('\n')[0]}`);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
