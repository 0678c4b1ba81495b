/**
 * apply's step function as tables: each row is where a flow's apply is, what the last action
 * returned, and what must come next (the whole action, and what the state must remember). No org,
 * no clock: nextStep is pure. The orchestration through a fake org is apply-plan.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  type Action,
  failureOf,
  nextStep,
  type Observation,
  startState,
  type StepRules,
  type StepState,
} from '../../src/apply/next-step.js';
import type { LiveFlowState } from '../../src/apply/types.js';
import { RemoteError } from '../../src/errors.js';
import { FlowJobError } from '../../src/genesys/job-failure.js';
import { type AttemptFailure, shouldRetry, shouldRetryAttempt } from '../../src/genesys/should-retry.js';
import { formatNote } from '../../src/identity/index.js';
import type { PlanAction, PlannedFlow } from '../../src/plan/types.js';

const OWN = 'flowops-client';
const PLANNED_FP = `f1:${'P'.repeat(22)}`;
const OTHER_FP = `f1:${'O'.repeat(22)}`;
const RULES: StepRules = {
  clientId: OWN,
  lockPolicy: 'fail',
  forceUnlock: false,
  lockWaitMs: 10_000,
  maxAttempts: 3,
  backoffMs: 1_000,
};

function planned(action: PlanAction, extra: Partial<PlannedFlow> = {}): PlannedFlow {
  const existing =
    action === 'create' ? {} : { liveFlowId: 'id-1', livePublishedVersion: { id: '1.0', createdBy: 'seed' } };
  return {
    id: 'inboundcall:Main Line',
    type: 'inboundcall',
    name: 'Main Line',
    action,
    desiredFingerprint: PLANNED_FP,
    patch: [],
    changes: [],
    dependsOn: [],
    ...existing,
    ...extra,
  };
}

/** The flow as the plan saw it: version 1.0, published by a person. */
function live(extra: Partial<LiveFlowState> = {}): LiveFlowState {
  return {
    id: 'id-1',
    type: 'inboundcall',
    name: 'Main Line',
    publishedVersion: { id: '1.0', createdBy: 'seed' },
    ...extra,
  };
}

/** Version 2.0 published by `client` (flowops' own client unless said) with a note of `fingerprint`. */
function published(fingerprint = PLANNED_FP, client = OWN): Partial<LiveFlowState> {
  return {
    publishedVersion: { id: '2.0', createdBy: client, createdByClientId: client },
    description: formatNote({ commit: 'abc1234', fingerprint }),
  };
}

interface Given {
  action?: PlanAction;
  plan?: Partial<PlannedFlow>;
  rules?: Partial<StepRules>;
  state?: Partial<Omit<StepState, 'planned' | 'rules'>>;
}

function given({ action = 'update', plan, rules, state }: Given = {}): StepState {
  return { ...startState(planned(action, plan), { ...RULES, ...rules }), ...state };
}

const read = (flow: LiveFlowState | undefined, at = 0): Observation => ({ kind: 'read', live: flow, at });
const failed = (failure: Partial<AttemptFailure> & { message?: string }, at = 0): Observation => ({
  kind: 'failed',
  failure: { message: failure.message ?? 'it failed', remote: true, ...failure },
  at,
  random: 0.5,
});
const job = (reason: string) => failed({ jobReason: reason, message: `job failed (${reason})` });
const lockFirst: Action = { kind: 'lock-first', flowId: 'id-1', registerJob: true };
const lockAfterLook: Action = { kind: 'lock', flowId: 'id-1' };
const holding = { holding: 'id-1' };
const done = (status: string, reason?: string, attempts = 1) => ({
  kind: 'done',
  status,
  attempts,
  ...(reason === undefined ? {} : { reason }),
});

interface Row {
  name: string;
  given: StepState;
  observation: Observation;
  action: unknown;
  /** What the state must hold afterwards (besides `doing`, which is always the action). */
  after?: Partial<StepState>;
}

function check({ given: state, observation, action, after }: Row): void {
  const step = nextStep(state, observation);
  expect(step.action).toEqual(action);
  expect(step.state.doing).toEqual(action);
  expect(step.state.planned).toBe(state.planned);
  // Field by field: `holding: undefined` means no lock held, whether the key is there or not.
  for (const [key, value] of Object.entries(after ?? {}))
    expect(step.state[key as keyof StepState], key).toEqual(value);
}

