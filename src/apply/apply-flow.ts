import { RemoteError } from '../errors.js';
import { describeConsumers, isRefusedDelete } from '../plan/consumers.js';
import type { PlannedFlow } from '../plan/types.js';
import { withAuditNote, ownNote } from '../identity/index.js';
import { checkLive, lockedByOwnClient } from './check-live.js';
import type { ApplyEvent, ApplyOptions, FlowOutcome, LiveFlowState, OrgWriter } from './types.js';
import type { Verifier } from './verifier.js';

/** Failures worth another attempt after re-reading the flow (the job API's own words for them). */
const RETRYABLE_JOB_REASONS = new Set(['transient', 'timeout', 'conflict']);

/**
 * What one look-and-write led to: an end, another look (after a wait), or a job under way (its
 * file uploaded: the slot is given back while Architect runs it).
 */
type Step = { done: FlowOutcome } | { again: number } | { publishing: Promise<{ flowId: string }> };

interface FlowContext {
  planned: PlannedFlow;
  /** The substituted YAML of the desired flow (absent for a delete). */
  yaml?: string;
  writer: OrgWriter;
  /** Reads published flows' state back for verification, batched across the flows of one apply. */
  verifier: Verifier;
  /** Runs a look-and-write under one of apply's concurrency slots. */
  slot: <T>(work: () => Promise<T>) => Promise<T>;
  options: ApplyOptions;
  emit: (event: ApplyEvent) => void;
}

/**
 * One flow: re-read it, refuse it if it moved since the plan, respect locks, write it through an
 * Architect job, verify the published content, and retry what is worth retrying.
 */
