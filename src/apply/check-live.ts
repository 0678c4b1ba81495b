/**
 * The live flow's checks, pure: the re-check before a write (`checkLive`) and the check of what the
 * job published (`checkPublished`). apply's next-step.ts decides on their answers.
 */
import type { PlannedFlow } from '../plan/types.js';
import { authoredDescription, ownNote } from '../identity/index.js';
import type { LiveFlowState } from './types.js';

export type LiveCheck =
  | { kind: 'proceed' }
  | { kind: 'converged'; reason: string }
  | { kind: 'stale'; reason: string }
  | { kind: 'locked'; holder: string };

/**
 * The re-check before a write: never overwrite an edit the approved plan did not show. Pure. A
 * published version that moved since the plan is harmless only when it is flowops' own with the
 * planned fingerprint (identity, no export): an update then has converged, a republish goes on.
 * Anything else is someone's edit, refused as stale and kept.
 */
export function checkLive(planned: PlannedFlow, live: LiveFlowState | undefined, ownClientId: string): LiveCheck {
  const fingerprint = planned.desiredFingerprint;
  const holdsPlanned =
    live !== undefined && fingerprint !== undefined && ownNote(live, ownClientId)?.fingerprint === fingerprint;
  if (planned.action === 'create') {
    if (live?.publishedVersion) {
      if (holdsPlanned)
        return { kind: 'converged', reason: 'it exists already, published by flowops with the planned content' };
      return { kind: 'stale', reason: `it was created since the plan (${describeVersion(live)})` };
    }
  } else if (planned.action === 'delete') {
    if (!live) return { kind: 'converged', reason: 'it is already gone' };
    if (live.publishedVersion?.id !== planned.livePublishedVersion?.id)
      return { kind: 'stale', reason: `${describeVersion(live)} since the plan` };
  } else {
    if (!live) return { kind: 'stale', reason: 'it was deleted since the plan' };
    const moved = live.publishedVersion?.id !== planned.livePublishedVersion?.id;
    if (moved) {
      if (holdsPlanned && (planned.action === 'update' || (planned.action === 'rename' && live.name === planned.name)))
        return { kind: 'converged', reason: `${describeVersion(live)} by flowops with the planned content` };
      if (!holdsPlanned)
        return {
          kind: 'stale',
          reason: `${describeVersion(live)} since the plan (planned against ${planned.livePublishedVersion?.id ?? 'no published version'})`,
        };
    } else if (
      planned.liveDescription !== undefined &&
      (authoredDescription(live.description) ?? '') !== planned.liveDescription
    ) {
      // The description changed without a publish (it lives on the flow, not its versions).
      return {
        kind: 'stale',
        reason: `its description was edited since the plan (version ${live.publishedVersion?.id ?? '?'} unchanged)`,
      };
    }
  }
  if (live?.lockedBy && !lockedByOwnClient(live, ownClientId)) return { kind: 'locked', holder: live.lockedBy };
  return { kind: 'proceed' };
}

export type PublishedCheck = { kind: 'verified'; version: string } | { kind: 'refused'; reason: string };

/**
 * The check after the job: the flow's new published version must be flowops' own with the planned
 * fingerprint (identity: the listing says so, nothing is exported). Pure; `live` is the flow read
 * back once the job succeeded.
 */
export function checkPublished(
  planned: PlannedFlow,
  live: LiveFlowState | undefined,
  ownClientId: string,
): PublishedCheck {
  const version = live?.publishedVersion?.id;
  if (!live || !version) return { kind: 'refused', reason: 'the job succeeded but the flow has no published version' };
  if (version === planned.livePublishedVersion?.id)
    return { kind: 'refused', reason: `the job succeeded but the published version is still ${version}` };
  const note = ownNote(live, ownClientId);
  if (!note)
    return {
      kind: 'refused',
      reason: `version ${version} was published${live.publishedVersion?.createdBy ? ` by ${live.publishedVersion.createdBy}` : ''}, not as flowops' own (its creator or its description note differs)`,
    };
  if (note.fingerprint !== planned.desiredFingerprint)
    return {
      kind: 'refused',
      reason: `version ${version} was published but its note carries another fingerprint than the planned content's`,
    };
  return { kind: 'verified', version };
}

/**
 * The lock is held by the OAuth client apply runs as: taken by this apply, or left by an earlier one
 * that was interrupted between its lock and its job. By the client's id; by name where the org shows
 * no id (the name of an OAuth client is not unique, its id is).
 */
export function lockedByOwnClient(live: LiveFlowState, ownClientId: string): boolean {
  if (live.lockedByClientId !== undefined) return live.lockedByClientId === ownClientId;
  return live.lockedBy !== undefined && live.lockedBy === ownClientId;
}

function describeVersion(live: LiveFlowState): string {
  const v = live.publishedVersion;
  if (!v) return 'it has no published version';
  return `version ${v.id} was published${v.createdBy ? ` by ${v.createdBy}` : ''}${v.datePublished ? ` at ${v.datePublished}` : ''}`;
}
