/**
 * One flow's apply, performed: the small driver of next-step.ts. It asks `nextStep` what to do,
 * does it through the OrgWriter (genesys/ in a real run), and feeds back what came of it, until the
 * flow is done. It decides nothing: which lock, which check, whether to retry and how long to wait
 * are nextStep's (and the retry policy's, genesys/should-retry.ts). What it owns is the I/O: the
 * concurrency slot, the clock and the jitter, the job under way, and the lock it must never leave.
 */
import { DEFAULT_ATTEMPT_RETRY } from '../genesys/should-retry.js';
import { withAuditNote } from '../identity/index.js';
import type { PlannedFlow } from '../plan/types.js';
import { type Action, failureOf, IN_SLOT, nextStep, type Observation, type Step, startState } from './next-step.js';
import type { ApplyEvent, ApplyOptions, FlowOutcome, LiveFlowState, OrgWriter, RegisteredJob } from './types.js';
import type { Verifier } from './verifier.js';

interface FlowContext {
  planned: PlannedFlow;
  /** The substituted YAML of the desired flow (absent for a delete). */
  yaml?: string | undefined;
  writer: OrgWriter;
  /** Reads published flows' state back for verification, batched across the flows of one apply. */
  verifier: Verifier;
  /** Runs a look-and-write under one of apply's concurrency slots. */
  slot: <T>(work: () => Promise<T>) => Promise<T>;
  options: ApplyOptions;
  emit: (event: ApplyEvent) => void;
  /**
   * Settles when the flows this one depends on are done: undefined when they converged, else why
   * this one must not be written. Its look (lock, read, checks) goes ahead meanwhile; only its
   * upload waits (a caller is published after its module's new version, so it calls that one).
   */
  dependencies?: Promise<string | undefined>;
}

/**
 * One flow: re-read it, refuse it if it moved since the plan, respect locks, write it through an
 * Architect job, verify the published content, and retry what is worth retrying (next-step.ts).
 */
export async function applyFlow(ctx: FlowContext): Promise<FlowOutcome> {
  const { planned, options } = ctx;
  const now = options.now ?? Date.now;
  const started = now();
  const run: Run = {
    ctx,
    now,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    random: options.random ?? Math.random,
  };
  const rules = {
    clientId: options.clientId,
    lockPolicy: options.lockPolicy,
    forceUnlock: options.forceUnlock,
    lockWaitMs: options.lockWaitMs,
    maxAttempts: options.maxAttempts ?? DEFAULT_ATTEMPT_RETRY.maxAttempts,
    backoffMs: options.backoffMs ?? DEFAULT_ATTEMPT_RETRY.baseDelayMs,
  };
  let step: Step = nextStep(startState(planned, rules), { kind: 'start' });
  /** Says the action's progress, does it, and asks what comes next. */
  const advance = async (): Promise<void> => {
    const { action } = step;
    for (const message of action.progress ?? []) ctx.emit({ type: 'progress', id: planned.id, message });
    if (action.kind !== 'done') step = nextStep(step.state, await perform(run, action));
  };
  /** The dependencies' answer once known (undefined: not yet, or no dependencies to wait for). */
  let waitedFor = ctx.dependencies === undefined;
  const mustWait = (): boolean => step.action.kind === 'publish' && !waitedFor;
  try {
    while (step.action.kind !== 'done') {
      if (mustWait()) {
        // Out of the slot while the dependencies finish (their jobs take seconds); the lock stays.
        const blocked = await ctx.dependencies;
        waitedFor = true;
        if (blocked !== undefined) step = nextStep(step.state, { kind: 'blocked', reason: blocked });
      } else if (IN_SLOT.has(step.action.kind)) {
        // One look-and-write under the slot, up to the first action that gives it back.
        await ctx.slot(async () => {
          do await advance();
          while (IN_SLOT.has(step.action.kind) && !mustWait());
        });
      } else {
        await advance();
      }
    }
    await advance(); // the end's own words, if any
    const { status, attempts, reason, publishedVersion } = step.action;
    return {
      id: planned.id,
      type: planned.type,
      name: planned.name,
      action: planned.action,
      status,
      attempts,
      durationMs: now() - started,
      ...(reason === undefined ? {} : { reason }),
      ...(publishedVersion === undefined ? {} : { publishedVersion }),
    };
  } finally {
    // Never leave a flow locked by flowops, whatever happened.
    const holding = step.state.holding;
    if (holding) await ctx.writer.unlockFlow(holding).catch(() => undefined);
  }
}

/** One flow's driving: its context, the clock, the timer and the jitter (injectable), and its job under way. */
interface Run {
  ctx: FlowContext;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** The job between its upload and its outcome (`publish`, then `await-job`). */
  publishing?: Promise<{ flowId: string }>;
  /** A job registered ahead (lock-first's registerJob), not yet given its file, and when. */
  registered?: { job: Promise<RegisteredJob>; at: number };
  /** The flow's listing sent beside the latest check of its job (an update's only: its id is known). */
  readAhead?: Promise<LiveFlowState | undefined>;
}

