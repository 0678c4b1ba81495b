import { parse } from 'yaml';
import type { Plan } from '../plan/types.js';
import type { CheckResult, DependencyGraph } from '../check/types.js';
import type { ChangedFile } from './changed-files.js';
import { idOf, keyOf, keyOfId } from '../identity/index.js';

/**
 * `flowops plan --changed-since REF`: which flows to plan. Pure: git was read by changedFilesSince,
 * the flows by the spec layer.
 */

export interface SelectionInput {
  /** Every desired flow (paths relative to the working directory, as in messages). */
  flows: ReadonlyArray<{ path: string; type: string; name: string }>;
  graph: DependencyGraph;
  changes: readonly ChangedFile[];
  /** flowops.yaml, relative like the rest: its substitutions and globs concern every flow. */
  configPath?: string;
}

export interface FlowSelection {
  /** The config changed: every flow is planned. */
  all: boolean;
  /** The flows to plan, in the graph's order (modules first). */
  ids: string[];
  /** Flows whose own file changed. */
  changed: string[];
  /** Flows planned only because a module they call changed. */
  callers: string[];
  /** Files renamed since REF whose flow is planned: `from` at REF, `to` now. */
  renamed: Array<{ from: string; to: string }>;
  /** YAML files deleted since REF: their flows can only be deleted by a full plan with --prune. */
  deleted: string[];
}

export function selectChangedFlows(input: SelectionInput): FlowSelection {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  const byPath = new Map(input.flows.map((f) => [norm(f.path), idOf(f)]));
  const configPath = input.configPath === undefined ? undefined : norm(input.configPath);
  const changed = new Set<string>();
  const renamed: FlowSelection['renamed'] = [];
  const deleted: string[] = [];
  let all = false;
  for (const change of input.changes) {
    const path = norm(change.path);
    if (path === configPath || (change.previousPath !== undefined && norm(change.previousPath) === configPath))
      all = true;
    if (change.status === 'deleted') {
      if (/\.ya?ml$/i.test(path) && path !== configPath) deleted.push(path);
      continue;
    }
    const id = byPath.get(path);
    if (id === undefined) continue;
    changed.add(id);
    if (change.status === 'renamed' && change.previousPath !== undefined)
      renamed.push({ from: norm(change.previousPath), to: path });
  }
  // Genesys snapshots a module into its callers when they publish: a changed module's callers are
  // part of its change. Followed transitively, should a graph ever have longer chains.
  const selected = new Set(all ? input.graph.order : changed);
  const queue = [...selected];
  while (queue.length) {
    for (const caller of input.graph.callers[queue.shift()!] ?? []) {
      if (!selected.has(caller)) {
        selected.add(caller);
        queue.push(caller);
      }
    }
  }
  const ids = input.graph.order.filter((id) => selected.has(id));
  return {
    all,
    ids,
    changed: ids.filter((id) => changed.has(id)),
    callers: all ? [] : ids.filter((id) => !changed.has(id)),
    renamed: renamed.sort((a, b) => a.to.localeCompare(b.to)),
    deleted: deleted.sort(),
  };
}

/** The check narrowed to the selected flows, for getPlan. Pure. */
export function narrowCheck(check: CheckResult, ids: readonly string[]): CheckResult {
  const keep = new Set(ids);
  const callers: Record<string, string[]> = {};
  for (const [module, list] of Object.entries(check.graph.callers)) {
    if (keep.has(module)) callers[module] = list.filter((id) => keep.has(id));
  }
  const dependsOn: Record<string, string[]> = {};
  for (const [id, deps] of Object.entries(check.graph.dependsOn)) if (keep.has(id)) dependsOn[id] = deps;
  return {
    flows: check.flows.filter((f) => keep.has(idOf(f))),
    diagnostics: check.diagnostics,
    graph: { order: check.graph.order.filter((id) => keep.has(id)), callers, dependsOn },
  };
}

/**
 * A plan of some flows sees the repository's other flows of the same types as "not in the
 * repository"; they are, so they are not listed as unmanaged. Pure.
 */
export function withoutRepositoryFlows(plan: Plan, check: CheckResult): Plan {
  const inRepository = new Set(check.flows.map(keyOf));
  return { ...plan, unmanaged: plan.unmanaged.filter((id) => !inRepository.has(keyOfId(id))) };
}

export interface FlowNameChange {
  path: string;
  from: string;
  to: string;
}

/**
 * Flows whose `name` changed between REF and now (the file kept or renamed). flowops pairs flows by
 * type and name, so such a plan creates a flow under the new name: the caller says so. Names are
 * compared as written (before substitution). Pure.
 */
export function flowNameChanges(
  files: ReadonlyArray<{ path: string; before: string; after: string }>,
): FlowNameChange[] {
  const changes: FlowNameChange[] = [];
  for (const file of files) {
    const from = flowName(file.before);
    const to = flowName(file.after);
    if (from && to && from.key === to.key && from.name !== to.name)
      changes.push({ path: file.path, from: from.name, to: to.name });
  }
  return changes;
}

function flowName(text: string): { key: string; name: string } | undefined {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100, logLevel: 'silent' });
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const [key, body] = Object.entries(doc as Record<string, unknown>)[0] ?? [];
  if (!key || !body || typeof body !== 'object') return undefined;
  const name = (body as Record<string, unknown>).name;
  return typeof name === 'string' ? { key, name } : undefined;
}
