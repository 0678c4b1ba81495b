import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { RemoteError } from '../errors.js';
import type { PackCache } from './pack-cache.js';
import { buildPlan, liveHashOf, liveNeedsContent, orphansOf, pairLive, type LiveFlow } from '../plan/build-plan.js';
import { idOf, NORMAL_FORM_REVISION, type Identity } from '../identity/index.js';
import type { Consumer, LiveVersion, Plan } from '../plan/types.js';
import type { CheckResult } from '../check/types.js';
import type { ListableKind, OrgObjectListing } from '../genesys/index.js';
import type { ReferenceMode } from '../plan/org-references.js';
import { readOrgReferences } from './org-references.js';

/** What planning needs from an org; `genesys/` provides it, tests may too. */
export interface OrgReader {
  /** `expected`: how many flows the files describe (their listing pages may be asked for at once). */
  listFlows(
    types: string[],
    expected?: number,
  ): Promise<Array<{ id: string; name: string; type: string; description?: string; publishedVersion?: LiveVersion }>>;
  exportFlows(refs: Array<{ id: string; version: string; holdsSecrets?: boolean }>): Promise<Map<string, string>>;
  /** What points at a flow (dependency tracking): asked only with `--prune`, for the flows to delete. */
  flowConsumers(id: string, type: string): Promise<Consumer[]>;
  /** The org's objects of one kind (queues, data actions...); without it, references are not checked. */
  listOrgObjects?(kind: ListableKind): Promise<OrgObjectListing>;
}

/** Flows asked about at once when pruning (the client's rate limiter bounds the requests too). */
const CONSUMER_CONCURRENCY = 8;

export interface GetPlanInput {
  check: CheckResult;
  reader: OrgReader;
  environment: string;
  /** Who flowops runs as and its fingerprint key: flows it published with the desired content are not exported. */
  identity: Identity;
  gitCommit?: string;
  prune?: boolean;
  now?: () => Date;
  /** Progress for people (stderr). */
  progress?: (message: string) => void;
  /** The canonical hash of live content, kept between runs. */
  liveHashCache?: PackCache<LiveHash>;
  /** YAML files no `flows` glob takes, with the flow each seems to describe (`--prune` spares those flows). */
  outside?: ReadonlyArray<{ path: string; type: string; name?: string }>;
  /**
   * Which live flows the desired ones rename (desired key -> live flow id), once the listing is
   * known: from flowops' audit notes and git, and --rename (workspace/renames.ts).
   */
  renames?: (live: readonly LiveFlow[]) => Promise<ReadonlyMap<string, string>>;
  /**
   * Check the org objects the changed and created flows name (workspace/org-references.ts): missing ones are
   * errors, or warnings with `warn`. Absent: not checked.
   */
  references?: ReferenceMode;
}

/** What is kept of a live text between runs: its canonical hash (the text itself is in the export cache). */
export interface LiveHash {
  hash: string;
}

/**
 * Reads everything first (the live flows of the types the repository manages, and the published
 * content of those it describes), then calls the pure buildPlan.
 */
export async function getPlan(input: GetPlanInput): Promise<Plan> {
  let renames: ReadonlyMap<string, string> | undefined;
  const findRenames = input.renames && (async (live: readonly LiveFlow[]) => (renames = await input.renames!(live)));
  const live = await readLive(
    input.check,
    input.reader,
    input.environment,
    input.identity,
    input.progress,
    input.liveHashCache,
    findRenames,
  );
  const consumers = input.prune
    ? await readConsumers(
        input.reader,
        orphansOf(input.check.flows, live, pairLive(input.check.flows, live, renames)),
        input.progress,
      )
    : undefined;
  const plan = buildPlan({
    desired: input.check.flows,
    graph: input.check.graph,
    live,
    environment: input.environment,
    ...(input.gitCommit ? { gitCommit: input.gitCommit } : {}),
    createdAt: (input.now ?? (() => new Date()))().toISOString(),
    prune: input.prune === true,
    ...(consumers ? { consumers } : {}),
    ...(input.outside ? { outside: input.outside } : {}),
    identity: input.identity,
    ...(renames ? { renames } : {}),
  });
  const { reader } = input;
  if (input.references && reader.listOrgObjects) {
    const references = await readOrgReferences({
      check: input.check,
      plan,
      live,
      reader: { listOrgObjects: (kind) => reader.listOrgObjects!(kind), listFlows: (types) => reader.listFlows(types) },
      mode: input.references,
      ...(input.progress ? { progress: input.progress } : {}),
    });
    if (references) plan.references = references;
  }
  return plan;
}