describe('nextStep: a pass begins', () => {
  it.each<Row>([
    {
      name: 'an update: lock first, then look',
      given: given(),
      observation: { kind: 'start' },
      action: lockFirst,
      after: { attempt: 1, holding: undefined },
    },
    {
      name: 'a republish: lock first',
      given: given({ action: 'republish' }),
      observation: { kind: 'start' },
      action: lockFirst,
    },
    {
      name: 'a rename: lock first',
      given: given({ action: 'rename', plan: { renamedFrom: 'Old Line' } }),
      observation: { kind: 'start' },
      action: lockFirst,
    },
    {
      name: 'a create: nothing to lock, look',
      given: given({ action: 'create' }),
      observation: { kind: 'start' },
      action: { kind: 'read' },
    },
    {
      name: 'a delete: look (no lock for a delete)',
      given: given({ action: 'delete' }),
      observation: { kind: 'start' },
      action: { kind: 'read' },
    },
    {
      name: 'after a wait, the lock already ours: look',
      given: given({ state: holding }),
      observation: { kind: 'waited' },
      action: { kind: 'read' },
      after: holding,
    },
    {
      name: 'after a wait, no lock yet: lock first again',
      given: given({ state: { attempt: 2 } }),
      observation: { kind: 'waited' },
      action: lockFirst,
      after: { attempt: 2 },
    },
  ])('$name', check);
});

describe('nextStep: dependencies', () => {
  it.each<Row>([
    {
      name: 'a module it calls did not converge: skipped, nothing written (the driver releases the lock)',
      given: given({ state: { ...holding, doing: { kind: 'publish' } } }),
      observation: { kind: 'blocked', reason: 'commonmodule "M" did not converge (failed)' },
      action: done('skipped', 'commonmodule "M" did not converge (failed)', 0),
    },
  ])('$name', check);
});

