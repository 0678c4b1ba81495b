import { parseLiveYaml } from '../plan/parse-live.js';
import { createHash } from 'node:crypto';
import { RemoteError } from '../errors.js';
import { JsonCache } from './json-cache.js';
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
  /** Parsed live content kept between runs. */
  parsedCache?: JsonCache<Record<string, unknown>>;
}

/**
 * Reads everything first (the live flows of the types the repository manages, and the published
 * content of those it describes), then calls the pure buildPlan.
 */
export async function getPlan(input: GetPlanInput): Promise<Plan> {
  const live = await readLive(input.check, input.reader, input.environment, input.progress, input.parsedCache);
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
export async function readLive(check: CheckResult, reader: OrgReader, environment: string, progress?: (message: string) => void, parsedCache?: JsonCache<Record<string, unknown>>): Promise<LiveFlow[]> {
  const types = [...new Set(check.flows.map((f) => f.type))].sort();
  progress?.(`Reading the ${types.join(', ')} flows of environment ${environment}...`);
  const listed = types.length ? await reader.listFlows(types) : [];
  const wanted = new Set(check.flows.map((f) => `${f.type}:${f.name}`));
  const paired = listed.filter((f) => wanted.has(`${f.type.toLowerCase()}:${f.name}`) && f.publishedVersion);
  progress?.(`Found ${listed.length} live flow(s); reading the published content of ${paired.length}...`);
  const contents = paired.length ? await reader.exportFlows(paired.map((f) => ({ id: f.id, version: f.publishedVersion!.id }))) : new Map<string, string>();
  const missing = paired.filter((f) => !contents.has(f.id));
  if (missing.length) {
    throw new RemoteError(`could not read the published content of ${missing.map((f) => `${f.type.toLowerCase()} "${f.name}"`).slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`);
  }
  return listed.map((f) => {
    const flow: LiveFlow = { id: f.id, type: f.type.toLowerCase(), name: f.name };
    if (f.publishedVersion) flow.publishedVersion = f.publishedVersion;
    const content = contents.get(f.id);
    if (content !== undefined) {
      flow.content = content;
      const document = parsedCache ? parsedLive(content, parsedCache) : undefined;
      if (document) flow.document = document;
    }
    return flow;
  });
}

/**
 * The live YAML parsed, through a cache keyed by the text's hash: an unchanged org is not parsed
 * again on every plan. Undefined when it is not a YAML mapping (buildPlan then says so).
 */
function parsedLive(content: string, cache: JsonCache<Record<string, unknown>>): Record<string, unknown> | undefined {
  const key = createHash('sha256').update(content).digest('hex');
  const hit = cache.get(key);
  if (hit) return hit;
  try {
    const doc = parseLiveYaml(content);
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
    cache.set(key, doc as Record<string, unknown>);
    return doc as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