/**
 * What points at each flow `--prune` would delete (IVRs, queues, flows, bots), by live flow id: one
 * dependency-tracking request each (more for many consumers), a few at once. Only these flows: an
 * unpruned plan asks nothing.
 */
export async function readConsumers(
  reader: Pick<OrgReader, 'flowConsumers'>,
  flows: readonly LiveFlow[],
  progress?: (message: string) => void,
): Promise<Map<string, Consumer[]>> {
  const found = new Map<string, Consumer[]>();
  if (flows.length === 0) return found;
  progress?.(`Asking what uses the ${flows.length} flow(s) to delete...`);
  const limit = pLimit(CONSUMER_CONCURRENCY);
  await Promise.all(flows.map((f) => limit(async () => found.set(f.id, await reader.flowConsumers(f.id, f.type)))));
  return found;
}

/**
 * The live flows of the types the repository manages, with the published content of those identity
 * cannot decide (one listing per type page; batched export jobs, the cache, for the rest).
 */
export async function readLive(
  check: CheckResult,
  reader: OrgReader,
  environment: string,
  identity: Identity,
  progress?: (message: string) => void,
  liveHashCache?: PackCache<LiveHash>,
  findRenames?: (live: readonly LiveFlow[]) => Promise<ReadonlyMap<string, string>>,
): Promise<LiveFlow[]> {
  const types = [...new Set(check.flows.map((f) => f.type))].sort();
  progress?.(`Reading the ${types.join(', ')} flows of environment ${environment}...`);
  const listed = types.length ? await reader.listFlows(types, check.flows.length) : [];
  const flows = listed.map((f) => {
    const flow: LiveFlow = { id: f.id, type: f.type.toLowerCase(), name: f.name };
    if (f.publishedVersion) flow.publishedVersion = f.publishedVersion;
    // A listed flow without a description has none (the API leaves the field out): not "unknown".
    flow.description = f.description ?? '';
    return flow;
  });
  const pairs = pairLive(check.flows, flows, findRenames ? await findRenames(flows) : undefined);
  const published = check.flows.flatMap((d) => {
    const live = pairs.get(idOf(d));
    return live?.publishedVersion ? [{ desired: d, live }] : [];
  });
  const needed = published.filter(({ desired, live }) => liveNeedsContent(desired, live, identity));
  const paired = needed.map(({ live }) => live);
  const withSecrets = new Set(
    needed.filter(({ desired }) => (desired.secretPlaces?.length ?? 0) > 0).map(({ live }) => live.id),
  );
  const known = published.length - paired.length;
  progress?.(
    `Found ${listed.length} live flow(s); ${known} published by flowops with the files' content${paired.length ? `, reading the published content of ${paired.length}` : ''}...`,
  );
  const refs = paired.map((f) => ({
    id: f.id,
    version: f.publishedVersion!.id,
    ...(withSecrets.has(f.id) ? { holdsSecrets: true } : {}),
  }));
  const contents = refs.length ? await reader.exportFlows(refs) : new Map<string, string>();
  const missing = paired.filter((f) => !contents.has(f.id));
  if (missing.length) {
    throw new RemoteError(
      `could not read the published content of ${missing
        .map((f) => `${f.type} "${f.name}"`)
        .slice(0, 5)
        .join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`,
    );
  }
  for (const flow of paired) {
    flow.content = contents.get(flow.id)!;
    const hash = liveHash(flow, liveHashCache);
    if (hash) flow.hash = hash;
  }
  liveHashCache?.save();
  return flows;
}

/**
 * The normal hash of the live YAML (with the flow's description), through a cache keyed by the
 * text's hash: an unchanged org is not parsed at all on the next plan. Undefined when it is not a
 * flow document (buildPlan then says so).
 */
function liveHash(flow: LiveFlow, cache: PackCache<LiveHash> | undefined): string | undefined {
  const key = cache
    ? createHash('sha256')
        .update(`normal-${NORMAL_FORM_REVISION}\n${flow.description ?? ''}\0`)
        .update(flow.content ?? '')
        .digest('hex')
    : '';
  const hit = cache?.get(key);
  if (hit) return hit.hash; // its shape checked when the cache was read
  let hash: string;
  try {
    hash = liveHashOf(flow, idOf(flow));
  } catch {
    return undefined;
  }
  cache?.set(key, { hash });
  return hash;
}
