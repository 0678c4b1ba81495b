import pLimit from 'p-limit';
import type { Plan, PlannedFlow } from '../plan/types.js';
import { applyFlow } from './apply-flow.js';
import { Verifier } from './verifier.js';
import type {
  ApplyEvent,
  ApplyOptions,
  ApplyReport,
  FlowOutcome,
  FlowStatus,
  LiveFlowState,
  OrgWriter,
} from './types.js';
import { keyOf } from '../identity/index.js';

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
  const verifier = new Verifier(input.writer);

  const run = (flow: PlannedFlow): Promise<FlowOutcome> => {
    let promise = done.get(flow.id);
    if (promise) return promise;
    promise = (async () => {
      const deps = flow.dependsOn.filter((d) => inPlan.has(d));
      // The flows this one depends on (its modules) run meanwhile: this one's look goes ahead, and
      // only its upload waits for them (apply-flow.ts), so a caller's lock, read and job
      // registration are not added to its module's job time.
      const dependencies = Promise.all(deps.map((d) => run(inPlan.get(d)!))).then((results) => {
        const blocked = results.find((r) => !OK.has(r.status));
        return blocked ? `${blocked.type} "${blocked.name}" did not converge (${blocked.status})` : undefined;
      });
      if (flow.action === 'unchanged') {
        const blocked = await dependencies;
        return blocked ? ended(emit, skipped(flow, blocked)) : unchanged(flow);
      }
      // A slot is held for each look-and-write, not while its job runs, while verifying or while
      // waiting to retry: the flow
      // counts as started once it first gets one.
      let started = false;
      const slot = <T>(work: () => Promise<T>): Promise<T> =>
        limit(() => {
          if (!started) emit({ type: 'start', id: flow.id, action: flow.action });
          started = true;
          return work();
        });
      const outcome = await applyFlow({
        planned: flow,
        yaml: input.yamlById.get(flow.id),
        writer: input.writer,
        verifier,
        slot,
        options,
        emit,
        ...(deps.length ? { dependencies } : {}),
      });
      emit({ type: 'end', outcome });
      return outcome;
    })();
    done.set(flow.id, promise);
    return promise;
  };

  const writes = plan.flows.filter((f) => f.action !== 'delete');
  const outcomes = await Promise.all(writes.map(run));
  // Deletes after every write (callers no longer call what goes), callers before modules.
  const deletes = plan.flows.filter((f) => f.action === 'delete');
  const failedWrites = outcomes.filter((o) => !OK.has(o.status));
  for (const group of [
    deletes.filter((f) => f.type !== 'commonmodule'),
    deletes.filter((f) => f.type === 'commonmodule'),
  ]) {
    outcomes.push(
      ...(await Promise.all(
        group.map((flow) =>
          failedWrites.length
            ? Promise.resolve(
                ended(
                  emit,
                  skipped(flow, `${failedWrites.length} flow(s) did not converge; deleting waits for a clean apply`),
                ),
              )
            : limit(async () => {
                emit({ type: 'start', id: flow.id, action: flow.action });
                const outcome = await applyFlow({
                  planned: flow,
                  writer: input.writer,
                  verifier,
                  slot: <T>(work: () => Promise<T>) => work(),
                  options,
                  emit,
                });
                emit({ type: 'end', outcome });
                return outcome;
              }),
        ),
      )),
    );
  }
  const leftovers = await releaseLeftoverLocks(plan, input.writer, options.clientId);
  const counts = { applied: 0, deleted: 0, unchanged: 0, converged: 0, skipped: 0, stale: 0, failed: 0 } as Record<
    FlowStatus,
    number
  >;
  for (const o of outcomes) counts[o.status]++;
  const report: ApplyReport = {
    environment: plan.environment,
    startedAt,
    finishedAt: new Date(now()).toISOString(),
    outcomes,
    converged: outcomes.every((o) => OK.has(o.status)),
    counts,
  };
  if (leftovers.released.length) report.releasedLocks = leftovers.released;
  if (leftovers.notes.length) report.notes = leftovers.notes;
  if (options.gitCommit) report.gitCommit = options.gitCommit;
  if (options.pullRequest) report.pullRequest = options.pullRequest;
  return report;
}

/**
 * Once every flow is done, any flow of the plan still locked by apply's own client holds a lock that
 * an earlier apply took and never released (killed between its lock and its job): this run released
 * all of its own. Such a lock would block everyone else's edits, so it goes; flowops never saves a
 * draft, so unlocking checks in nothing of anyone's. Flows outside the plan are left alone. Never
 * fails the apply: what could not be done becomes a note.
 */
export async function releaseLeftoverLocks(
  plan: Plan,
  writer: OrgWriter,
  clientId: string,
): Promise<{ released: string[]; notes: string[] }> {
  const released: string[] = [];
  const notes: string[] = [];
  const ours = new Set<string>();
  for (const f of plan.flows) if (f.liveFlowId) ours.add(f.liveFlowId);
  const names = new Set(plan.flows.map(keyOf));
  let locked: LiveFlowState[];
  try {
    locked = await writer.flowsLockedBy(clientId);
  } catch (err) {
    return { released, notes: [`could not look for locks an interrupted apply may have left: ${messageOf(err)}`] };
  }
  for (const flow of locked) {
    if (!ours.has(flow.id) && !names.has(keyOf(flow))) continue;
    try {
      await writer.unlockFlow(flow.id);
      released.push(`${flow.type} "${flow.name}"`);
    } catch (err) {
      notes.push(
        `${flow.type} "${flow.name}" is still locked by this client (left by an interrupted apply) and could not be unlocked: ${messageOf(err)}`,
      );
    }
  }
  return { released: released.sort(), notes };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

function ended(emit: (event: ApplyEvent) => void, outcome: FlowOutcome): FlowOutcome {
  emit({ type: 'end', outcome });
  return outcome;
}

function skipped(flow: PlannedFlow, reason: string): FlowOutcome {
  return {
    id: flow.id,
    type: flow.type,
    name: flow.name,
    action: flow.action,
    status: 'skipped',
    reason,
    attempts: 0,
    durationMs: 0,
  };
}

function unchanged(flow: PlannedFlow): FlowOutcome {
  return {
    id: flow.id,
    type: flow.type,
    name: flow.name,
    action: flow.action,
    status: 'unchanged',
    attempts: 0,
    durationMs: 0,
  };
}
