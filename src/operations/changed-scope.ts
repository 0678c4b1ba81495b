/**
 * `plan --changed-since REF`: git says which files changed since REF, selectChangedFlows (pure)
 * picks the flows to plan, and the notes say what was left out and what looks like a rename.
 */
import { relative, resolve } from 'node:path';
import type { CheckResult } from '../check/types.js';
import { changedFilesSince } from '../git/changed-files.js';
import { flowNameChanges, selectChangedFlows, type FlowSelection } from '../git/select-changed-flows.js';
import { fileAtCommit } from '../git/show-file.js';
import type { Workspace } from '../workspace/load-workspace.js';
import type { OperationContext } from './context.js';

export interface ChangedScope {
  selection: FlowSelection;
  /** The markdown plan's title. */
  title: string;
  /** Said on stderr (as they are found) and under the markdown plan; markdown code spans. */
  notes: string[];
}

export async function changedScope(
  ref: string,
  workspace: Workspace,
  check: CheckResult,
  ctx: OperationContext,
): Promise<ChangedScope> {
  const { cwd } = ctx;
  const changes = await changedFilesSince(ref, cwd);
  const selection = selectChangedFlows({
    flows: check.flows,
    graph: check.graph,
    changes,
    ...(workspace.config ? { configPath: relative(cwd, resolve(cwd, workspace.config.path)) } : {}),
  });
  const shown = /^[0-9a-f]{40}$/i.test(ref) ? ref.slice(0, 7) : ref;
  const notes: string[] = [];
  if (selection.all) notes.push(`The config file changed since \`${shown}\`: every flow is planned.`);
  else
    notes.push(
      `Only the flows changed since \`${shown}\` are planned: ${selection.changed.length} changed, ${selection.callers.length} calling a changed module, ${check.flows.length - selection.ids.length} left out.`,
    );
  for (const r of selection.renamed) notes.push(`\`${r.from}\` was renamed to \`${r.to}\`.`);
  if (selection.deleted.length)
    notes.push(
      `${selection.deleted.length} YAML file(s) deleted since \`${shown}\` (${selection.deleted
        .slice(0, 3)
        .map((p) => `\`${p}\``)
        .join(
          ', ',
        )}${selection.deleted.length > 3 ? ', ...' : ''}): deleting their flows needs a full plan with --prune.`,
    );
  // A new name is a rename when flowops applied the flow (its note and git tell), else --rename says it.
  const paths = new Map(
    changes
      .filter((c) => c.status === 'modified' || c.status === 'renamed')
      .map((c) => [c.path, c.previousPath ?? c.path]),
  );
  // Only the changed files' texts are read (a source may read its file when asked for it).
  const sources = new Map(workspace.sources.map((s) => [s.path, s]));
  const files: Array<{ path: string; before: string; after: string }> = [];
  for (const flow of check.flows.filter((f) => paths.has(f.path))) {
    const before = await fileAtCommit(cwd, ref, paths.get(flow.path)!);
    if (before !== undefined) files.push({ path: flow.path, before, after: sources.get(flow.path)?.text ?? '' });
  }
  for (const c of flowNameChanges(files)) {
    notes.push(
      `\`${c.path}\`: the flow's name changed from "${c.from}" to "${c.to}": planned as a rename (the flow keeps its id) when flowops applied "${c.from}"; otherwise say it with \`--rename "${c.from}=${c.to}"\`.`,
    );
  }
  for (const n of notes) ctx.info(n.replace(/`/g, ''));
  return { selection, title: `flowops plan of the flows changed since \`${shown}\``, notes };
}
