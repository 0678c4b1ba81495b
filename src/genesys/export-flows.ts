/**
 * Published flow content through batched export jobs (shared/reference/genesys-flow-api.md section 2):
 * `POST /api/v2/flows/export/jobs` with many flows, poll `GET .../export/jobs/{id}` until Success or
 * Failure, then one plain GET of the presigned `downloadUrl` (no Authorization header).
 *
 * Batch size 250, four jobs at once: 1000 flows cost 4 jobs running side by side, not 1000 (each job
 * costs its registration and its checks, about six requests for a 1.5 s job); a job that fails is
 * split in halves until the flows at fault are isolated (a bad flow in a batch of 250 costs about
 * 2 x log2(250) = 16 more jobs; the isolating is capped, see SPLIT_BUDGET); a 250-flow archive of
 * large flows is about 12 MB. The API's own maximum per job is not documented (a choice, UNVERIFIED;
 * the emulator takes up to 1000): DEFAULT_EXPORT_BATCH_SIZE is the one number to lower if an org
 * refuses big jobs.
 */
import pLimit from 'p-limit';
import type { Models } from 'purecloud-platform-client-v2';
import { RemoteError } from '../errors.js';
import type { ApiSession } from './api-session.js';
import type { ExportCache } from './export-cache.js';
import { DEFAULT_POLL, type JobDurations, JobWatch, type PollOptions, pollUntil } from './poll.js';
import type { FlowVersionRef, GenesysStats } from './types.js';

export const DEFAULT_EXPORT_BATCH_SIZE = 250;
export const DEFAULT_EXPORT_CONCURRENCY = 4;
/** Job states still under way (ArchitectExportJobStateResponse.status: Registered, Started, Success, Failure, OutdatedSdkVersion). */
const RUNNING: ReadonlySet<string> = new Set(['Registered', 'Started']);

export interface ExportFlowsOptions {
  /** Flows per export job (default 250). */
  batchSize?: number;
  /** Export jobs running at once (default 4). */
  concurrency?: number;
  /** What earlier export jobs of this client took: the first check of a job waits about that long. */
  durations?: JobDurations;
  cache?: ExportCache;
  poll?: Partial<PollOptions>;
}

export interface ExportFailure {
  flowId: string;
  version: string;
  name?: string;
  message: string;
}

/** Some flows could not be exported; `exported` holds the ones that could. */
export class FlowExportError extends RemoteError {
  constructor(
    readonly failures: ExportFailure[],
    readonly exported: Map<string, string>,
  ) {
    const [first] = failures;
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : '';
    super(
      `could not export ${failures.length} flow(s): ${first ? `${label(first)}: ${first.message}` : ''}${more}`,
      undefined,
      failures.map((f) => `${label(f)}: ${f.message}`).join('; '),
    );
  }
}

function label(ref: { flowId: string; version: string; name?: string }): string {
  return `${ref.name ? `"${ref.name}"` : `flow ${ref.flowId}`} version ${ref.version}`;
}

interface BatchOutcome {
  contents: Map<string, string>;
  failures: ExportFailure[];
}

interface Context {
  session: ApiSession;
  stats: GenesysStats;
  poll: PollOptions;
  /** Extra jobs still allowed for isolating failures, so that a systematic failure stays cheap. */
  splitBudget: number;
  durations: JobDurations | undefined;
}

/**
 * Isolating one bad flow in a batch of 100 takes about 14 extra jobs, two bad flows about 26; if
 * export is failing for everything, bisecting all of it would cost 2 jobs per flow: stop at 32.
 */
const SPLIT_BUDGET = 32;

function failAll(batch: readonly FlowVersionRef[], message: string): BatchOutcome {
  return {
    contents: new Map(),
    failures: batch.map((ref) => ({
      flowId: ref.id,
      version: ref.version,
      ...(ref.name ? { name: ref.name } : {}),
      message,
    })),
  };
}

function merge(into: BatchOutcome, from: BatchOutcome): BatchOutcome {
  for (const [id, yaml] of from.contents) into.contents.set(id, yaml);
  into.failures.push(...from.failures);
  return into;
}

