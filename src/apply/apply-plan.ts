import pLimit from 'p-limit';
import type { Plan, PlannedFlow } from '../plan/types.js';
import { applyFlow } from './apply-flow.js';
import type { ApplyEvent, ApplyOptions, ApplyReport, FlowOutcome, FlowStatus, OrgWriter } from './types.js';

const OK: ReadonlySet<FlowStatus> = new Set(['applied', 'deleted', 'unchanged', 'converged']);

export interface ApplyInput {
  plan: Plan;
  /** Flow id -> substituted YAML of the desired flow, for every flow the plan writes. */
  yamlById: ReadonlyMap<string, string>;
  writer: OrgWriter;
  options: ApplyOptions;
  emit?: (event: ApplyEvent) => void;
}

/**
 * Walks the plan's dependency graph: a flow starts when everything it depends on has converged
 * (modules before their callers, so a republish picks up the new module), independent flows run
 * side by side up to the concurrency, and a flow whose dependency did not converge is skipped
 * while the rest go on. Deletes come last, callers before the modules they call.
 */
export async function applyPlan(input: ApplyInput): Promise<ApplyReport> {
  const { plan, options } = input;
  const emit = input.emit ?? (() => {});
  const now = options.now ?? Date.now;
  const startedAt = new Date(now()).toISOString();
  const limit = pLimit(Math.max(1, options.concurrency));
  const done = new Map<string, Promise<FlowOutcome>>();
  const inPlan = new Map(plan.flows.map((f) => [f.id, f]));

  const run = (flow: PlannedFlow): Promise<FlowOutcome> => {
    let promise = done.get(flow.id);
    if (promise) return promise;
    promise = (async () => {
      const deps = flow.dependsOn.filter((d) => inPlan.has(d));
      const results = await Promise.all(deps.map((d) => run(inPlan.get(d)!)));
      const blocked = results.find((r) => !OK.has(r.status));
      if (blocked) return ended(emit, skipped(flow, `${blocked.type} "${blocked.name}" did not converge (${blocked.status})`));
      if (flow.action === 'unchanged') return unchanged(flow);
      return limit(async () => {
        emit({ type: 'start', id: flow.id, action: flow.action });
        const outcome = await applyFlow({ planned: flow, yaml: input.yamlById.get(flow.id), writer: input.writer, options, emit });
        emit({ type: 'end', outcome });
        return outcome;
      });
    })();
    done.set(flow.id, promise);
    return promise;
  };

  const writes = plan.flows.filter((f) => f.action !== 'delete');
  const outcomes = await Promise.all(writes.map(run));
  // Deletes after every write (callers no longer call what goes), callers before modules.
  const deletes = plan.flows.filter((f) => f.action === 'delete');
  const failedWrites = outcomes.filter((o) => !OK.has(o.status));
  for (const group of [deletes.filter((f) => f.type !== 'commonmodule'), deletes.filter((f) => f.type === 'commonmodule')]) {
    outcomes.push(
      ...(await Promise.all(
        group.map((flow) =>
          failedWrites.length
            ? Promise.resolve(ended(emit, skipped(flow, `${failedWrites.length} flow(s) did not converge; deleting waits for a clean apply`)))
            : limit(async () => {
                emit({ type: 'start', id: flow.id, action: flow.action });
                const outcome = await applyFlow({ planned: flow, writer: input.writer, options, emit });
                emit({ type: 'end', outcome });
                return outcome;
              }),
        ),
      )),
    );
  }
  const counts = { applied: 0, deleted: 0, unchanged: 0, converged: 0, skipped: 0, stale: 0, failed: 0 } as Record<FlowStatus, number>;
  for (const o of outcomes) counts[o.status]++;
  const report: ApplyReport = {
    environment: plan.environment,
    startedAt,
    finishedAt: new Date(now()).toISOString(),
    outcomes,
    converged: outcomes.every((o) => OK.has(o.status)),
    counts,
  };
  if (options.gitCommit) report.gitCommit = options.gitCommit;
  if (options.pullRequest) report.pullRequest = options.pullRequest;
  return report;
}

function ended(emit: (event: ApplyEvent) => void, outcome: FlowOutcome): FlowOutcome {
  emit({ type: 'end', outcome });
  return outcome;
}

function skipped(flow: PlannedFlow, reason: string): FlowOutcome {
  return { id: flow.id, type: flow.type, name: flow.name, action: flow.action, status: 'skipped', reason, attempts: 0, durationMs: 0 };
}

function unchanged(flow: PlannedFlow): FlowOutcome {
  return { id: flow.id, type: flow.type, name: flow.name, action: flow.action, status: 'unchanged', attempts: 0, durationMs: 0 };
}