describe('nextStep: locks', () => {
  it.each<Row>([
    {
      name: 'free: the lock taken before the look is ours; look',
      given: given({ state: { doing: lockFirst } }),
      observation: { kind: 'locked' },
      action: { kind: 'read' },
      after: holding,
    },
    {
      name: "free, and the lock's answer is the flow: that answer is the look (no read); publish",
      given: given({ state: { doing: lockFirst } }),
      observation: { kind: 'locked', live: live(), at: 0 },
      action: { kind: 'publish', progress: ['publishing'] },
      after: holding,
    },
    {
      name: "free, the lock's answer shows a version moved by someone: stale, refused without a read",
      given: given({ state: { doing: lockFirst } }),
      observation: { kind: 'locked', live: live({ publishedVersion: { id: '3.0', createdBy: 'Jane' } }), at: 0 },
      action: done('stale', expect.stringContaining('refused')),
      after: holding,
    },
    {
      name: 'held by someone (409 before the look): look, the look names them',
      given: given({ state: { doing: lockFirst } }),
      observation: failed({ status: 409 }),
      action: { kind: 'read' },
      after: { holding: undefined, attempt: 1 },
    },
    {
      name: 'gone (404 before the look): look, the look finds it gone',
      given: given({ state: { doing: lockFirst } }),
      observation: failed({ status: 404 }),
      action: { kind: 'read' },
    },
    {
      name: 'gone (410 before the look): look',
      given: given({ state: { doing: lockFirst } }),
      observation: failed({ status: 410 }),
      action: { kind: 'read' },
    },
    {
      name: "held by us: our own lock is not someone else's, whatever name the org shows; publish",
      given: given({ state: holding }),
      observation: read(live({ lockedBy: 'flowops (OAuth client)' })),
      action: { kind: 'publish', progress: ['publishing'] },
      after: holding,
    },
    {
      name: 'held by our client, not taken by this run (an interrupted apply left it): taken over, no second checkout',
      given: given(),
      observation: read(live({ lockedBy: 'flowops', lockedByClientId: OWN })),
      action: { kind: 'publish', progress: ['taking over the lock an interrupted apply left', 'publishing'] },
      after: holding,
    },
    {
      name: 'held by our client, known by name only (no client id shown): taken over',
      given: given(),
      observation: read(live({ lockedBy: OWN })),
      action: { kind: 'publish', progress: ['taking over the lock an interrupted apply left', 'publishing'] },
      after: holding,
    },
    {
      name: 'held by someone else, lock policy fail: fails naming them',
      given: given(),
      observation: read(live({ lockedBy: 'Jane Admin' })),
      action: done('failed', 'locked by Jane Admin (use --lock-policy wait to wait for it, or --force-unlock)'),
      after: { holding: undefined },
    },
    {
      name: 'held by someone else, lock policy wait: looks again in 5 s, the wait starts now',
      given: given({ rules: { lockPolicy: 'wait' } }),
      observation: read(live({ lockedBy: 'Jane Admin' }), 1_000),
      action: { kind: 'wait', ms: 5_000, progress: ['waiting for Jane Admin to release the lock'] },
      after: { lockWaitStarted: 1_000, attempt: 1 },
    },
    {
      name: 'held by someone else, lock policy wait shorter than a look: looks again at its end',
      given: given({ rules: { lockPolicy: 'wait', lockWaitMs: 2_000 } }),
      observation: read(live({ lockedBy: 'Jane Admin' }), 1_000),
      action: { kind: 'wait', ms: 2_000, progress: ['waiting for Jane Admin to release the lock'] },
    },
    {
      name: 'held by someone else, lock policy wait, still within the bound: waits on from when it started',
      given: given({ rules: { lockPolicy: 'wait' }, state: { lockWaitStarted: 1_000 } }),
      observation: read(live({ lockedBy: 'Jane Admin' }), 10_999),
      action: { kind: 'wait', ms: 5_000, progress: ['waiting for Jane Admin to release the lock'] },
      after: { lockWaitStarted: 1_000 },
    },
    {
      name: 'held by someone else, lock policy wait, the bound reached: fails naming them',
      given: given({ rules: { lockPolicy: 'wait' }, state: { lockWaitStarted: 1_000 } }),
      observation: read(live({ lockedBy: 'Jane Admin' }), 11_000),
      action: done('failed', 'still locked by Jane Admin after waiting 10 s'),
    },
    {
      name: 'held by someone else, --force-unlock: unlocks it, saying whose draft is checked in',
      given: given({ rules: { forceUnlock: true } }),
      observation: read(live({ lockedBy: 'Jane Admin' })),
      action: {
        kind: 'force-unlock',
        flowId: 'id-1',
        progress: ['unlocking (locked by Jane Admin): their draft is checked in as a new version'],
      },
    },
    {
      name: 'force-unlocked: not a failed attempt; look again',
      given: given({ rules: { forceUnlock: true }, state: { doing: { kind: 'force-unlock', flowId: 'id-1' } } }),
      observation: { kind: 'unlocked' },
      action: { kind: 'wait', ms: 0 },
      after: { unlocked: true, attempt: 1 },
    },
    {
      name: 'locked again after --force-unlock unlocked it once: the lock policy decides (fail)',
      given: given({ rules: { forceUnlock: true }, state: { unlocked: true } }),
      observation: read(live({ lockedBy: 'Jane Admin' })),
      action: done('failed', 'locked by Jane Admin (use --lock-policy wait to wait for it, or --force-unlock)'),
    },
    {
      name: 'locked again after --force-unlock unlocked it once: the lock policy decides (wait)',
      given: given({ rules: { forceUnlock: true, lockPolicy: 'wait' }, state: { unlocked: true } }),
      observation: read(live({ lockedBy: 'Jane Admin' }), 500),
      action: { kind: 'wait', ms: 5_000, progress: ['waiting for Jane Admin to release the lock'] },
    },
    {
      name: 'a create that exists by now, unpublished and unlocked: lock it after the look',
      given: given({ action: 'create' }),
      observation: read(live({ id: 'id-9', publishedVersion: undefined })),
      action: { kind: 'lock', flowId: 'id-9' },
      after: { holding: undefined },
    },
    {
      name: 'an update whose lock before the look was refused, free at the look: lock it after the look',
      given: given(),
      observation: read(live()),
      action: lockAfterLook,
    },
    {
      name: 'the lock after the look taken: look again (a new pass)',
      given: given({ state: { doing: lockAfterLook } }),
      observation: { kind: 'locked' },
      action: { kind: 'wait', ms: 0 },
      after: { ...holding, attempt: 1 },
    },
    {
      name: 'the lock after the look refused (409): someone took it since; look again',
      given: given({ state: { doing: lockAfterLook } }),
      observation: failed({ status: 409 }),
      action: { kind: 'wait', ms: 0 },
      after: { holding: undefined, attempt: 1 },
    },
    {
      name: 'the lock after the look: a 404 is a failure like any other (not retried)',
      given: given({ state: { doing: lockAfterLook } }),
      observation: failed({ status: 404, message: 'gone' }),
      action: done('failed', 'gone'),
    },
  ])('$name', check);
});