/** A distinct, valid fileName per flow ("only alphanumeric characters, underscores, or hyphens"). */
export function fileNamesFor(batch: readonly FlowVersionRef[]): Map<string, FlowVersionRef> {
  const names = new Map<string, FlowVersionRef>();
  const taken = new Set<string>();
  batch.forEach((ref, index) => {
    let name = ref.id.replace(/[^A-Za-z0-9_-]/g, '_') || 'flow';
    // Archives are matched case-insensitively, so names must differ in more than case.
    if (taken.has(name.toLowerCase())) name = `${name}_${index}`;
    taken.add(name.toLowerCase());
    names.set(name, ref);
  });
  return names;
}

function jobMessages(state: Models.ArchitectExportJobStateResponse): string {
  const texts = (state.messages ?? []).map((m) => m.text ?? '').filter((t) => t !== '');
  return texts.length > 0 ? texts.join(' ') : '(the job gave no message)';
}

/** Runs one export job for `batch`; on a job failure, splits the batch to isolate the flows at fault. */
async function exportBatch(ctx: Context, batch: readonly FlowVersionRef[], attempt = 1): Promise<BatchOutcome> {
  const names = fileNamesFor(batch);
  const body: Models.RegisterArchitectExportJob = {
    flows: [...names].map(([fileName, ref]) => ({
      flow: { id: ref.id, version: ref.version },
      fileName,
      exportType: 'Yaml',
    })),
  };
  let job: Models.RegisterArchitectExportJobResponse;
  try {
    // Retried like any call: a repeated registration at worst leaves an unused export job behind.
    job = await ctx.session.call('start an export job', (api) => api.postFlowsExportJobs(body));
  } catch (error) {
    // 400 or 404 on registration: something in this batch is wrong (a flow or version that does not
    // exist): isolate it. Anything else (403, unreachable) concerns every flow and stops the export.
    if (!(error instanceof RemoteError) || (error.status !== 400 && error.status !== 404)) throw error;
    return splitOrFail(ctx, batch, attempt, error.message);
  }
  ctx.stats.exportJobs += 1;
  const jobId = job.id ?? '';
  if (jobId === '') throw new RemoteError('start an export job: the answer has no job id');
  const watch = new JobWatch(ctx.durations);
  const state = await pollUntil(async () => {
    watch.asking();
    const current = await ctx.session.call(`check export job ${jobId}`, (api) => api.getFlowsExportJob(jobId));
    const running = current.status === undefined || RUNNING.has(current.status);
    watch.answered(running, current.status === 'Success');
    return running ? undefined : current;
  }, watch.pollOptions(ctx.poll));
  if (!state)
    return failAll(batch, `export job ${jobId} did not finish within ${Math.round(ctx.poll.timeoutMs / 1000)} s`);
  if (state.status === 'Failure') return splitOrFail(ctx, batch, attempt, jobMessages(state));
  if (state.status !== 'Success')
    return failAll(batch, `export job ${jobId} ended as ${state.status}: ${jobMessages(state)}`);
  if (!state.downloadUrl) return failAll(batch, `export job ${jobId} succeeded without a download URL`);

  const bytes = await ctx.session.download(state.downloadUrl, `download export job ${jobId}`);
  // Loaded with the first download: a plan that exports nothing does not load the unzipper.
  const { unpackExport } = await import('./export-archive.js');
  const unpacked = unpackExport(bytes, [...names.keys()]);
  const outcome: BatchOutcome = { contents: new Map(), failures: [] };
  for (const [fileName, ref] of names) {
    const yaml = unpacked.files.get(fileName);
    if (yaml !== undefined) outcome.contents.set(ref.id, yaml);
  }
  const missing = batch.filter((ref) => !outcome.contents.has(ref.id));
  const why = unpacked.problem ?? `the download of export job ${jobId} has no file for it`;
  return missing.length > 0 ? merge(outcome, failAll(missing, why)) : outcome;
}

