import { isPublishedText } from '../plan/audit-note.js';
import { CANONICAL_HASH, canonicalHash } from '../plan/canonicalize.js';
import { parseLiveYaml } from '../plan/parse-live.js';
import { createHash } from 'node:crypto';
import { RemoteError } from '../errors.js';
import type { PackCache } from './pack-cache.js';
import { buildPlan, type LiveFlow } from '../plan/build-plan.js';
import type { LiveVersion, Plan } from '../plan/types.js';
import type { CheckResult } from '../spec/types.js';

/** What planning needs from an org; `genesys/` provides it, tests may too. */
export interface OrgReader {
  listFlows(types: string[]): Promise<Array<{ id: string; name: string; type: string; publishedVersion?: LiveVersion }>>;
  exportFlows(refs: Array<{ id: string; version: string }>): Promise<Map<string, string>>;
}

export interface GetPlanInput {
  check: CheckResult;
  reader: OrgReader;
  environment: string;
  gitCommit?: string;
  prune?: boolean;
  now?: () => Date;
  /** Progress for people (stderr). */
  progress?: (message: string) => void;
  /** The canonical hash of live content, kept between runs. */
  liveHashCache?: PackCache<LiveHash>;
  /** Reading started before the files were checked (prefetchLive). */
  prefetched?: Prefetched;
}

type Listed = Awaited<ReturnType<OrgReader['listFlows']>>;

/** What is kept of a live text between runs: its canonical hash (the text itself is in the export cache). */
export interface LiveHash {
  hash: string;
}

/** A listing and export started early, on a guess of the flows the files describe. */
export interface Prefetched {
  types: readonly string[];
  listed: Promise<Listed | undefined>;
  contents: Promise<Map<string, string>>;
}

/**
 * Starts reading the org for the flows the files probably describe (guessFlowIdentity), so that the
 * export jobs run while the files are checked. Never rejects: what failed or was not guessed is read
 * again by readLive, which decides on the checked flows.
 */
export function prefetchLive(reader: OrgReader, guesses: ReadonlyArray<{ type: string; name: string }>): Prefetched {
  const types = [...new Set(guesses.map((g) => g.type))].sort();
  const wanted = new Set(guesses.map((g) => `${g.type}:${g.name}`));
  const listed = types.length ? reader.listFlows(types).catch(() => undefined) : Promise.resolve(undefined);
  const contents = listed.then(async (flows) => {
    const paired = (flows ?? []).filter((f) => wanted.has(`${f.type.toLowerCase()}:${f.name}`) && f.publishedVersion);
    if (!paired.length) return new Map<string, string>();
    return reader.exportFlows(paired.map((f) => ({ id: f.id, version: f.publishedVersion!.id }))).catch(() => new Map<string, string>());
  });
  return { types, listed, contents };
}

/**
 * Reads everything first (the live flows of the types the repository manages, and the published
 * content of those it describes), then calls the pure buildPlan.
 */
export async function getPlan(input: GetPlanInput): Promise<Plan> {
  const live = await readLive(input.check, input.reader, input.environment, input.progress, input.liveHashCache, input.prefetched);
  return buildPlan({
    desired: input.check.flows,
    graph: input.check.graph,
    live,
    environment: input.environment,
    ...(input.gitCommit ? { gitCommit: input.gitCommit } : {}),
    createdAt: (input.now ?? (() => new Date()))().toISOString(),
    prune: input.prune === true,
  });
}

/**
 * The live flows of the types the repository manages, with the published content of those it
 * describes (one listing per type page, batched export jobs, the cache).
 */
export async function readLive(check: CheckResult, reader: OrgReader, environment: string, progress?: (message: string) => void, liveHashCache?: PackCache<LiveHash>, prefetched?: Prefetched): Promise<LiveFlow[]> {
  const types = [...new Set(check.flows.map((f) => f.type))].sort();
  progress?.(`Reading the ${types.join(', ')} flows of environment ${environment}...`);
  // An early listing serves when it covered every type the checked files have (only those are kept).
  const early = prefetched && types.every((t) => prefetched.types.includes(t)) ? await prefetched.listed : undefined;
  const listed = early ? early.filter((f) => types.includes(f.type.toLowerCase())) : types.length ? await reader.listFlows(types) : [];
  const wanted = new Set(check.flows.map((f) => `${f.type}:${f.name}`));
  const desiredById = new Map(check.flows.map((f) => [`${f.type}:${f.name}`, f]));
  const paired = listed.filter((f) => wanted.has(`${f.type.toLowerCase()}:${f.name}`) && f.publishedVersion);
  const contents = new Map<string, string>();
  if (early) {
    // Content exported early is of the version listed then: the same listing, so the same version.
    const got = await prefetched!.contents;
    for (const f of paired) if (got.has(f.id)) contents.set(f.id, got.get(f.id)!);
  }
  const rest = paired.filter((f) => !contents.has(f.id));
  const already = paired.length - rest.length;
  progress?.(
    already
      ? `Found ${listed.length} live flow(s); the published content of ${already} was read while the files were checked${rest.length ? `, reading ${rest.length} more` : ''}...`
      : `Found ${listed.length} live flow(s); reading the published content of ${paired.length}...`,
  );
  if (rest.length) for (const [id, yaml] of await reader.exportFlows(rest.map((f) => ({ id: f.id, version: f.publishedVersion!.id })))) contents.set(id, yaml);
  const missing = paired.filter((f) => !contents.has(f.id));
  if (missing.length) {
    throw new RemoteError(`could not read the published content of ${missing.map((f) => `${f.type.toLowerCase()} "${f.name}"`).slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`);
  }
  const flows = listed.map((f) => {
    const flow: LiveFlow = { id: f.id, type: f.type.toLowerCase(), name: f.name };
    if (f.publishedVersion) flow.publishedVersion = f.publishedVersion;
    const content = contents.get(f.id);
    if (content !== undefined) {
      flow.content = content;
      // Content that is exactly what apply publishes for the file needs no hash (buildPlan sees it).
      const desired = desiredById.get(`${flow.type}:${flow.name}`);
      if (!desired || !isPublishedText(desired.text, content)) {
        const hash = liveHash(content, liveHashCache);
        if (hash) flow.hash = hash;
      }
    }
    return flow;
  });
  liveHashCache?.save();
  return flows;
}

/**
 * The canonical hash of the live YAML, through a cache keyed by the text's hash: an unchanged flow is
 * compared without its document (parsed again only when it differs), and an unchanged org is not
 * parsed at all on the next plan. Undefined when it is not a YAML mapping (buildPlan then says so).
 */
function liveHash(content: string, cache: PackCache<LiveHash> | undefined): string | undefined {
  const key = cache ? createHash('sha256').update(`${CANONICAL_HASH.id}\n`).update(content).digest('hex') : '';
  const hit = cache?.get(key);
  if (hit) return hit.hash; // its shape checked when the cache was read
  let doc: unknown;
  try {
    doc = parseLiveYaml(content);
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const hash = canonicalHash(doc as Record<string, unknown>);
  cache?.set(key, { hash });
  return hash;
}