describe('nextStep: stale and converged', () => {
  it.each<Row>([
    {
      name: 'an update whose version moved, published by someone else: refused as stale, the lock kept for the driver to release',
      given: given({ state: holding }),
      observation: read(
        live({ publishedVersion: { id: '2.0', createdBy: 'jane', datePublished: '2026-11-24T12:00:00Z' } }),
      ),
      action: done(
        'stale',
        'refused: version 2.0 was published by jane at 2026-11-24T12:00:00Z since the plan (planned against 1.0); plan again to see it',
      ),
      after: holding,
    },
    {
      name: "an update whose version moved, flowops' own with the planned fingerprint: converged",
      given: given(),
      observation: read(live(published())),
      action: done('converged', 'version 2.0 was published by flowops-client by flowops with the planned content'),
    },
    {
      name: "an update whose version moved, flowops' own client with another fingerprint: stale",
      given: given(),
      observation: read(live(published(OTHER_FP))),
      action: done(
        'stale',
        'refused: version 2.0 was published by flowops-client since the plan (planned against 1.0); plan again to see it',
      ),
    },
    {
      name: "an update whose version moved, another client with a copy of flowops' note: stale (a copied note proves nothing)",
      given: given(),
      observation: read(live(published(PLANNED_FP, 'other-tool'))),
      action: done(
        'stale',
        'refused: version 2.0 was published by other-tool since the plan (planned against 1.0); plan again to see it',
      ),
    },
    {
      name: "a republish whose version moved, flowops' own with the planned fingerprint: goes on (the module changed under it)",
      given: given({ action: 'republish', state: holding }),
      observation: read(live(published())),
      action: { kind: 'publish', progress: ['publishing'] },
    },
    {
      name: 'a description edited without a publish: stale',
      given: given({ plan: { liveDescription: 'Main number' } }),
      observation: read(live({ description: 'Edited in the UI' })),
      action: done(
        'stale',
        'refused: its description was edited since the plan (version 1.0 unchanged); plan again to see it',
      ),
    },
    {
      name: 'an update of a flow deleted since the plan: stale',
      given: given(),
      observation: read(undefined),
      action: done('stale', 'refused: it was deleted since the plan; plan again to see it'),
    },
    {
      name: 'a create that someone created since the plan: stale',
      given: given({ action: 'create' }),
      observation: read(live({ publishedVersion: { id: '1.0', createdBy: 'jane' } })),
      action: done(
        'stale',
        'refused: it was created since the plan (version 1.0 was published by jane); plan again to see it',
      ),
    },
    {
      name: 'a create that flowops published since the plan with the planned fingerprint: converged',
      given: given({ action: 'create' }),
      observation: read(live(published())),
      action: done('converged', 'it exists already, published by flowops with the planned content'),
    },
    {
      name: 'a create with nothing there: publish',
      given: given({ action: 'create' }),
      observation: read(undefined),
      action: { kind: 'publish', progress: ['publishing'] },
    },
    {
      name: 'a delete of a flow already gone: converged',
      given: given({ action: 'delete' }),
      observation: read(undefined),
      action: done('converged', 'it is already gone'),
    },
    {
      name: 'a delete of a flow whose version moved: stale',
      given: given({ action: 'delete' }),
      observation: read(live({ publishedVersion: { id: '2.0', createdBy: 'jane' } })),
      action: done('stale', 'refused: version 2.0 was published by jane since the plan; plan again to see it'),
    },
  ])('$name', check);
});