/** Halves a failed batch; a single flow gets one more try (the server reports some 429s as failures). */
async function splitOrFail(
  ctx: Context,
  batch: readonly FlowVersionRef[],
  attempt: number,
  message: string,
): Promise<BatchOutcome> {
  const extraJobs = batch.length > 1 ? 2 : 1;
  if (ctx.splitBudget < extraJobs) return failAll(batch, message);
  ctx.splitBudget -= extraJobs;
  if (batch.length > 1) {
    const middle = Math.ceil(batch.length / 2);
    const first = await exportBatch(ctx, batch.slice(0, middle));
    return merge(first, await exportBatch(ctx, batch.slice(middle)));
  }
  if (attempt < 2) return exportBatch(ctx, batch, attempt + 1);
  return failAll(batch, message);
}

function uniqueRefs(refs: readonly FlowVersionRef[]): FlowVersionRef[] {
  const byId = new Map<string, FlowVersionRef>();
  for (const ref of refs) {
    const seen = byId.get(ref.id);
    if (seen && seen.version !== ref.version) {
      throw new Error(`exportFlows: flow ${ref.id} asked for twice, versions ${seen.version} and ${ref.version}`);
    }
    byId.set(ref.id, ref);
  }
  return [...byId.values()];
}

/**
 * The published YAML of each flow version, by flow id. Cached versions are read from the cache and
 * not exported. Throws FlowExportError (with the flows that did export) when any flow failed.
 */
export async function exportFlows(
  session: ApiSession,
  stats: GenesysStats,
  refs: readonly FlowVersionRef[],
  options: ExportFlowsOptions = {},
): Promise<Map<string, string>> {
  const { cache } = options;
  const result = new Map<string, string>();
  const toExport: FlowVersionRef[] = [];
  const unique = uniqueRefs(refs);
  const cached = await Promise.all(unique.map((ref) => (cache ? cache.read(ref.id, ref.version) : undefined)));
  unique.forEach((ref, i) => {
    const yaml = cached[i];
    if (yaml !== undefined) {
      stats.cacheHits += 1;
      result.set(ref.id, yaml);
    } else {
      if (cache) stats.cacheMisses += 1;
      toExport.push(ref);
    }
  });

  const versions = new Map(toExport.map((ref) => [ref.id, ref.version]));
  const secretHolders = new Set(toExport.filter((ref) => ref.holdsSecrets).map((ref) => ref.id));
  /**
   * Caches a batch as soon as it is done, so a later failure does not lose it: its files are written
   * while the other batches go on, and all of them before the export returns.
   */
  const writes: Array<Promise<void>> = [];
  const store = (outcome: BatchOutcome): BatchOutcome => {
    if (!cache) return outcome;
    for (const [id, yaml] of outcome.contents) {
      if (secretHolders.has(id)) continue;
      writes.push(
        cache.write(id, versions.get(id) ?? '', yaml).catch(() => {
          // The cache only saves work; a read-only or full disk must not fail the export.
          stats.cacheWriteErrors += 1;
        }),
      );
    }
    return outcome;
  };

  const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_EXPORT_BATCH_SIZE));
  const batches: FlowVersionRef[][] = [];
  for (let i = 0; i < toExport.length; i += batchSize) batches.push(toExport.slice(i, i + batchSize));
  const ctx: Context = {
    session,
    stats,
    poll: { ...DEFAULT_POLL, ...options.poll },
    splitBudget: SPLIT_BUDGET,
    durations: options.durations,
  };
  const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_EXPORT_CONCURRENCY));
  let outcomes: BatchOutcome[];
  try {
    outcomes = await Promise.all(batches.map((batch) => limit(async () => store(await exportBatch(ctx, batch)))));
  } finally {
    // Whatever happened, what was exported is on disk (or given up) before the export returns.
    await Promise.all(writes);
  }

  const failures: ExportFailure[] = [];
  for (const outcome of outcomes) {
    failures.push(...outcome.failures);
    for (const [id, yaml] of outcome.contents) result.set(id, yaml);
  }
  if (failures.length > 0) throw new FlowExportError(failures, result);
  return result;
}