export async function applyFlow(ctx: FlowContext): Promise<FlowOutcome> {
  const { planned, options } = ctx;
  const now = options.now ?? Date.now;
  const started = now();
  const outcome = (status: FlowOutcome['status'], attempts: number, extra: Partial<FlowOutcome> = {}): FlowOutcome => ({
    id: planned.id, type: planned.type, name: planned.name, action: planned.action, status, attempts, durationMs: now() - started, ...extra,
  });
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  let lockWaitStarted: number | undefined;
  let unlocked = false;
  // The flow id whose lock apply took, until a job publishes it (which releases the lock).
  let holding: string | undefined;
  try {
    return await attempts();
  } finally {
    // Never leave a flow locked by flowops, whatever happened.
    if (holding) await ctx.writer.unlockFlow(holding).catch(() => undefined);
  }

  /**
   * One look and, when all is well, the write up to the upload of the file: under a concurrency slot
   * (waiting for the job and verifying are not).
   */
  async function writeStep(attempt: number): Promise<Step> {
    if (holding === undefined && planned.liveFlowId && (planned.action === 'update' || planned.action === 'republish' || planned.action === 'rename')) {
      // Lock first, then look: the look after the lock is the last one (nobody else can publish
      // under our lock), so one read serves for both. Held by someone: the look names them.
      holding = await lockIfFree(ctx.writer, planned.liveFlowId);
    }
    const live = await readLive(ctx);
    // A lock apply took itself is not someone else's, whatever name the org shows for it.
    const seen = live && holding === live.id ? withoutLock(live) : live;
    const check = checkLive(planned, seen, options.clientId);
    if (check.kind === 'stale') return { done: outcome('stale', attempt, { reason: `refused: ${check.reason}; plan again to see it` }) };
    if (check.kind === 'converged') return { done: outcome('converged', attempt, { reason: check.reason }) };
    if (check.kind === 'locked') {
      if (options.forceUnlock && !unlocked) {
        ctx.emit({ type: 'progress', id: planned.id, message: `unlocking (locked by ${check.holder}): their draft is checked in as a new version` });
        await ctx.writer.unlockFlow(live!.id);
        unlocked = true;
        return { again: 0 }; // unlocking is not a failed attempt
      }
      if (options.lockPolicy !== 'wait') return { done: outcome('failed', attempt, { reason: `locked by ${check.holder} (use --lock-policy wait to wait for it, or --force-unlock)` }) };
      lockWaitStarted ??= now();
      if (now() - lockWaitStarted >= options.lockWaitMs) return { done: outcome('failed', attempt, { reason: `still locked by ${check.holder} after waiting ${Math.round(options.lockWaitMs / 1000)} s` }) };
      ctx.emit({ type: 'progress', id: planned.id, message: `waiting for ${check.holder} to release the lock` });
      return { again: Math.min(5_000, options.lockWaitMs) }; // waiting for a lock is not a failed attempt
    }
    if (live && holding !== live.id && lockedByOwnClient(live, options.clientId)) {
      // A lock of our own client that this run did not take: an earlier apply was interrupted
      // between its lock and its job. Nobody else could publish under it, so this look is the last.
      ctx.emit({ type: 'progress', id: planned.id, message: 'taking over the lock an interrupted apply left' });
      holding = live.id;
    }
    if (live && planned.action !== 'delete' && holding !== live.id) {
      // Lock the flow, then look again: between this look and the job nobody else can publish,
      // so an edit the plan did not show cannot slip in and be overwritten.
      try {
        await ctx.writer.checkoutFlow(live.id);
        holding = live.id;
      } catch (err) {
        if (!(err instanceof RemoteError && err.status === 409)) throw err;
        // Someone took the lock since the look: the next look names them.
      }
      return { again: 0 };
    }
    if (planned.action === 'delete') {
      const refusal = await deleteRefusal(ctx, live!.id);
      if (refusal) return { done: outcome('failed', attempt, { reason: refusal }) };
      ctx.emit({ type: 'progress', id: planned.id, message: 'deleting' });
      await ctx.writer.deleteFlow(live!.id);
      holding = undefined; // a deleted flow has no lock to release
      return { done: outcome('deleted', attempt) };
    }
    if (planned.action === 'rename' && live && live.name !== planned.name) {
      // The name first, under the lock: the job then finds the flow by its new name and publishes
      // onto it (an interrupted run leaves a renamed flow, which the next plan pairs by name).
      ctx.emit({ type: 'progress', id: planned.id, message: `renaming from "${live.name}"` });
      await ctx.writer.renameFlow(live.id, planned.type, planned.name);
    }
    ctx.emit({ type: 'progress', id: planned.id, message: attempt > 1 ? `publishing (attempt ${attempt})` : 'publishing' });
    const yaml = withAuditNote(ctx.yaml ?? '', {
      ...(options.gitCommit ? { commit: options.gitCommit } : {}),
      ...(options.pullRequest ? { pullRequest: options.pullRequest } : {}),
      ...(planned.desiredFingerprint ? { fingerprint: planned.desiredFingerprint } : {}),
    });
    let uploaded!: () => void;
    const started = new Promise<void>((resolve) => (uploaded = resolve));
    const publishing = ctx.writer.publishFlow(yaml, { onUploaded: uploaded, onPoll: () => ctx.emit({ type: 'progress', id: planned.id, message: 'job running' }) });
    publishing.catch(() => undefined); // awaited (and its failure handled) by the caller, outside the slot
    await Promise.race([started, publishing]);
    return { publishing };
  }

  async function attempts(): Promise<FlowOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      const step = await ctx.slot(() => writeStep(attempt));
      if ('done' in step) return step.done;
      if ('again' in step) {
        if (step.again > 0) await sleep(step.again);
        attempt--; // not a failed attempt: a lock taken, released or waited for
        continue;
      }
      const published = await step.publishing;
      holding = undefined; // publishing checked the flow in and released the lock
      ctx.emit({ type: 'progress', id: planned.id, message: 'verifying the published version' });
      const version = await verify(ctx, published.flowId);
      return outcome('applied', attempt, { publishedVersion: version });
    } catch (err) {
      const reason = jobFailureReason(err);
      const retryable = reason ? RETRYABLE_JOB_REASONS.has(reason) : err instanceof RemoteError && isTransientStatus(err.status);
      if (reason === 'locked' && !options.forceUnlock && options.lockPolicy !== 'wait') {
        return outcome('failed', attempt, { reason: messageOf(err) });
      }
      if (reason === 'locked' || (retryable && attempt < options.maxAttempts)) {
        const delay = options.backoffMs * 2 ** Math.min(attempt - 1, 6) * (0.5 + random() / 2);
        ctx.emit({ type: 'progress', id: planned.id, message: `${messageOf(err)}; retrying in ${(delay / 1000).toFixed(1)} s` });
        if (reason === 'locked') {
          lockWaitStarted ??= now();
          if (now() - lockWaitStarted >= options.lockWaitMs) return outcome('failed', attempt, { reason: messageOf(err) });
          attempt--;
        }
        await sleep(delay);
        continue;
      }
      return outcome('failed', attempt, { reason: messageOf(err) });
    }
  }
  }
}