describe('nextStep: deletes, renames, the job', () => {
  const consumers = [{ type: 'IVR', name: 'Main number' }];
  it.each<Row>([
    {
      name: 'a delete, the flow as planned: ask what points at it',
      given: given({ action: 'delete' }),
      observation: read(live()),
      action: { kind: 'check-consumers', flowId: 'id-1' },
    },
    {
      name: 'a delete of a flow an interrupted apply left locked: taken over, then ask',
      given: given({ action: 'delete' }),
      observation: read(live({ lockedBy: OWN })),
      action: { kind: 'check-consumers', flowId: 'id-1', progress: ['taking over the lock an interrupted apply left'] },
      after: holding,
    },
    {
      name: 'something points at it now: refused, not deleted',
      given: given({ action: 'delete', state: { live: live(), doing: { kind: 'check-consumers', flowId: 'id-1' } } }),
      observation: { kind: 'consumers', consumers },
      action: done('failed', 'refused: IVR "Main number" routes to it; it is not deleted'),
    },
    {
      name: 'the plan refused it, nothing points at it now: still refused',
      given: given({ action: 'delete', plan: { consumers }, state: { live: live() } }),
      observation: { kind: 'consumers', consumers: [] },
      action: done(
        'failed',
        'refused by the plan (IVR "Main number" routes to it then); nothing points at it now: plan again to delete it',
      ),
    },
    {
      name: 'nothing points at it: delete',
      given: given({ action: 'delete', state: { live: live() } }),
      observation: { kind: 'consumers', consumers: [] },
      action: { kind: 'delete', flowId: 'id-1', progress: ['deleting'] },
    },
    {
      name: 'deleted: done, no lock left to release',
      given: given({ action: 'delete', state: { ...holding, live: live() } }),
      observation: { kind: 'deleted' },
      action: done('deleted'),
      after: { holding: undefined },
    },
    {
      name: 'a rename: the name first, under the lock',
      given: given({ action: 'rename', plan: { renamedFrom: 'Old Line' }, state: holding }),
      observation: read(live({ name: 'Old Line' })),
      action: { kind: 'rename', flowId: 'id-1', progress: ['renaming from "Old Line"'] },
    },
    {
      name: 'renamed: publish',
      given: given({ action: 'rename', state: holding }),
      observation: { kind: 'renamed' },
      action: { kind: 'publish', progress: ['publishing'] },
    },
    {
      name: 'a rename whose flow has the name already (an interrupted run): publish',
      given: given({ action: 'rename', state: holding }),
      observation: read(live()),
      action: { kind: 'publish', progress: ['publishing'] },
    },
    {
      name: 'publishing on a later attempt says so',
      given: given({ state: { ...holding, attempt: 2 } }),
      observation: read(live()),
      action: { kind: 'publish', progress: ['publishing (attempt 2)'] },
    },
    {
      name: 'uploaded: wait for the job (out of the slot)',
      given: given({ state: holding }),
      observation: { kind: 'uploaded' },
      action: { kind: 'await-job' },
      after: holding,
    },
    {
      name: 'the job published: the lock went with it; verify',
      given: given({ state: holding }),
      observation: { kind: 'published', flowId: 'id-1' },
      action: { kind: 'verify', flowId: 'id-1', progress: ['verifying the published version'] },
      after: { holding: undefined },
    },
    {
      name: "the job published and the listing sent with its last check shows flowops' version with the planned fingerprint: applied, no further read",
      given: given({ state: holding }),
      observation: { kind: 'published', flowId: 'id-1', readAhead: live(published()) },
      action: { kind: 'done', status: 'applied', attempts: 1, publishedVersion: '2.0' },
      after: { holding: undefined },
    },
    {
      name: 'a listing taken before the publish landed (still the planned version): verify',
      given: given({ state: holding }),
      observation: { kind: 'published', flowId: 'id-1', readAhead: live() },
      action: { kind: 'verify', flowId: 'id-1', progress: ['verifying the published version'] },
      after: { holding: undefined },
    },
    {
      name: 'a listing that shows another client or another fingerprint is no verdict: verify (which judges it)',
      given: given({ state: holding }),
      observation: { kind: 'published', flowId: 'id-1', readAhead: live(published(OTHER_FP)) },
      action: { kind: 'verify', flowId: 'id-1', progress: ['verifying the published version'] },
      after: { holding: undefined },
    },
    {
      name: 'no listing came with the check (it failed): verify',
      given: given({ state: holding }),
      observation: { kind: 'published', flowId: 'id-1', readAhead: undefined },
      action: { kind: 'verify', flowId: 'id-1', progress: ['verifying the published version'] },
      after: { holding: undefined },
    },
  ])('$name', check);
});

