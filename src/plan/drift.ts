import type { DesiredFlow } from '../spec/types.js';
import { liveHashAgainst, parseLive, type LiveFlow } from './build-plan.js';
import { canonicalHash, canonicalize, desiredHashOf } from './canonicalize.js';
import { diffDocuments } from './diff.js';
import type { Change, LiveVersion } from './types.js';

/** The commit flowops wrote into a version's description when it applied it: `[flowops <sha>]`. */
export function appliedCommitOf(content: string): string | undefined {
  const m = /\[flowops ([0-9a-f]{7,40})(?:\+dirty)?(?: [^\]]*)?\]/.exec(content);
  return m?.[1];
}

export interface DriftedFlow {
  id: string;
  type: string;
  name: string;
  path: string;
  liveFlowId: string;
  livePublishedVersion?: LiveVersion;
  /** The commit flowops last applied to this flow, when the live version says. */
  appliedCommit?: string;
  /** From what git says is applied, to what is live. */
  changes: Change[];
}

export interface DriftReport {
  environment: string;
  /** Live content differs from what was applied: someone published it outside flowops. */
  drifted: DriftedFlow[];
  /** Live content is what flowops applied, but the repository has changed since: plan and apply. */
  pending: string[];
  /** In the repository, not in the org. */
  missing: string[];
  inSync: number;
}

/**
 * The desired flows whose live content differs from the repository's: only for these does drift
 * need the content of the commit they were applied from (reading a thousand files from git for
 * flows in sync costs seconds and changes nothing). Pure.
 */
export function flowsDifferingLive(desired: readonly DesiredFlow[], live: readonly LiveFlow[]): DesiredFlow[] {
  const liveById = new Map(live.map((f) => [`${f.type}:${f.name}`, f]));
  return desired.filter((d) => {
    const id = `${d.type}:${d.name}`;
    const l = liveById.get(id);
    if (!l || l.content === undefined) return false;
    const desiredHash = desiredHashOf(d);
    return liveHashAgainst(l, d, desiredHash, id) !== desiredHash;
  });
}

/**
 * Drift is the org having moved away from what git says was applied. For each flow, the reference
 * is the content at the commit the live version was applied from (its `[flowops <sha>]` note, read
 * by the caller from git), or the repository's content when no such commit is known. Pure.
 */
export function detectDrift(input: {
  environment: string;
  desired: readonly DesiredFlow[];
  live: readonly LiveFlow[];
  /**
   * Flow id -> the flow's document at the commit its live version was applied from: needed only for
   * the flows whose live content differs (flowsDifferingLive).
   */
  applied: ReadonlyMap<string, Record<string, unknown>>;
}): DriftReport {
  const liveById = new Map(input.live.map((f) => [`${f.type}:${f.name}`, f]));
  const report: DriftReport = { environment: input.environment, drifted: [], pending: [], missing: [], inSync: 0 };
  for (const desired of input.desired) {
    const id = `${desired.type}:${desired.name}`;
    const live = liveById.get(id);
    if (!live || live.content === undefined) {
      report.missing.push(id);
      continue;
    }
    const desiredHash = desiredHashOf(desired);
    const liveHash = liveHashAgainst(live, desired, desiredHash, id);
    if (liveHash === desiredHash) {
      report.inSync++;
      continue;
    }
    const appliedDoc = input.applied.get(id);
    if (appliedDoc && canonicalHash(appliedDoc) === liveHash) {
      report.pending.push(id);
      continue;
    }
    const reference = canonicalize(appliedDoc ?? desired.document);
    const flow: DriftedFlow = { id, type: desired.type, name: desired.name, path: desired.path, liveFlowId: live.id, changes: diffDocuments(reference, canonicalize(parseLive(live, id))).changes };
    if (live.publishedVersion) flow.livePublishedVersion = live.publishedVersion;
    const commit = appliedCommitOf(live.content);
    if (commit) flow.appliedCommit = commit;
    report.drifted.push(flow);
  }
  return report;
}
