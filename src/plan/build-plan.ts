import { parseLiveYaml } from './parse-live.js';
import type { DependencyGraph, DesiredFlow } from '../spec/types.js';
import { desiredHashOf } from './canonicalize.js';
import { diffDocuments } from './diff.js';
import { fingerprintOf } from './fingerprint.js';
import { authoredDescription, holdsFingerprint, type Identity } from './identity.js';
import { normalForm, normalHash } from './normal-form.js';
import { secretMaskOf } from './secrets.js';
import type { LiveVersion, Plan, PlanAction, PlannedFlow, PlanSummary } from './types.js';

/** A flow as the org has it: metadata, and the published content when it was exported. */
export interface LiveFlow {
  id: string;
  type: string;
  name: string;
  publishedVersion?: LiveVersion;
  /** The flow's description (with flowops' note, when there is one), from the listing. */
  description?: string;
  /**
   * The published version's Archy YAML, as the org exports it: only for flows identity could not
   * decide (liveNeedsContent); absent too when the flow was never published.
   */
  content?: string;
  /**
   * normalHash of that YAML's document (its description the flow's), when the caller worked it out
   * (and kept it between runs): a flow whose hash equals the desired one is unchanged without being
   * parsed again.
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
  /** Who flowops runs as, and its fingerprint key: how it knows its own versions. */
  identity: Identity;
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
    planned.set(id, planOne(desired, liveById.get(id), input.graph.dependsOn[id] ?? [], input.identity));
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
      deletes.push(flow);
    }
    // Callers are deleted before the modules they call: non-modules first.
    deletes.sort((x, y) => Number(x.type === 'commonmodule') - Number(y.type === 'commonmodule') || x.id.localeCompare(y.id));
  }

  const flows = [...planned.values(), ...deletes];
  const plan: Plan = {
    formatVersion: 2,
    environment: input.environment,
    createdAt: input.createdAt,
    flows,
    summary: summarize(flows),
    unmanaged: input.prune ? [] : orphans.map((f) => key(f.type, f.name)).sort(),
  };
  if (input.gitCommit) plan.gitCommit = input.gitCommit;
  return plan;
}

function planOne(desired: DesiredFlow, live: LiveFlow | undefined, dependsOn: string[], identity: Identity): PlannedFlow {
  const id = key(desired.type, desired.name);
  const desiredHash = desiredHashOf(desired);
  const flow: PlannedFlow = {
    id,
    type: desired.type,
    name: desired.name,
    action: 'create',
    path: desired.path,
    desiredHash,
    desiredFingerprint: fingerprintOf(desiredHash, identity.fingerprintKey),
    patch: [],
    changes: [],
    dependsOn,
  };
  if (!live) return flow;
  flow.liveFlowId = live.id;
  if (live.publishedVersion) flow.livePublishedVersion = live.publishedVersion;
  // A description holding a secret is not written into the plan (its live text may be the old value):
  // apply then cannot tell it was edited since, the price of keeping the secret out of the file.
  if (live.description !== undefined && !descriptionHoldsSecret(desired)) flow.liveDescription = authoredDescription(live.description) ?? '';
  if (!live.publishedVersion) {
    // It exists but was never published: publishing the desired content is an update.
    flow.action = 'update';
    flow.reason = 'the flow exists but has no published version';
    return flow;
  }
  if (holdsFingerprint(live, flow.desiredFingerprint!, desired.description, identity.clientId)) {
    flow.action = 'unchanged';
    flow.comparedBy = 'identity';
    return flow;
  }
  if (live.content === undefined) throw new PlanError(`the published content of ${describeId(id)} (version ${live.publishedVersion.id}) was not read`, id);
  flow.comparedBy = 'content';
  flow.liveHash = liveHashOf(live, id);
  if (flow.liveHash === normalHash(desired.document)) {
    flow.action = 'unchanged';
    return flow;
  }
  const secrets = secretMaskOf(desired.document, desired.secretPlaces);
  const { patch, changes } = diffDocuments(normalForm(liveDocument(live, id)), normalForm(desired.document), { secrets });
  flow.action = 'update';
  flow.patch = patch;
  flow.changes = changes;
  return flow;
}

function descriptionHoldsSecret(desired: DesiredFlow): boolean {
  return desired.secretPlaces?.some((p) => p.path.length <= 2 && p.path[0] === desired.key && (p.path.length === 1 || p.path[1] === 'description')) === true;
}

/**
 * Whether planning this desired flow needs the live flow's published content: only when identity
 * cannot say it is unchanged (the reader exports just those). Pure.
 */
export function liveNeedsContent(desired: DesiredFlow, live: LiveFlow, identity: Identity): boolean {
  if (!live.publishedVersion) return false;
  return !holdsFingerprint(live, fingerprintOf(desiredHashOf(desired), identity.fingerprintKey), desired.description, identity.clientId);
}

/** The normal hash of the live content: the caller's, or worked out here. */
export function liveHashOf(live: LiveFlow, id: string): string {
  return live.hash ?? normalHash(liveDocument(live, id));
}

/**
 * The live document compared: the export, with the flow's own description (which can change without
 * a publish, and which the listing gives) in place of the version's, the note left out.
 */
export function liveDocument(live: LiveFlow, id: string): Record<string, unknown> {
  const doc = parseLive(live, id);
  if (live.description === undefined) return doc;
  const flowKey = Object.keys(doc)[0];
  const body = flowKey === undefined ? undefined : doc[flowKey];
  if (!body || typeof body !== 'object' || Array.isArray(body)) return doc;
  const description = authoredDescription(live.description);
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if (description === undefined) delete copy.description;
  else copy.description = description;
  return { ...doc, [flowKey!]: copy };
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
