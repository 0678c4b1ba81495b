import { parseLiveYaml } from './parse-live.js';
import { COMMON_MODULE_TYPE, desiredDocument, type DependencyGraph, type DesiredFlow } from '../check/index.js';
import {
  authoredDescription,
  desiredFingerprintOf,
  desiredHashOf,
  flowKey,
  hashDocument,
  holdsDesired,
  idOf,
  keyOf,
  normalForm,
  normalHash,
  type Identity,
} from '../identity/index.js';
import { diffDocuments } from './diff.js';
import { isRefusedDelete } from './consumers.js';
import { attachGraph, DRAWN_ACTIONS, planGraph } from './plan-graphs.js';
import { secretMaskOf } from './secrets.js';
import type { Consumer, LiveVersion, Plan, PlanAction, PlannedFlow, PlanSummary } from './types.js';

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
  /**
   * With `prune`: what points at each flow to delete (dependency tracking), by live flow id. A flow
   * with consumers is planned as a refused delete; a flow absent from the map has none.
   */
  consumers?: ReadonlyMap<string, readonly Consumer[]>;
  /**
   * With `prune`: YAML files of the project that no `flows` glob takes, with the flow each seems to
   * describe. A live flow one of them describes is not an orphan to delete: the plan fails instead.
   */
  outside?: ReadonlyArray<{ path: string; type: string; name?: string }>;
  /** Who flowops runs as, and its fingerprint key: how it knows its own versions. */
  identity: Identity;
  /**
   * Renames: the key (identity/flow-key.ts) of a desired flow -> the id of the live flow it renames (found
   * from flowops' audit note and git, or said with --rename). Names differing only in case need none:
   * they are one flow.
   */
  renames?: ReadonlyMap<string, string>;
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
 * Pairs desired and live flows by the one flow key (or a rename), decides each flow's action by
 * identity first (flowops' own version with the desired fingerprint) and else by the normal form of
 * both contents, then the republishes of callers and, with prune, the deletes. Pure: everything it
 * needs is in `input`.
 */
export function buildPlan(input: PlanInput): Plan {
  const desiredById = new Map(input.desired.map((f) => [idOf(f), f]));
  const paired = pairLive(input.desired, input.live, input.renames);
  const planned = new Map<string, PlannedFlow>();
  /** The normal forms planOne compared, by flow id: drawn below without being worked out again. */
  const normals = new Map<string, Normals>();

  for (const id of input.graph.order) {
    const desired = desiredById.get(id);
    if (!desired) continue;
    planned.set(id, planOne(desired, paired.get(id), input.graph.dependsOn[id] ?? [], input.identity, normals));
  }
  // Genesys snapshots a module into its callers at publish: callers of a changed module must be
  // published again, after it. The graph order visits modules first.
  for (const id of input.graph.order) {
    const flow = planned.get(id);
    if (!flow || flow.action !== 'unchanged') continue;
    // Only modules are snapshotted: a called bot, a transfer target or an in-queue flow is found by
    // id when the caller runs, so a new version of one leaves its callers as they are.
    const modules = flow.dependsOn.filter((dep) => dep.startsWith(`${COMMON_MODULE_TYPE}:`));
    const changed = modules.filter((dep) => {
      const a = planned.get(dep)?.action;
      return a === 'create' || a === 'update' || a === 'rename';
    });
    // A caller published before its module's current version still runs the module's older
    // snapshot (an earlier republish failed or was interrupted, or the module was published in the
    // Architect UI): it is republished too, so the org ends up running what the files say.
    const outdated = modules.filter((dep) => {
      const module = planned.get(dep);
      return module?.action === 'unchanged' && publishedBefore(flow.livePublishedVersion, module.livePublishedVersion);
    });
    const reasons: string[] = [];
    if (changed.length)
      reasons.push(`${changed.map(describeId).join(', ')} ${changed.length === 1 ? 'changes' : 'change'}`);
    for (const dep of outdated) {
      const v = planned.get(dep)!.livePublishedVersion!;
      reasons.push(
        `${describeId(dep)} was published after it (version ${v.id}, ${v.datePublished}): it still runs an earlier copy of the module`,
      );
    }
    if (reasons.length) {
      flow.action = 'republish';
      flow.reason = reasons.join('; ');
    }
  }

  for (const flow of planned.values()) {
    if (!DRAWN_ACTIONS.has(flow.action)) continue;
    const desired = desiredById.get(flow.id)!;
    const live = paired.get(flow.id);
    const changedModules = flow.dependsOn
      .filter(
        (dep) => dep.startsWith(`${COMMON_MODULE_TYPE}:`) && DRAWN_ACTIONS.has(planned.get(dep)?.action ?? 'unchanged'),
      )
      .map((dep) => planned.get(dep)!.name);
    // Built when a drawing asks for it (--html, the markdown), not by every plan.
    attachGraph(flow, () => {
      const document = desiredDocument(desired);
      const known = normals.get(flow.id);
      const liveNormal =
        known?.live ??
        (live?.content !== undefined && flow.action !== 'create' ? normalForm(liveDocument(live, flow.id)) : undefined);
      return planGraph(flow, {
        desired: known?.desired ?? normalForm(document),
        ...(liveNormal ? { live: liveNormal } : {}),
        secrets: secretMaskOf(document, desired.secretPlaces),
        changedModules,
      });
    });
  }

  const orphans = orphansOf(input.desired, input.live, paired);
  if (input.prune) refuseDescribedOutside(orphans, input.outside ?? []);
  const deletes = input.prune ? planDeletes(input.desired, orphans, input.consumers) : [];

  const flows = [...planned.values(), ...deletes];
  const plan: Plan = {
    formatVersion: 2,
    environment: input.environment,
    createdAt: input.createdAt,
    flows,
    summary: summarize(flows),
    unmanaged: input.prune ? [] : orphans.map(idOf).sort(),
  };
  if (input.gitCommit) plan.gitCommit = input.gitCommit;
  return plan;
}

/** The live flows of the types the repository manages that no file describes: what `--prune` deletes. Pure. */
export function orphansOf(
  desired: readonly DesiredFlow[],
  live: readonly LiveFlow[],
  paired: ReadonlyMap<string, LiveFlow> = pairLive(desired, live),
): LiveFlow[] {
  const managedTypes = new Set(desired.map((f) => f.type));
  const pairedIds = new Set([...paired.values()].map((f) => f.id));
  return live.filter((f) => managedTypes.has(f.type) && !pairedIds.has(f.id));
}

/**
 * `--prune` never deletes a flow that a YAML file of the project describes, only because no `flows`
 * glob takes that file (issue 13: no flow file left out silently). A file whose flow name cannot be
 * read (for a type being pruned) stops the prune too: it might describe any of them.
 */
function refuseDescribedOutside(
  orphans: readonly LiveFlow[],
  outside: ReadonlyArray<{ path: string; type: string; name?: string }>,
): void {
  const byKey = new Map(outside.filter((f) => f.name !== undefined).map((f) => [flowKey(f.type, f.name!), f.path]));
  const fix = `add it to 'flows' in flowops.yaml, or to 'ignore' to let --prune delete the flow`;
  for (const live of orphans) {
    const file = byKey.get(keyOf(live));
    if (file)
      throw new PlanError(
        `cannot delete ${describeId(idOf(live))}: ${file} describes it, but no 'flows' glob takes that file (${fix})`,
        idOf(live),
      );
  }
  const pruned = new Set(orphans.map((o) => o.type));
  const unnamed = outside.find((f) => f.name === undefined && pruned.has(f.type));
  if (unnamed)
    throw new PlanError(
      `cannot prune ${unnamed.type} flows: ${unnamed.path} reads like one whose name flowops cannot read, and no 'flows' glob takes it (${fix})`,
      unnamed.type,
    );
}

/**
 * The deletes of `--prune`, callers before the modules they call. A module that flows of the
 * repository call is never deleted (the plan fails); a flow something else points at (an IVR, a
 * queue, a flow outside the repository: `consumers`, by live flow id) stays in the plan, refused.
 */
function planDeletes(
  desired: readonly DesiredFlow[],
  orphans: readonly LiveFlow[],
  consumers: PlanInput['consumers'],
): PlannedFlow[] {
  const called = new Set(desired.flatMap((f) => f.calls.map((m) => flowKey('commonmodule', m))));
  const holding = blockingConsumers(orphans, consumers);
  const deletes: PlannedFlow[] = [];
  for (const live of orphans) {
    const id = idOf(live);
    if (called.has(keyOf(live)))
      throw new PlanError(`cannot delete ${describeId(id)}: flows in this repository still call it`, id);
    const flow: PlannedFlow = {
      id,
      type: live.type,
      name: live.name,
      action: 'delete',
      liveFlowId: live.id,
      patch: [],
      changes: [],
      dependsOn: [],
    };
    if (live.publishedVersion) flow.livePublishedVersion = live.publishedVersion;
    const pointing = holding.get(live.id) ?? [];
    if (pointing.length)
      flow.consumers = pointing.map((c) => ({ type: c.type, name: c.name, ...(c.id ? { id: c.id } : {}) }));
    deletes.push(flow);
  }
  // Callers are deleted before the modules they call: non-modules first.
  return deletes.sort(
    (x, y) => Number(x.type === 'commonmodule') - Number(y.type === 'commonmodule') || x.id.localeCompare(y.id),
  );
}

/**
 * What holds each flow to delete back: its consumers, except flows this plan deletes too (a module's
 * callers that go with it: apply deletes callers first, and asks again before the module). A
 * consumer whose own delete is refused still holds: worked out to a fixed point.
 */
function blockingConsumers(
  orphans: readonly LiveFlow[],
  consumers: PlanInput['consumers'],
): Map<string, readonly Consumer[]> {
  const deleting = new Set(orphans.map((o) => o.id));
  const holds = (c: Consumer) => c.id === undefined || !deleting.has(c.id);
  for (let changed = true; changed; ) {
    changed = false;
    for (const o of orphans) {
      if (deleting.has(o.id) && (consumers?.get(o.id) ?? []).some(holds)) {
        deleting.delete(o.id);
        changed = true;
      }
    }
  }
  return new Map(orphans.map((o) => [o.id, (consumers?.get(o.id) ?? []).filter(holds)]));
}

/** Both sides of a content comparison in the normal form. */
interface Normals {
  desired: Record<string, unknown>;
  live: Record<string, unknown>;
}

function planOne(
  desired: DesiredFlow,
  live: LiveFlow | undefined,
  dependsOn: string[],
  identity: Identity,
  normals: Map<string, Normals>,
): PlannedFlow {
  const id = idOf(desired);
  const desiredHash = desiredHashOf(desired);
  const flow: PlannedFlow = {
    id,
    type: desired.type,
    name: desired.name,
    action: 'create',
    path: desired.path,
    desiredHash,
    desiredFingerprint: desiredFingerprintOf(desired, identity),
    patch: [],
    changes: [],
    dependsOn,
  };
  if (!live) return flow;
  flow.liveFlowId = live.id;
  // A rename keeps the flow's id (phone numbers and queues reach it by id) and takes the new name; its
  // content is compared as any other's, but the action stays a rename.
  const renamed = live.name !== desired.name;
  if (renamed) flow.renamedFrom = live.name;
  const decide = (action: PlanAction): PlannedFlow => Object.assign(flow, { action: renamed ? 'rename' : action });
  if (live.publishedVersion) flow.livePublishedVersion = live.publishedVersion;
  // A description holding a secret is not written into the plan (its live text may be the old value):
  // apply then cannot tell it was edited since, the price of keeping the secret out of the file.
  if (live.description !== undefined && !descriptionHoldsSecret(desired))
    flow.liveDescription = authoredDescription(live.description) ?? '';
  if (!live.publishedVersion) {
    // It exists but was never published: publishing the desired content is an update.
    flow.reason = 'the flow exists but has no published version';
    return decide('update');
  }
  if (!renamed && holdsDesired(live, desired, identity)) {
    flow.comparedBy = 'identity';
    return decide('unchanged');
  }
  if (live.content === undefined)
    throw new PlanError(
      `the published content of ${describeId(id)} (version ${live.publishedVersion.id}) was not read`,
      id,
    );
  flow.comparedBy = 'content';
  flow.liveHash = liveHashOf(live, id);
  const document = desiredDocument(desired);
  const desiredNormal = normalForm(document);
  if (!renamed && flow.liveHash === hashDocument(desiredNormal)) return decide('unchanged');
  const secrets = secretMaskOf(document, desired.secretPlaces);
  const liveNormal = normalForm(liveDocument(live, id));
  normals.set(id, { desired: desiredNormal, live: liveNormal });
  const { patch, changes } = diffDocuments(liveNormal, desiredNormal, { secrets });
  flow.patch = patch;
  flow.changes = changes;
  return decide('update');
}

function descriptionHoldsSecret(desired: DesiredFlow): boolean {
  return (
    desired.secretPlaces?.some(
      (p) => p.path.length <= 2 && p.path[0] === desired.key && (p.path.length === 1 || p.path[1] === 'description'),
    ) === true
  );
}

/**
 * The live flow each desired flow is planned against, by desired flow id: the one with its key (type
 * and name, regardless of case), else the one `renames` names for it. A rename onto a name another
 * live flow of the type already has is an error naming both. Pure.
 */
export function pairLive(
  desired: readonly DesiredFlow[],
  live: readonly LiveFlow[],
  renames?: ReadonlyMap<string, string>,
): Map<string, LiveFlow> {
  const byKey = new Map(live.map((f) => [keyOf(f), f]));
  const byId = new Map(live.map((f) => [f.id, f]));
  const taken = new Set(desired.map((d) => byKey.get(keyOf(d))?.id).filter((id) => id !== undefined));
  const paired = new Map<string, LiveFlow>();
  for (const d of desired) {
    const own = byKey.get(keyOf(d));
    const renamed = renames?.get(keyOf(d));
    const source = renamed === undefined ? undefined : byId.get(renamed);
    if (own && source && own.id !== source.id) {
      throw new PlanError(
        `cannot rename ${describeId(idOf(source))} to "${d.name}": ${describeId(idOf(own))} already has that name`,
        idOf(d),
      );
    }
    if (own) paired.set(idOf(d), own);
    else if (source && !taken.has(source.id) && source.type === d.type) paired.set(idOf(d), source);
  }
  return paired;
}

/**
 * Whether planning this desired flow needs the live flow's published content: only when identity
 * cannot say it is unchanged (the reader exports just those). Pure.
 */
export function liveNeedsContent(desired: DesiredFlow, live: LiveFlow, identity: Identity): boolean {
  if (!live.publishedVersion) return false;
  if (live.name !== desired.name) return true; // a rename shows its content change too
  return !holdsDesired(live, desired, identity);
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
    throw new PlanError(
      `the published content of ${describeId(id)} (version ${live.publishedVersion?.id ?? '?'}) is not valid YAML: ${(err as Error).message.split('\n')[0]}`,
      id,
    );
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new PlanError(`the published content of ${describeId(id)} is not a flow document`, id);
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
  for (const f of flows) {
    if (isRefusedDelete(f)) summary.refused = (summary.refused ?? 0) + 1;
    else summary[f.action] = (summary[f.action] ?? 0) + 1;
  }
  return summary;
}

export function hasChanges(plan: Plan): boolean {
  return plan.flows.some((f) => f.action !== 'unchanged');
}

export function describeId(id: string): string {
  const at = id.indexOf(':');
  return `${id.slice(0, at)} "${id.slice(at + 1)}"`;
}

export type { PlanAction };