/** A job registered ahead is used within this long, else a fresh one is registered (its upload URL may expire). */
const REGISTERED_JOB_KEPT_MS = 60_000;

/** Does one action; any error becomes a `failed` observation for nextStep to judge. */
async function perform(run: Run, action: Exclude<Action, { kind: 'done' }>): Promise<Observation> {
  const { ctx } = run;
  const { planned, writer } = ctx;
  try {
    switch (action.kind) {
      case 'lock-first':
      case 'lock': {
        if (action.kind === 'lock-first' && action.registerJob && !run.registered) {
          const job = writer.registerJob();
          job.catch(() => undefined); // a failed registration fails the publish that uses it
          run.registered = { job, at: run.now() };
        }
        const live = await writer.checkoutFlow(action.flowId);
        return live ? { kind: 'locked', live, at: run.now() } : { kind: 'locked' };
      }
      case 'read':
        return { kind: 'read', live: await readLive(ctx), at: run.now() };
      case 'force-unlock':
        await writer.unlockFlow(action.flowId);
        return { kind: 'unlocked' };
      case 'wait':
        if (action.ms > 0) await run.sleep(action.ms);
        return { kind: 'waited' };
      case 'check-consumers':
        return { kind: 'consumers', consumers: await writer.flowConsumers(action.flowId, planned.type) };
      case 'delete':
        await writer.deleteFlow(action.flowId);
        return { kind: 'deleted' };
      case 'rename':
        await writer.renameFlow(action.flowId, planned.type, planned.name);
        return { kind: 'renamed' };
      case 'publish': {
        const registered =
          run.registered && run.now() - run.registered.at < REGISTERED_JOB_KEPT_MS ? run.registered.job : undefined;
        run.registered = undefined; // a job takes one file: a retry registers another
        run.readAhead = undefined;
        const flowId = planned.liveFlowId;
        // Each check of an update's job goes with a listing of the flow (shared with other flows'
        // reads): the answer that says the job succeeded then comes with the flow as it is after it,
        // one round trip sooner than a read asked once the job is seen done.
        const readAhead = flowId
          ? () => {
              const read = ctx.verifier.read(flowId);
              read.catch(() => undefined); // a failed read-ahead only means a read afterwards
              run.readAhead = read;
            }
          : undefined;
        const job = startPublishing(ctx, registered, readAhead);
        run.publishing = job.outcome;
        await job.uploaded;
        return { kind: 'uploaded' };
      }
      case 'await-job': {
        const { flowId } = await run.publishing!;
        const ahead = run.readAhead;
        run.readAhead = undefined;
        if (!ahead || flowId !== planned.liveFlowId) return { kind: 'published', flowId };
        return { kind: 'published', flowId, readAhead: await ahead.catch(() => undefined) };
      }
      case 'verify':
        return { kind: 'read-back', live: await ctx.verifier.read(action.flowId) };
    }
  } catch (err) {
    return { kind: 'failed', failure: failureOf(err), at: run.now(), random: run.random() };
  }
}

/**
 * Starts the flow's job: registers it and uploads the file with the audit note (commit, pull
 * request, the planned fingerprint: how verification and the next plan know the version as
 * flowops' own). `uploaded` settles once the file is up, or with the failure before it.
 */
function startPublishing(
  ctx: FlowContext,
  registered: Promise<RegisteredJob> | undefined,
  beforeCheck: (() => void) | undefined,
): { outcome: Promise<{ flowId: string }>; uploaded: Promise<unknown> } {
  const { planned, options } = ctx;
  const yaml = withAuditNote(ctx.yaml ?? '', {
    ...(options.gitCommit ? { commit: options.gitCommit } : {}),
    ...(options.pullRequest ? { pullRequest: options.pullRequest } : {}),
    ...(planned.desiredFingerprint ? { fingerprint: planned.desiredFingerprint } : {}),
  });
  let uploaded!: () => void;
  const started = new Promise<void>((resolve) => (uploaded = resolve));
  const outcome = ctx.writer.publishFlow(yaml, {
    onUploaded: uploaded,
    onPoll: () => {
      beforeCheck?.();
      ctx.emit({ type: 'progress', id: planned.id, message: 'job running' });
    },
    ...(registered ? { job: registered } : {}),
  });
  outcome.catch(() => undefined); // awaited (and its failure handled) by `await-job`, outside the slot
  return { outcome, uploaded: Promise.race([started, outcome]) };
}

async function readLive(ctx: FlowContext): Promise<LiveFlowState | undefined> {
  const { planned, writer } = ctx;
  if (planned.liveFlowId) {
    const byId = await writer.getFlow(planned.liveFlowId);
    if (byId) return byId;
  }
  // A flow to create, or one whose id changed (deleted and re-created): find it by name.
  return planned.action === 'create' ? writer.findFlow(planned.type, planned.name) : undefined;
}