describe('nextStep: verification', () => {
  const verifying = given({ state: { doing: { kind: 'verify', flowId: 'id-1' } } });
  it.each<Row>([
    {
      name: "flowops' own version with the planned fingerprint: applied",
      given: verifying,
      observation: { kind: 'read-back', live: live(published()) },
      action: { kind: 'done', status: 'applied', attempts: 1, publishedVersion: '2.0' },
    },
    {
      name: 'applied on a later attempt: counted',
      given: given({ state: { attempt: 3 } }),
      observation: { kind: 'read-back', live: live(published()) },
      action: { kind: 'done', status: 'applied', attempts: 3, publishedVersion: '2.0' },
    },
    {
      name: 'the flow is gone',
      given: verifying,
      observation: { kind: 'read-back', live: undefined },
      action: done('failed', 'the job succeeded but the flow has no published version'),
    },
    {
      name: 'no published version',
      given: verifying,
      observation: { kind: 'read-back', live: live({ publishedVersion: undefined }) },
      action: done('failed', 'the job succeeded but the flow has no published version'),
    },
    {
      name: 'still the planned version',
      given: verifying,
      observation: { kind: 'read-back', live: live() },
      action: done('failed', 'the job succeeded but the published version is still 1.0'),
    },
    {
      name: 'published by another client, even with the planned note',
      given: verifying,
      observation: { kind: 'read-back', live: live(published(PLANNED_FP, 'other-client')) },
      action: done(
        'failed',
        "version 2.0 was published by other-client, not as flowops' own (its creator or its description note differs)",
      ),
    },
    {
      name: "flowops' own client, another fingerprint",
      given: verifying,
      observation: { kind: 'read-back', live: live(published(OTHER_FP)) },
      action: done(
        'failed',
        "version 2.0 was published but its note carries another fingerprint than the planned content's",
      ),
    },
    {
      name: "flowops' own client, no note",
      given: verifying,
      observation: { kind: 'read-back', live: live({ ...published(), description: 'Main number' }) },
      action: done(
        'failed',
        "version 2.0 was published by flowops-client, not as flowops' own (its creator or its description note differs)",
      ),
    },
    {
      name: 'the read-back itself failed (503 after the session gave up): another attempt',
      given: verifying,
      observation: failed({ status: 503, message: 'list flows failed: 503' }),
      action: { kind: 'wait', ms: 750, progress: ['list flows failed: 503; retrying in 0.8 s'] },
      after: { attempt: 2 },
    },
  ])('$name', check);
});

