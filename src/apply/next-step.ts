/**
 * One flow's apply as a pure step function: from where the flow's apply is (StepState) and what the
 * last action returned (Observation), what to do next (Action). No I/O, no clock, no timers:
 * apply-flow.ts performs each action and feeds back what came of it, as a Kubernetes controller's
 * reconcile decides and its loop only performs (STYLE.md 4c).
 *
 * A write goes: take the flow's lock, look (read the live flow), re-check it (check-live.ts: stale,
 * converged, locked by someone), write through an Architect job (upload, then wait for it), read the
 * published version back and check it (checkPublished). Why in this order:
 * - Lock first, then look: the look after the lock is the last one (nobody else can publish under
 *   our lock), so one read serves for both. A lock refused (someone holds it) or a flow gone: the
 *   look says which. A flow that had no lock to take before the look (a create that exists by now)
 *   is locked after it, and looked at again.
 * - A lock of our own client that this run did not take was left by an earlier apply interrupted
 *   between its lock and its job: nobody else could publish under it, so it is taken over.
 * - Someone else's lock: --force-unlock unlocks it once; else the lock policy fails at once or looks
 *   again every few seconds until `lockWaitMs` has passed.
 * - Taking a lock, unlocking and waiting for a lock are not failed attempts; a failure is, and the
 *   retry policy (genesys/should-retry.ts) says whether another attempt follows, after how long.
 *   A job refused by a lock is not retried as a failure but waited out like a lock (or fails at once
 *   under the default policy).
 */
import { RemoteError } from '../errors.js';
import { attemptBackoff, type AttemptFailure, shouldRetryAttempt } from '../genesys/should-retry.js';
import { describeConsumers, isRefusedDelete } from '../plan/consumers.js';
import type { Consumer, PlanAction, PlannedFlow } from '../plan/types.js';
import { checkLive, checkPublished, lockedByOwnClient } from './check-live.js';
import type { ApplyOptions, FlowStatus, LiveFlowState } from './types.js';

/** The rules of one apply (ApplyOptions, with the retry policy's defaults filled in) that a flow's steps follow. */
export type StepRules = Pick<ApplyOptions, 'clientId' | 'lockPolicy' | 'forceUnlock' | 'lockWaitMs'> & {
  maxAttempts: number;
  backoffMs: number;
};

/** Where one flow's apply is: everything nextStep needs besides the observation. */
export interface StepState {
  readonly planned: PlannedFlow;
  readonly rules: StepRules;
  /** The attempt under way, from 1. A failure worth retrying begins the next; a lock taken, released or waited for does not. */
  readonly attempt: number;
  /** The flow whose lock this apply holds, until its job publishes it (which releases the lock) or it is deleted. */
  readonly holding?: string | undefined;
  /** --force-unlock was used (once a flow). */
  readonly unlocked: boolean;
  /** When waiting for someone's lock began (lock policy wait, or a job refused by a lock). */
  readonly lockWaitStarted?: number;
  /** The flow as the last look found it (absent: no such flow): what the writes after the look act on. */
  readonly live?: LiveFlowState | undefined;
  /** The action under way: what the next observation answers. */
  readonly doing?: Action;
}

/** What to do next; `progress` is said first (the live view or the plain lines). */
export type Action =
  /** Take the flow's lock, then look; refused (409) or gone (404, 410) is no failure: the look says why. */
  (
    | {
        kind: 'lock-first';
        flowId: string;
        /**
         * Register the Architect job the write will need while the lock is being taken (a write's
         * registration needs nothing of the flow): one round trip fewer before the job starts. A job
         * registered and never given its file (the look refuses the write) runs nothing.
         */
        registerJob: boolean;
      }
    /** Read the live flow: by the plan's id, else (a create) by name. */
    | { kind: 'read' }
    /** Take the lock of the flow just looked at; then look again. */
    | { kind: 'lock'; flowId: string }
    /** --force-unlock: release someone else's lock (their draft is checked in as a new version). */
    | { kind: 'force-unlock'; flowId: string }
    /** Leave the concurrency slot, wait `ms` (0: none), then look again. */
    | { kind: 'wait'; ms: number }
    /** Ask dependency tracking what points at the flow (right before a delete). */
    | { kind: 'check-consumers'; flowId: string }
    | { kind: 'delete'; flowId: string }
    /** Give the flow the planned name, under its lock. */
    | { kind: 'rename'; flowId: string }
    /** Register an Architect job and upload the flow's file (with the audit note). */
    | { kind: 'publish' }
    /** Wait for the uploaded job's outcome (out of the slot). */
    | { kind: 'await-job' }
    /** Read the flow back after its job (batched with the flows finishing about now). */
    | { kind: 'verify'; flowId: string }
    /** The end; any lock still held is released by the driver. */
    | { kind: 'done'; status: FlowStatus; attempts: number; reason?: string; publishedVersion?: string }
  ) & { progress?: string[] };

