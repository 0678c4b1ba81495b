/**
 * Drift: live versions published by someone else since flowops' own, and what they changed.
 * Pure: the caller reads the listing, the exports of the flows identity cannot decide, and the
 * exports of flowops' own last versions of the flows someone else published.
 *
 * - A flow still on flowops' own version (its client, its note) is in sync when the fingerprint is
 *   the files' (nothing exported), and otherwise compared by content: equal is in sync (for example
 *   after a change of the fingerprint's key or scheme), different is pending (the files changed
 *   since: plan and apply), never drift.
 * - A flow whose live version someone else published is drift, shown as the export of flowops' last
 *   version against the export of theirs, both in the normal form (an exporter upgrade changes
 *   both alike). Never published by flowops: the files against the live export.
 */
import { desiredDocument, type DesiredFlow } from '../check/index.js';
import { liveDocument, liveHashOf, parseLive, type LiveFlow } from './build-plan.js';
import { diffDocuments } from './diff.js';
import {
  holdsDesired,
  idOf,
  keyOf,
  normalForm,
  normalHash,
  noteCommit,
  ownNote,
  readNote,
  type Identity,
} from '../identity/index.js';
import { secretMaskOf } from './secrets.js';
import type { Change, LiveVersion } from './types.js';

export interface DriftedFlow {
  id: string;
  type: string;
  name: string;
  path: string;
  liveFlowId: string;
  livePublishedVersion?: LiveVersion;
  /** flowops' last version of the flow, the one the changes are shown against (absent: never published by flowops). */
  ownVersion?: LiveVersion;
  /** The commit the flow's description note names, when it has one. */
  appliedCommit?: string;
  /** From flowops' last version (or the files) to what is live. */
  changes: Change[];
}

export interface DriftReport {
  environment: string;
  /** Published by someone else since flowops' own version, with other content. */
  drifted: DriftedFlow[];
  /** Live content is what flowops applied, but the repository has changed since: plan and apply. */
  pending: string[];
  /** In the repository, not in the org. */
  missing: string[];
  inSync: number;
}

/** flowops' last version of a flow someone else published since, with its export. */
export interface OwnVersion {
  version: LiveVersion;
  content: string;
}

/** The live flows whose published version is not flowops' own: drift needs flowops' last version of each. */
export function flowsPublishedByOthers(
  desired: readonly DesiredFlow[],
  live: readonly LiveFlow[],
  identity: Identity,
): LiveFlow[] {
  const wanted = new Set(desired.map(keyOf));
  return live.filter((l) => wanted.has(keyOf(l)) && l.publishedVersion && !ownNote(l, identity.clientId));
}

/** The newest published version that flowops' client created, among a flow's versions. */
export function lastOwnVersion(versions: readonly LiveVersion[], clientId: string): LiveVersion | undefined {
  const own = versions.filter((v) => v.createdByClientId === clientId && v.datePublished);
  return own.sort((a, b) => Number.parseFloat(b.id) - Number.parseFloat(a.id))[0];
}

export function detectDrift(input: {
  environment: string;
  desired: readonly DesiredFlow[];
  live: readonly LiveFlow[];
  identity: Identity;
  /** Flow key (identity/flow-key.ts) -> flowops' last version, for the flows flowsPublishedByOthers named. */
  ownVersions: ReadonlyMap<string, OwnVersion>;
}): DriftReport {
  const liveByKey = new Map(input.live.map((f) => [keyOf(f), f]));
  const report: DriftReport = { environment: input.environment, drifted: [], pending: [], missing: [], inSync: 0 };
  for (const desired of input.desired) {
    const id = idOf(desired);
    const live = liveByKey.get(keyOf(desired));
    if (!live?.publishedVersion) {
      report.missing.push(id);
      continue;
    }
    if (holdsDesired(live, desired, input.identity)) {
      report.inSync++;
      continue;
    }
    // The live hash readLive worked out (and cached), against the files'.
    const document = desiredDocument(desired);
    const matchesFiles = liveHashOf(live, id) === normalHash(document);
    if (ownNote(live, input.identity.clientId)) {
      if (matchesFiles) report.inSync++;
      else report.pending.push(id);
      continue;
    }
    const own = input.ownVersions.get(keyOf(desired));
    const reference = own ? parseLive({ ...live, content: own.content }, id) : document;
    // Secret places are the files': the same places on both sides (flowops' version and theirs) are masked.
    const secrets = secretMaskOf(document, desired.secretPlaces);
    const changes = diffDocuments(normalForm(reference), normalForm(liveDocument(live, id)), { secrets }).changes;
    if (changes.length === 0) {
      // Someone published again what flowops had published: no edit of theirs to show.
      if (matchesFiles) report.inSync++;
      else report.pending.push(id);
      continue;
    }
    const flow: DriftedFlow = {
      id,
      type: desired.type,
      name: desired.name,
      path: desired.path,
      liveFlowId: live.id,
      livePublishedVersion: live.publishedVersion,
      changes,
    };
    if (own) flow.ownVersion = own.version;
    const commit = noteCommit(readNote(live.description));
    if (commit) flow.appliedCommit = commit;
    report.drifted.push(flow);
  }
  return report;
}
