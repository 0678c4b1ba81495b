/**
 * The apply operation: a saved plan applied exactly, or a plan made now (the plan operation's own
 * step) applied once approved. The rules of approval, of a saved plan's deletes and of how long and
 * how often to retry live here; what a person sees and how they are asked are the caller's hooks.
 */
import { applyPlan, releaseLeftoverLocks } from '../apply/apply-plan.js';
import type { ApplyEvent, ApplyReport, LockPolicy } from '../apply/types.js';
import { idOf } from '../identity/index.js';
import { ConfigError, UsageError } from '../errors.js';
import { commitLabel } from '../git/commit.js';
import { readGitHubEvent } from '../github/event.js';
import { pullRequestNumber } from '../github/pull-request.js';
import { hasChanges } from '../plan/build-plan.js';
import { hasReferenceErrors, referenceDiagnostics } from '../plan/org-references.js';
import type { Plan } from '../plan/types.js';
import type { OperationContext } from './context.js';
import { planAgainstOrg } from './plan.js';
import { checkDesired, openProject, withOrg } from './project.js';
import { readSavedPlan, withoutDeletes } from './saved-plan.js';

/**
 * Flows being looked at and written at once by default. A slot is held for two round trips (the lock
 * with the job's registration beside it, then the upload), never while a job runs, so it bounds
 * bursts, not work: the rate limiter bounds requests per token whatever this is. 50 lets a whole
 * level of a usual change (the bench's 50 callers) start together; with the Terraform provider's 10,
 * 50 flows start in five waves, 0.5 s apart at 50 ms a request (bench, README "Performance").
 */
export const DEFAULT_CONCURRENCY = 50;

/**
 * How long `--lock-policy wait` waits for a lock to go. How often a flow is tried, and the backoff,
 * are the one retry policy's (genesys/should-retry.ts DEFAULT_ATTEMPT_RETRY, applied by apply-flow).
 */
const LOCK_WAIT_MS = 10 * 60_000;

const NEEDS_APPROVAL = 'apply needs approval: answer on a terminal, pass --auto-approve, or apply a saved plan file';

export interface ApplyArgs {
  configPath?: string;
  environment?: string;
  /** A plan saved by `flowops plan --out`; without one, a plan is made now. */
  planFile?: string;
  autoApprove: boolean;
  /** Carry out (or plan) deletes. */
  prune: boolean;
  concurrency: number;
  lockPolicy: LockPolicy;
  forceUnlock: boolean;
}

/** Where apply's per-flow events go; `finish` resolves once they have all been shown. */
export interface ApplyWatcher {
  emit(event: ApplyEvent): void;
  finish(): Promise<void>;
}

export interface ApplyHooks {
  /** The plan made now, before it is approved: whoever approves sees it. */
  planned(plan: Plan): void;
  /** Asks a person whether to apply the plan made now; absent when nobody can answer. */
  ask?: (plan: Plan) => Promise<boolean>;
  /** Called once the plan is approved, right before the writes start. */
  watch(plan: Plan): ApplyWatcher;
}

export type ApplyOutcome =
  /** A plan made now changes nothing: only locks an interrupted apply left were released. */
  | { kind: 'in-sync'; plan: Plan; releasedLocks: string[]; notes: string[] }
  /** The person asked said no: nothing was changed. */
  | { kind: 'cancelled'; plan: Plan }
  | { kind: 'applied'; report: ApplyReport };

export async function applyChanges(args: ApplyArgs, hooks: ApplyHooks, ctx: OperationContext): Promise<ApplyOutcome> {
  const project = await openProject(
    { configPath: args.configPath, environment: args.environment, outside: args.prune },
    ctx,
  );
  // git answers (another process) while the files are checked; it never rejects.
  const commit = commitLabel(project.dir);
  const check = await checkDesired(project);
  const saved = args.planFile
    ? await readSavedPlan(args.planFile, project.workspace.environment.name, check)
    : undefined;
  // Applying a saved plan is the approval (as Terraform does); otherwise someone must say yes, and
  // nothing is asked of the org before it is known that they can.
  const approve = saved ? async () => true : approverOf(args, hooks);
  const gitCommit = await commit;
  const pullRequest = pullRequestNumber(ctx.env, await readGitHubEvent(ctx.env));
  return withOrg(project, { cache: true }, ctx, async (org): Promise<ApplyOutcome> => {
    let plan: Plan;
    if (saved) {
      plan = saved;
      if (!args.prune && plan.flows.some((f) => f.action === 'delete')) {
        ctx.info('The plan deletes flows; without --prune those deletes are skipped.');
        plan = withoutDeletes(plan);
      }
    } else {
      plan = await planAgainstOrg(
        project,
        check,
        org,
        { prune: args.prune, cache: true, ...(gitCommit ? { gitCommit } : {}) },
        ctx,
      );
      // Publishing a flow that names an object the org lacks fails: nothing is applied.
      if (hasReferenceErrors(plan.references)) throw new ConfigError(referenceDiagnostics(plan.references));
      hooks.planned(plan);
      if (!hasChanges(plan)) {
        const leftovers = await releaseLeftoverLocks(plan, org.client, org.clientId);
        return { kind: 'in-sync', plan, releasedLocks: leftovers.released, notes: leftovers.notes };
      }
      if (!(await approve(plan))) return { kind: 'cancelled', plan };
    }
    // The first writes go together (a lock and a job registration each): their tokens log in first.
    const written = new Set(plan.flows.filter((f) => f.action !== 'unchanged').map((f) => f.id));
    const writes = written.size;
    await org.client.prepare(2 * Math.min(writes, args.concurrency));
    const watcher = hooks.watch(plan);
    ctx.info(`Applying ${writes} flow(s) to environment ${plan.environment} (${org.description}).`);
    const report = await applyPlan({
      plan,
      // Only the flows written are read (a file unchanged since the last run is read when asked for).
      yamlById: new Map(check.flows.filter((f) => written.has(idOf(f))).map((f) => [idOf(f), f.text])),
      writer: org.client,
      options: {
        concurrency: args.concurrency,
        lockPolicy: args.lockPolicy,
        forceUnlock: args.forceUnlock,
        clientId: org.clientId,
        ...(gitCommit ? { gitCommit } : {}),
        ...(pullRequest ? { pullRequest } : {}),
        lockWaitMs: LOCK_WAIT_MS,
      },
      emit: (e) => watcher.emit(e),
    });
    await watcher.finish();
    ctx.info(`${org.client.stats.requests} API request(s), ${org.client.stats.retries} retried.`);
    return { kind: 'applied', report };
  });
}

/** Who says yes to a plan made now: --auto-approve, or a person; without either, apply refuses. */
function approverOf(args: ApplyArgs, hooks: ApplyHooks): (plan: Plan) => Promise<boolean> {
  if (args.autoApprove) return async () => true;
  if (hooks.ask) return hooks.ask;
  throw new UsageError(NEEDS_APPROVAL);
}