/**
 * Actions of a look-and-write, performed under one of apply's concurrency slots. Waiting (for a job,
 * a backoff or a lock), verifying and the end give the slot back: a slot is held while the org is
 * being looked at and written, not while Architect runs a job.
 */
export const IN_SLOT: ReadonlySet<Action['kind']> = new Set([
  'lock-first',
  'read',
  'lock',
  'force-unlock',
  'check-consumers',
  'delete',
  'rename',
  'publish',
]);

/** A failed action's error, classified (failureOf). */
export interface Failure extends AttemptFailure {
  /** The error's first line: the reason a report shows. */
  message: string;
}

/** What the last action returned (or `start`). `at` is the clock when it was seen; `random` a sample in [0, 1) for jitter. */
export type Observation =
  | { kind: 'start' }
  /**
   * lock-first or lock: the lock is ours. `live`: the flow as the lock's answer showed it, when that
   * answer says all a look needs (genesys/flow-actions.ts checkoutFlow): it is the look, taken under
   * the lock, so no read follows.
   */
  | { kind: 'locked'; live?: LiveFlowState; at?: number }
  /** A flow this one depends on did not converge: its write must not go ahead (its module is not there). */
  | { kind: 'blocked'; reason: string }
  | { kind: 'read'; live: LiveFlowState | undefined; at: number }
  | { kind: 'unlocked' }
  | { kind: 'waited' }
  | { kind: 'consumers'; consumers: readonly Consumer[] }
  | { kind: 'deleted' }
  | { kind: 'renamed' }
  /** The file is uploaded: the job is under way. */
  | { kind: 'uploaded' }
  /**
   * The job succeeded (publishing checked the flow in: the lock is gone). `readAhead`: the flow as a
   * listing sent beside the job check that saw the success showed it, when there was one: it spares
   * the verifying read when it already shows the planned version (taken too early, it does not).
   */
  | { kind: 'published'; flowId: string; readAhead?: LiveFlowState | undefined }
  | { kind: 'read-back'; live: LiveFlowState | undefined }
  | { kind: 'failed'; failure: Failure; at: number; random: number };

export interface Step {
  state: StepState;
  action: Action;
}

/** Actions on a flow that exists and is written under its lock, taken before the first look. */
const LOCK_FIRST: ReadonlySet<PlanAction> = new Set(['update', 'republish', 'rename']);

/** How often a flow locked by someone is looked at again while waiting for its lock (lock policy wait). */
const LOCK_LOOK_EVERY_MS = 5_000;

export function startState(planned: PlannedFlow, rules: StepRules): StepState {
  return { planned, rules, attempt: 1, unlocked: false };
}