/**
 * Why a delete must not happen, if it must not. Prune never deletes what something still points at
 * (an IVR routing a number to the flow, a queue's in-queue flow, a caller): dependency tracking is
 * asked again right before the delete, since the org may have changed since the plan; Genesys
 * itself may well delete such a flow and leave the IVR pointing at nothing. A delete the plan
 * refused stays refused even when nothing points at the flow any more: apply carries out the
 * approved plan, and that plan said the flow stays.
 */
async function deleteRefusal(ctx: FlowContext, flowId: string): Promise<string | undefined> {
  const consumers = await ctx.writer.flowConsumers(flowId, ctx.planned.type);
  if (consumers.length) return `refused: ${describeConsumers(consumers)}; it is not deleted`;
  if (isRefusedDelete(ctx.planned)) {
    return `refused by the plan (${describeConsumers(ctx.planned.consumers ?? [])} then); nothing points at it now: plan again to delete it`;
  }
  return undefined;
}

/** Takes the flow's lock; undefined when someone holds it (409) or the flow is gone (404, 410). */
async function lockIfFree(writer: OrgWriter, id: string): Promise<string | undefined> {
  try {
    await writer.checkoutFlow(id);
    return id;
  } catch (err) {
    if (err instanceof RemoteError && (err.status === 409 || err.status === 404 || err.status === 410)) return undefined;
    throw err;
  }
}

function withoutLock(live: LiveFlowState): LiveFlowState {
  const { lockedBy: _ignored, ...rest } = live;
  return rest;
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

/**
 * After the job: the flow's new published version must be flowops' own with the planned fingerprint
 * (identity: the listing says so, nothing is exported). Read together with the other flows
 * finishing about now (Verifier: one listing).
 */
async function verify(ctx: FlowContext, flowId: string): Promise<string> {
  const live = await ctx.verifier.read(flowId);
  const version = live?.publishedVersion?.id;
  if (!live || !version) throw new VerificationError('the job succeeded but the flow has no published version');
  if (version === ctx.planned.livePublishedVersion?.id) throw new VerificationError(`the job succeeded but the published version is still ${version}`);
  const note = ownNote(live, ctx.options.clientId);
  if (!note) throw new VerificationError(`version ${version} was published${live.publishedVersion?.createdBy ? ` by ${live.publishedVersion.createdBy}` : ''}, not as flowops' own (its creator or its description note differs)`);
  if (note.fingerprint !== ctx.planned.desiredFingerprint) throw new VerificationError(`version ${version} was published but its note carries another fingerprint than the planned content's`);
  return version;
}

class VerificationError extends Error {}

/** Worth another attempt after a re-read: conflicts, throttling, server errors, lost connections. */
function isTransientStatus(status: number | undefined): boolean {
  return status === undefined || status === 409 || status === 429 || status >= 500;
}

/** The typed reason a job failed for (genesys/ FlowJobError), if it is one. */
function jobFailureReason(err: unknown): string | undefined {
  const reason = (err as { reason?: unknown } | null)?.reason;
  return err instanceof RemoteError && typeof reason === 'string' ? reason : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}