describe('nextStep: retries (maxAttempts 3, backoff 1 s doubling, jitter sample 0.5)', () => {
  const publishing = { ...holding, doing: { kind: 'await-job' } as Action };
  const retried = (message: string, ms: number, attempt: number): Pick<Row, 'action' | 'after'> => ({
    action: { kind: 'wait', ms, progress: [`${message}; retrying in ${(ms / 1000).toFixed(1)} s`] },
    after: { attempt, ...holding },
  });
  it.each<Row>([
    {
      name: 'a transient job failure: attempt 2 after 0.75 s',
      given: given({ state: publishing }),
      observation: job('transient'),
      ...retried('job failed (transient)', 750, 2),
    },
    {
      name: 'a job that timed out: retried',
      given: given({ state: publishing }),
      observation: job('timeout'),
      ...retried('job failed (timeout)', 750, 2),
    },
    {
      name: 'a job conflict (a version race): retried',
      given: given({ state: publishing }),
      observation: job('conflict'),
      ...retried('job failed (conflict)', 750, 2),
    },
    {
      name: 'the second attempt waits twice as long',
      given: given({ state: { ...publishing, attempt: 2 } }),
      observation: job('transient'),
      ...retried('job failed (transient)', 1_500, 3),
    },
    {
      name: 'attempts exhausted: fails with the last reason',
      given: given({ state: { ...publishing, attempt: 3 } }),
      observation: job('transient'),
      action: done('failed', 'job failed (transient)', 3),
      after: holding,
    },
    {
      name: 'an invalid flow: never retried',
      given: given({ state: publishing }),
      observation: job('invalid'),
      action: done('failed', 'job failed (invalid)'),
    },
    {
      name: 'a missing dependency: never retried',
      given: given({ state: publishing }),
      observation: job('missing-dependency'),
      action: done('failed', 'job failed (missing-dependency)'),
    },
    {
      name: 'an unknown job failure: never retried',
      given: given({ state: publishing }),
      observation: job('unknown'),
      action: done('failed', 'job failed (unknown)'),
    },
    ...[408, 429, 500, 502, 503, 504, 409, 501].map(
      (status): Row => ({
        name: `a ${status} the session gave up on: another attempt after re-reading`,
        given: given({ state: publishing }),
        observation: failed({ status, message: `HTTP ${status}` }),
        ...retried(`HTTP ${status}`, 750, 2),
      }),
    ),
    {
      name: 'no answer at all (a connection refused mid-apply): another attempt',
      given: given({ state: publishing }),
      observation: failed({ message: 'connection refused' }),
      ...retried('connection refused', 750, 2),
    },
    {
      name: 'a 429 on the last attempt: fails',
      given: given({ state: { ...publishing, attempt: 3 } }),
      observation: failed({ status: 429, message: 'still rate limited (429) after 6 attempts' }),
      action: done('failed', 'still rate limited (429) after 6 attempts', 3),
    },
    ...[400, 401, 403, 404].map(
      (status): Row => ({
        name: `a ${status}: never retried`,
        given: given({ state: publishing }),
        observation: failed({ status, message: `HTTP ${status}` }),
        action: done('failed', `HTTP ${status}`),
      }),
    ),
    {
      name: 'not a remote error (a bug): never retried',
      given: given({ state: publishing }),
      observation: failed({ remote: false, message: 'TypeError: x is undefined' }),
      action: done('failed', 'TypeError: x is undefined'),
    },
    {
      name: 'a failure before the upload (registering the job): retried like any',
      given: given({ state: { ...holding, doing: { kind: 'publish' } } }),
      observation: failed({ status: 503, message: 'HTTP 503' }),
      ...retried('HTTP 503', 750, 2),
    },
    {
      name: 'a lock before the look failing otherwise (503): retried',
      given: given({ state: { doing: lockFirst } }),
      observation: failed({ status: 503, message: 'HTTP 503' }),
      action: { kind: 'wait', ms: 750, progress: ['HTTP 503; retrying in 0.8 s'] },
      after: { attempt: 2, holding: undefined },
    },
    {
      name: 'a job refused by a lock, lock policy fail: fails at once',
      given: given({ state: publishing }),
      observation: job('locked'),
      action: done('failed', 'job failed (locked)'),
    },
    {
      name: 'a job refused by a lock, lock policy wait: waited out like a lock, not a failed attempt',
      given: given({ rules: { lockPolicy: 'wait' }, state: publishing }),
      observation: { ...job('locked'), at: 2_000 } as Observation,
      action: { kind: 'wait', ms: 750, progress: ['job failed (locked); retrying in 0.8 s'] },
      after: { attempt: 1, lockWaitStarted: 2_000 },
    },
    {
      name: 'a job refused by a lock, --force-unlock: the next look unlocks it',
      given: given({ rules: { forceUnlock: true }, state: { ...publishing, attempt: 3 } }),
      observation: job('locked'),
      action: { kind: 'wait', ms: 3_000, progress: ['job failed (locked); retrying in 3.0 s'] },
      after: { attempt: 3 },
    },
    {
      name: 'a job refused by a lock, lock policy wait, the bound reached: fails (having said it would retry)',
      given: given({ rules: { lockPolicy: 'wait' }, state: { ...publishing, lockWaitStarted: 1_000 } }),
      observation: { ...job('locked'), at: 11_000 } as Observation,
      action: { ...done('failed', 'job failed (locked)'), progress: ['job failed (locked); retrying in 0.8 s'] },
    },
  ])('$name', check);
});