export function nextStep(state: StepState, observation: Observation): Step {
  switch (observation.kind) {
    case 'start':
    case 'waited':
      return look(state);
    case 'locked': {
      const ours = { ...state, holding: state.doing && 'flowId' in state.doing ? state.doing.flowId : undefined };
      // The lock's answer was a full look: judge it (it was taken under the lock, so it is the last one).
      if (observation.live && observation.at !== undefined)
        return afterLook({ ...ours, live: observation.live }, observation.at);
      // Taken before the look: look. Taken after a look: look again, in a new pass.
      return to(ours, state.doing?.kind === 'lock-first' ? { kind: 'read' } : { kind: 'wait', ms: 0 });
    }
    case 'blocked':
      return to(state, { kind: 'done', status: 'skipped', attempts: 0, reason: observation.reason });
    case 'read':
      return afterLook({ ...state, live: observation.live }, observation.at);
    case 'unlocked':
      return to({ ...state, unlocked: true }, { kind: 'wait', ms: 0 });
    case 'consumers': {
      const refusal = deleteRefusal(state.planned, observation.consumers);
      if (refusal) return end(state, 'failed', refusal);
      return to(state, { kind: 'delete', flowId: state.live!.id, progress: ['deleting'] });
    }
    case 'deleted':
      return end({ ...state, holding: undefined }, 'deleted'); // a deleted flow has no lock to release
    case 'renamed':
      return to(state, publish(state, []));
    case 'uploaded':
      return to(state, { kind: 'await-job' });
    case 'published': {
      const released = { ...state, holding: undefined };
      if (observation.readAhead) {
        const check = checkPublished(state.planned, observation.readAhead, state.rules.clientId);
        if (check.kind === 'verified')
          return to(released, {
            kind: 'done',
            status: 'applied',
            attempts: state.attempt,
            publishedVersion: check.version,
          });
      }
      return to(released, {
        kind: 'verify',
        flowId: observation.flowId,
        progress: ['verifying the published version'],
      });
    }
    case 'read-back': {
      const check = checkPublished(state.planned, observation.live, state.rules.clientId);
      if (check.kind === 'refused') return end(state, 'failed', check.reason);
      return to(state, { kind: 'done', status: 'applied', attempts: state.attempt, publishedVersion: check.version });
    }
    case 'failed':
      return afterFailure(state, observation);
  }
}

/** The start of a pass: lock first where there is a flow to lock, then look. */
function look(state: StepState): Step {
  const { planned } = state;
  if (state.holding === undefined && planned.liveFlowId && LOCK_FIRST.has(planned.action))
    return to(state, { kind: 'lock-first', flowId: planned.liveFlowId, registerJob: true });
  return to(state, { kind: 'read' });
}

function afterLook(state: StepState, at: number): Step {
  const { live } = state;
  // A lock apply took itself is not someone else's, whatever name the org shows for it.
  const seen = live && state.holding === live.id ? withoutLock(live) : live;
  const check = checkLive(state.planned, seen, state.rules.clientId);
  if (check.kind === 'stale') return end(state, 'stale', `refused: ${check.reason}; plan again to see it`);
  if (check.kind === 'converged') return end(state, 'converged', check.reason);
  if (check.kind === 'locked') return lockedBySomeone(state, check.holder, at);
  return write(state);
}

function lockedBySomeone(state: StepState, holder: string, at: number): Step {
  const { rules } = state;
  if (rules.forceUnlock && !state.unlocked) {
    return to(state, {
      kind: 'force-unlock',
      flowId: state.live!.id,
      progress: [`unlocking (locked by ${holder}): their draft is checked in as a new version`],
    });
  }
  if (rules.lockPolicy !== 'wait')
    return end(state, 'failed', `locked by ${holder} (use --lock-policy wait to wait for it, or --force-unlock)`);
  const since = state.lockWaitStarted ?? at;
  if (at - since >= rules.lockWaitMs)
    return end(state, 'failed', `still locked by ${holder} after waiting ${Math.round(rules.lockWaitMs / 1000)} s`);
  return to(
    { ...state, lockWaitStarted: since },
    {
      kind: 'wait',
      ms: Math.min(LOCK_LOOK_EVERY_MS, rules.lockWaitMs),
      progress: [`waiting for ${holder} to release the lock`],
    },
  );
}

/** The look found nothing in the way: lock what is not locked yet, then delete, rename or publish. */
function write(state: StepState): Step {
  const { planned, live } = state;
  const progress: string[] = [];
  let holding = state.holding;
  if (live && holding !== live.id && lockedByOwnClient(live, state.rules.clientId)) {
    progress.push('taking over the lock an interrupted apply left');
    holding = live.id;
  }
  const next = { ...state, holding };
  // Lock the flow, then look again: between that look and the job nobody else can publish, so an
  // edit the plan did not show cannot slip in and be overwritten.
  if (live && planned.action !== 'delete' && holding !== live.id) return to(next, { kind: 'lock', flowId: live.id });
  if (planned.action === 'delete') return to(next, said({ kind: 'check-consumers', flowId: live!.id }, progress));
  if (planned.action === 'rename' && live && live.name !== planned.name) {
    // The name first, under the lock: the job then finds the flow by its new name and publishes onto
    // it (an interrupted run leaves a renamed flow, which the next plan pairs by name).
    return to(next, { kind: 'rename', flowId: live.id, progress: [...progress, `renaming from "${live.name}"`] });
  }
  return to(next, publish(next, progress));
}

