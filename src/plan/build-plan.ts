import { parseLiveYaml } from './parse-live.js';
import type { DependencyGraph, DesiredFlow } from '../spec/types.js';
import { isPublishedText } from './audit-note.js';
import { canonicalHash, canonicalize, desiredHashOf } from './canonicalize.js';
import { diffDocuments } from './diff.js';
import type { LiveVersion, Plan, PlanAction, PlannedFlow, PlanSummary } from './types.js';

/** A flow as the org has it: metadata, and the published content when it was exported. */
export interface LiveFlow {
  id: string;
  type: string;
  name: string;
  publishedVersion?: LiveVersion;
  /** The published version's Archy YAML; absent when the flow was never published. */
  content?: string;
  /**
   * canonicalHash of that YAML's document, when the caller worked it out (and kept it between runs):
   * a flow whose hash equals the desired one is unchanged without being parsed again.
   */
  hash?: string;
}

export interface PlanInput {
  desired: readonly DesiredFlow[];
  graph: DependencyGraph;
  live: readonly LiveFlow[];
  environment: string;
  gitCommit?: string;
  createdAt: string;
  /** Delete live flows of the managed types that no file describes. */
  prune?: boolean;
}

export class PlanError extends Error {
  constructor(
    message: string,
    readonly flowId: string,
  ) {
    super(message);
  }
}

/**
 * Pairs desired and live flows by (type, name), compares their canonical content and decides
 * each flow's action. Pure: everything it needs is in `input`.
 */
export function buildPlan(input: PlanInput): Plan {
  const liveById = new Map(input.live.map((f) => [key(f.type, f.name), f]));
  const desiredById = new Map(input.desired.map((f) => [key(f.type, f.name), f]));
  const planned = new Map<string, PlannedFlow>();

  for (const id of input.graph.order) {
    const desired = desiredById.get(id);
    if (!desired) continue;
    planned.set(id, planOne(desired, liveById.get(id), input.graph.dependsOn[id] ?? []));
  }
  // Genesys snapshots a module into its callers at publish: callers of a changed module must be
  // published again, after it. The graph order visits modules first.
  for (const id of input.graph.order) {
    const flow = planned.get(id);
    if (!flow || flow.action !== 'unchanged') continue;
    const changed = flow.dependsOn.filter((dep) => {
      const a = planned.get(dep)?.action;
      return a === 'create' || a === 'update';
    });
    // A caller published before its module's current version still runs the module's older
    // snapshot (an earlier republish failed or was interrupted, or the module was published in the
    // Architect UI): it is republished too, so the org ends up running what the files say.
    const outdated = flow.dependsOn.filter((dep) => {
      const module = planned.get(dep);
      return module?.action === 'unchanged' && publishedBefore(flow.livePublishedVersion, module.livePublishedVersion);
    });
    const reasons: string[] = [];
    if (changed.length) reasons.push(`${changed.map(describeId).join(', ')} ${changed.length === 1 ? 'changes' : 'change'}`);
    for (const dep of outdated) {
      const v = planned.get(dep)!.livePublishedVersion!;
      reasons.push(`${describeId(dep)} was published after it (version ${v.id}, ${v.datePublished}): it still runs an earlier copy of the module`);
    }
    if (reasons.length) {
      flow.action = 'republish';
      flow.reason = reasons.join('; ');
    }
  }

  const managedTypes = new Set(input.desired.map((f) => f.type));
  const orphans = input.live.filter((f) => managedTypes.has(f.type) && !desiredById.has(key(f.type, f.name)));
  const deletes: PlannedFlow[] = [];
  if (input.prune) {
    const called = new Set(input.desired.flatMap((f) => f.calls.map((m) => key('commonmodule', m))));
    for (const live of orphans) {
      const id = key(live.type, live.name);
      if (called.has(id)) throw new PlanError(`cannot delete ${describeId(id)}: flows in this repository still call it`, id);
      const flow: PlannedFlow = { id, type: live.type, name: live.name, action: 'delete', liveFlowId: live.id, patch: [], changes: [], dependsOn: [] };
      if (live.publishedVersion) flow.livePublishedVersion = live.publishedVersion;
      if (live.content !== undefined) flow.liveHash = liveHashOf(live, id);
      deletes.push(flow);
    }
    // Callers are deleted before the modules they call: non-modules first.
    deletes.sort((x, y) => Number(x.type === 'commonmodule') - Number(y.type === 'commonmodule') || x.id.localeCompare(y.id));
  }

  const flows = [...planned.values(), ...deletes];
  const plan: Plan = {
    formatVersion: 1,
    environment: input.environment,
    createdAt: input.createdAt,
    flows,
    summary: summarize(flows),
    unmanaged: input.prune ? [] : orphans.map((f) => key(f.type, f.name)).sort(),
  };
  if (input.gitCommit) plan.gitCommit = input.gitCommit;
  return plan;
}