describe('failureOf: what nextStep reads of an error', () => {
  it.each<[string, unknown, unknown]>([
    [
      'a RemoteError with a status',
      new RemoteError('delete failed: 409\nmore', 409),
      { message: 'delete failed: 409', status: 409, remote: true },
    ],
    [
      'a RemoteError without an answer',
      new RemoteError('cannot reach api: connection refused'),
      { message: 'cannot reach api: connection refused', remote: true },
    ],
    [
      'a failed Architect job',
      new FlowJobError({ jobId: 'j1', reason: 'transient', messages: ['Transient failure: try again'] }),
      {
        message: 'Architect job j1 transient failure: Transient failure: try again',
        remote: true,
        jobReason: 'transient',
      },
    ],
    ['any other error', new TypeError('x is undefined'), { message: 'x is undefined', remote: false }],
    ['not an error', 'boom', { message: 'boom', remote: false }],
  ])('%s', (_name, error, failure) => {
    expect(failureOf(error)).toEqual(failure);
  });
});

/**
 * The one retry policy (genesys/should-retry.ts), side by side: a request sent again as it is by
 * the session, and a flow's attempt begun again by apply after re-reading the flow.
 */
describe('the retry policy: a request sent again, a flow attempt begun again', () => {
  const request = {
    maxAttempts: 6,
    baseDelayMs: 500,
    maxDelayMs: 16_000,
    maxRetryAfterMs: 60_000,
    random: () => 0.5,
    now: () => 0,
  };
  const attempt = { maxAttempts: 5, baseDelayMs: 1_000 };
  it.each<[string, { status?: number; code?: string; headers?: Record<string, string> }, number | null, number | null]>(
    [
      [
        'a 429 with Retry-After: the request waits what it says; the attempt backs off',
        { status: 429, headers: { 'retry-after': '3' } },
        3_000,
        750,
      ],
      ['a 429 with a huge Retry-After: capped', { status: 429, headers: { 'retry-after': '86400' } }, 60_000, 750],
      ['a 429 without Retry-After: both back off', { status: 429 }, 375, 750],
      ['a 503 with Retry-After', { status: 503, headers: { 'retry-after': '2' } }, 2_000, 750],
      ['a 500', { status: 500 }, 375, 750],
      ['a 408', { status: 408 }, 375, 750],
      ['a connection reset', { code: 'ECONNRESET' }, 375, 750],
      ['a 409: the same request would conflict again; the attempt re-reads first', { status: 409 }, null, 750],
      ['a 501: sent again it never works; the attempt tries after a re-read', { status: 501 }, null, 750],
      ['a connection refused: a wrong URL for a request; mid-apply, a restart', { code: 'ECONNREFUSED' }, null, 750],
      ['a 400', { status: 400 }, null, null],
      ['a 401 (the session logs in again once, apart from this)', { status: 401 }, null, null],
      ['a 403', { status: 403 }, null, null],
      ['a 404', { status: 404 }, null, null],
    ],
  )('%s', (_name, { status, code, headers = {} }, requestDelay, attemptDelay) => {
    expect(
      shouldRetry(
        { ...(status === undefined ? {} : { status }), ...(code === undefined ? {} : { code }), headers },
        1,
        request,
      ),
    ).toBe(requestDelay);
    // A RemoteError keeps the status; a network code is gone by then (no answer: no status).
    expect(shouldRetryAttempt({ ...(status === undefined ? {} : { status }), remote: true }, 1, attempt, 0.5)).toBe(
      attemptDelay,
    );
  });

  it.each<[string, number, number, number | null, number | null]>([
    ['the last but one', 5, 4, 6_000, 6_000],
    ['exhausted', 6, 5, null, null],
  ])('attempts: %s', (_name, requestAttempt, flowAttempt, requestDelay, attemptDelay) => {
    expect(shouldRetry({ status: 503, headers: {} }, requestAttempt, request)).toBe(requestDelay);
    expect(shouldRetryAttempt({ status: 503, remote: true }, flowAttempt, attempt, 0.5)).toBe(attemptDelay);
  });
});