function publish(state: StepState, progress: string[]): Action {
  return {
    kind: 'publish',
    progress: [...progress, state.attempt > 1 ? `publishing (attempt ${state.attempt})` : 'publishing'],
  };
}

function afterFailure(state: StepState, { failure, at, random }: Extract<Observation, { kind: 'failed' }>): Step {
  const { rules } = state;
  const doing = state.doing?.kind;
  // A lock asked for before the look and refused (someone holds it) or a flow gone: the look says which.
  if (
    doing === 'lock-first' &&
    failure.remote &&
    (failure.status === 409 || failure.status === 404 || failure.status === 410)
  )
    return to(state, { kind: 'read' });
  // A lock asked for after a look and refused: someone took it since; the next look names them.
  if (doing === 'lock' && failure.remote && failure.status === 409) return to(state, { kind: 'wait', ms: 0 });
  if (failure.jobReason === 'locked') {
    if (!rules.forceUnlock && rules.lockPolicy !== 'wait') return end(state, 'failed', failure.message);
    const delay = attemptBackoff(state.attempt, rules.backoffMs, random);
    const progress = [retrying(failure, delay)];
    const since = state.lockWaitStarted ?? at;
    if (at - since >= rules.lockWaitMs)
      return to(state, { kind: 'done', status: 'failed', attempts: state.attempt, reason: failure.message, progress });
    // Waiting for a lock is not a failed attempt: the next look unlocks it (--force-unlock) or waits.
    return to({ ...state, lockWaitStarted: since }, { kind: 'wait', ms: delay, progress });
  }
  const delay = shouldRetryAttempt(
    failure,
    state.attempt,
    { maxAttempts: rules.maxAttempts, baseDelayMs: rules.backoffMs },
    random,
  );
  if (delay === null) return end(state, 'failed', failure.message);
  return to(
    { ...state, attempt: state.attempt + 1 },
    { kind: 'wait', ms: delay, progress: [retrying(failure, delay)] },
  );
}

function retrying(failure: Failure, delayMs: number): string {
  return `${failure.message}; retrying in ${(delayMs / 1000).toFixed(1)} s`;
}

/**
 * Why a delete must not happen, if it must not. Prune never deletes what something still points at
 * (an IVR routing a number to the flow, a queue's in-queue flow, a caller): dependency tracking is
 * asked again right before the delete, since the org may have changed since the plan; Genesys
 * itself may well delete such a flow and leave the IVR pointing at nothing. A delete the plan
 * refused stays refused even when nothing points at the flow any more: apply carries out the
 * approved plan, and that plan said the flow stays.
 */
function deleteRefusal(planned: PlannedFlow, consumers: readonly Consumer[]): string | undefined {
  if (consumers.length) return `refused: ${describeConsumers(consumers)}; it is not deleted`;
  if (isRefusedDelete(planned)) {
    return `refused by the plan (${describeConsumers(planned.consumers ?? [])} then); nothing points at it now: plan again to delete it`;
  }
  return undefined;
}

/** A failed action's error as nextStep reads it: a RemoteError's status, a failed job's reason (genesys/ FlowJobError). */
export function failureOf(error: unknown): Failure {
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  if (!(error instanceof RemoteError)) return { message, remote: false };
  const failure: Failure = { message, remote: true };
  if (error.status !== undefined) failure.status = error.status;
  const reason = (error as { reason?: unknown }).reason;
  if (typeof reason === 'string' && reason !== '') failure.jobReason = reason;
  return failure;
}

function withoutLock(live: LiveFlowState): LiveFlowState {
  const { lockedBy: _ignored, ...rest } = live;
  return rest;
}

function said(action: Action, progress: string[]): Action {
  return progress.length ? { ...action, progress } : action;
}

function to(state: StepState, action: Action): Step {
  return { state: { ...state, doing: action }, action };
}

function end(state: StepState, status: FlowStatus, reason?: string): Step {
  return to(state, { kind: 'done', status, attempts: state.attempt, ...(reason === undefined ? {} : { reason }) });
}