function planOne(desired: DesiredFlow, live: LiveFlow | undefined, dependsOn: string[]): PlannedFlow {
  const id = key(desired.type, desired.name);
  const desiredHash = desiredHashOf(desired);
  const flow: PlannedFlow = {
    id,
    type: desired.type,
    name: desired.name,
    action: 'create',
    path: desired.path,
    desiredHash,
    patch: [],
    changes: [],
    dependsOn,
  };
  if (!live) return flow;
  flow.liveFlowId = live.id;
  if (live.publishedVersion) flow.livePublishedVersion = live.publishedVersion;
  if (live.content === undefined) {
    // It exists but was never published: publishing the desired content is an update.
    flow.action = 'update';
    flow.reason = 'the flow exists but has no published version';
    return flow;
  }
  flow.liveHash = liveHashAgainst(live, desired, desiredHash, id);
  if (flow.liveHash === desiredHash) {
    flow.action = 'unchanged';
    return flow;
  }
  const { patch, changes } = diffDocuments(canonicalize(parseLive(live, id)), canonicalize(desired.document));
  flow.action = 'update';
  flow.patch = patch;
  flow.changes = changes;
  return flow;
}

/** The canonical hash of the live content: the caller's, or worked out here. */
export function liveHashOf(live: LiveFlow, id: string): string {
  return live.hash ?? canonicalHash(parseLive(live, id));
}

/**
 * The same, beside the desired flow whose hash is `desiredHash`: a published text that is exactly
 * what apply publishes for the desired text has that hash, without being parsed.
 */
export function liveHashAgainst(live: LiveFlow, desired: DesiredFlow, desiredHash: string, id: string): string {
  if (live.hash !== undefined) return live.hash;
  return live.content !== undefined && isPublishedText(desired.text, live.content) ? desiredHash : liveHashOf(live, id);
}

export function parseLive(live: LiveFlow, id: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseLiveYaml(live.content ?? '');
  } catch (err) {
    throw new PlanError(`the published content of ${describeId(id)} (version ${live.publishedVersion?.id ?? '?'}) is not valid YAML: ${(err as Error).message.split('\n')[0]}`, id);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new PlanError(`the published content of ${describeId(id)} is not a flow document`, id);
  return doc as Record<string, unknown>;
}

/** `a` was published strictly before `b` (both dates known). */
function publishedBefore(a: LiveVersion | undefined, b: LiveVersion | undefined): boolean {
  const at = Date.parse(a?.datePublished ?? '');
  const bt = Date.parse(b?.datePublished ?? '');
  return Number.isFinite(at) && Number.isFinite(bt) && at < bt;
}

function summarize(flows: readonly PlannedFlow[]): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, republish: 0, delete: 0, unchanged: 0 };
  for (const f of flows) summary[f.action]++;
  return summary;
}

export function hasChanges(plan: Plan): boolean {
  return plan.flows.some((f) => f.action !== 'unchanged');
}

export function describeId(id: string): string {
  const at = id.indexOf(':');
  return `${id.slice(0, at)} "${id.slice(at + 1)}"`;
}

function key(type: string, name: string): string {
  return `${type.toLowerCase()}:${name}`;
}

export type { PlanAction };
