import type { PlannedFlow } from '../plan/types.js';
import type { LiveFlowState } from './types.js';

export type LiveCheck =
  | { kind: 'proceed' }
  | { kind: 'converged'; reason: string }
  | { kind: 'stale'; reason: string }
  | { kind: 'locked'; holder: string };

/**
 * Whether the live flow's published content must be read to decide: it must when the published
 * version moved since the plan (or a flow to create appeared), since only the content says whether
 * that new version is harmless.
 */
export function needsLiveContent(planned: PlannedFlow, live: LiveFlowState | undefined): boolean {
  if (!live?.publishedVersion) return false;
  if (planned.action === 'create') return true;
  return live.publishedVersion.id !== planned.livePublishedVersion?.id;
}

/**
 * The re-check before a write: never overwrite an edit the approved plan did not show. Pure.
 * `liveHash` is the hash of the live published content, when needsLiveContent said to read it.
 */
export function checkLive(planned: PlannedFlow, live: LiveFlowState | undefined, liveHash: string | undefined, ownClientId: string): LiveCheck {
  if (planned.action === 'create') {
    if (live?.publishedVersion) {
      if (liveHash === planned.desiredHash) return { kind: 'converged', reason: 'it exists already with the planned content' };
      return { kind: 'stale', reason: `it was created since the plan (${describeVersion(live)}) with other content` };
    }
  } else if (planned.action === 'delete') {
    if (!live) return { kind: 'converged', reason: 'it is already gone' };
    if (live.publishedVersion?.id !== planned.livePublishedVersion?.id) return { kind: 'stale', reason: `${describeVersion(live)} since the plan` };
  } else {
    if (!live) return { kind: 'stale', reason: 'it was deleted since the plan' };
    const moved = live.publishedVersion?.id !== planned.livePublishedVersion?.id;
    if (moved) {
      if (planned.action === 'update' && liveHash !== undefined && liveHash === planned.desiredHash) return { kind: 'converged', reason: `${describeVersion(live)} already has the planned content` };
      if (liveHash === undefined || liveHash !== planned.liveHash) return { kind: 'stale', reason: `${describeVersion(live)} since the plan (planned against ${planned.livePublishedVersion?.id ?? 'no published version'})` };
    }
  }
  if (live?.lockedBy && !lockedByOwnClient(live, ownClientId)) return { kind: 'locked', holder: live.lockedBy };
  return { kind: 'proceed' };
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
