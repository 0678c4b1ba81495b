/**
 * The front door to an org: `connectGenesys(options)` logs in and returns a client whose methods
 * take and give plain data (reads: list, get, find, export, what uses a flow; writes: publish, unlock, delete). Each client owns its SDK ApiClient, limiter and counters, so two
 * clients (two orgs, two tokens) never share state.
 */
import { ApiSession } from './api-session.js';
import { type ConnectionSettings, type GenesysTarget, parseEnvUrl } from './connection.js';
import { ExportCache } from './export-cache.js';
import { exportFlows, type ExportFlowsOptions } from './export-flows.js';
import { checkoutFlow, deleteFlow, renameFlow, unlockFlow } from './flow-actions.js';
import { listFlowConsumers } from './flow-consumers.js';
import { listFlows, listFlowsById, listFlowVersions } from './list-flows.js';
import { type ListableKind, listOrgObjects, type OrgObjectListing } from './list-org-objects.js';
import { JobDurations, type PollOptions } from './poll.js';
import { loadJobTimes, saveJobTimes } from './job-times.js';
import {
  publishFlow,
  type PublishFlowOptions,
  type PublishResult,
  registerJob,
  type RegisteredJob,
} from './publish-flow.js';
import { findFlow, getFlow } from './read-flow.js';
import type { RateLimitOptions } from './rate-limit.js';
import type { RetryOptions } from './should-retry.js';
import {
  emptyStats,
  type FlowConsumer,
  type FlowVersionRef,
  type GenesysStats,
  type LiveFlowSummary,
  type LiveVersion,
} from './types.js';

export interface ConnectOptions {
  /** A parsed target, or the text of GENESYS_ENV_URL. */
  target: GenesysTarget | string;
  credentials: ConnectionSettings['credentials'];
  /** Requests a minute this client sends at most (default 300, Genesys' limit per token). */
  requestsPerMinute?: number;
  /**
   * Access tokens to spread requests over (default 1, at most 20): each has its own 300 a minute.
   * The first is logged in at connect, the others only when the first has more work than its budget.
   */
  tokens?: number;
  /** Requests in flight at once, per token (default 8). */
  maxConcurrent?: number;
  /** Per request; default 16 s, the SDK's. */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** Page size of flow listings (default and maximum 500). */
  pageSize?: number;
  /** Flows per export job (default 250). */
  exportBatchSize?: number;
  /** Export jobs at once (default 4). */
  exportConcurrency?: number;
  /** Polling of export jobs. */
  poll?: Partial<PollOptions>;
  /** Polling of Architect (publish) jobs; default 100 ms, x1.5, at most 2 s apart, 10 min in all. */
  publishPoll?: Partial<PollOptions>;
  /** Folder of the export cache (e.g. `.flowops/cache`); no cache when absent. */
  cacheDir?: string;
  /** Values never written into the cache (substitutions marked secret). */
  cacheSecrets?: readonly string[];
  /** Clock for token renewal (tests). */
  now?: () => number;
}

export class GenesysClient {
  private readonly counters: GenesysStats;
  /** Each kind of org object listed so far: one listing per kind a run (a plan, an apply's plan). */
  private readonly objectListings = new Map<ListableKind, Promise<OrgObjectListing>>();
  /** How long this client's Architect jobs take, so later ones are checked about when they finish. */
  private readonly publishDurations: JobDurations;
  /** Likewise for export jobs. */
  private readonly exportDurations: JobDurations;

  private constructor(
    private readonly session: ApiSession,
    counters: GenesysStats,
    private readonly options: ConnectOptions,
    private readonly cache: ExportCache | undefined,
    private readonly target: GenesysTarget,
  ) {
    this.counters = counters;
    // With a cache folder, what jobs took in earlier runs against this org is known from the start.
    const known = options.cacheDir ? loadJobTimes(options.cacheDir, target) : { publish: [], export: [] };
    this.publishDurations = new JobDurations(known.publish);
    this.exportDurations = new JobDurations(known.export);
  }

  /** Logs in; a RemoteError names bad credentials or an unreachable host. */
  static async connect(options: ConnectOptions): Promise<GenesysClient> {
    const target = typeof options.target === 'string' ? parseEnvUrl(options.target) : options.target;
    const stats = emptyStats();
    const rateLimit: Partial<RateLimitOptions> = {};
    if (options.requestsPerMinute !== undefined) rateLimit.requestsPerMinute = options.requestsPerMinute;
    if (options.maxConcurrent !== undefined) rateLimit.maxConcurrent = options.maxConcurrent;
    const session = await ApiSession.open({
      target,
      credentials: options.credentials,
      stats,
      rateLimit,
      ...(options.tokens !== undefined ? { tokens: options.tokens } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    const cache = options.cacheDir ? new ExportCache(options.cacheDir, options.cacheSecrets ?? []) : undefined;
    return new GenesysClient(session, stats, options, cache, target);
  }

  /**
   * Every live flow of these lowercase types (`inboundcall`, `commonmodule`); all types for `[]`.
   * `expected`: how many the caller expects (their pages are asked for at once).
   */
  listFlows(types: readonly string[], expected?: number): Promise<LiveFlowSummary[]> {
    return listFlows(this.session, types, {
      ...(this.options.pageSize !== undefined ? { pageSize: this.options.pageSize } : {}),
      ...(expected !== undefined ? { expected } : {}),
    });
  }

  /**
   * Every object of the kind in the org, by name (all pages), or why they were not listed (404: the
   * org models none; 403: the permission it lacks). Listed once per client: asking again answers
   * the same listing.
   */
  listOrgObjects(kind: ListableKind): Promise<OrgObjectListing> {
    let listing = this.objectListings.get(kind);
    if (!listing) {
      listing = listOrgObjects(this.session, kind);
      this.objectListings.set(kind, listing);
      // A failed listing is not kept: a later ask tries again.
      listing.catch(() => this.objectListings.delete(kind));
    }
    return listing;
  }

  /** The flows (of any type) whose lock this OAuth client holds: one listing filtered by the API. */
  flowsLockedBy(clientId: string): Promise<LiveFlowSummary[]> {
    return listFlows(this.session, [], {
      ...(this.options.pageSize !== undefined ? { pageSize: this.options.pageSize } : {}),
      lockedByClientId: clientId,
    });
  }

  /**
   * Published YAML by flow id, through batched export jobs and the cache. Throws FlowExportError,
   * which lists each flow that failed and carries the ones that exported.
   */
  exportFlows(refs: readonly FlowVersionRef[], options: ExportFlowsOptions = {}): Promise<Map<string, string>> {
    const defaults: ExportFlowsOptions = { durations: this.exportDurations };
    if (this.options.exportBatchSize !== undefined) defaults.batchSize = this.options.exportBatchSize;
    if (this.options.exportConcurrency !== undefined) defaults.concurrency = this.options.exportConcurrency;
    if (this.options.poll) defaults.poll = this.options.poll;
    if (this.cache) defaults.cache = this.cache;
    return exportFlows(this.session, this.counters, refs, { ...defaults, ...options });
  }

  /** Every version of a flow, with who created each (drift looks for flowops' own last one). */
  listFlowVersions(flowId: string): Promise<LiveVersion[]> {
    return listFlowVersions(this.session, flowId);
  }

  /** These flows' current state, read now, by id: one request per 50 flows. */
  getFlows(ids: readonly string[]): Promise<Map<string, LiveFlowSummary>> {
    return listFlowsById(this.session, ids);
  }

  /** One flow's current state, read now (never cached); undefined when it does not exist or was deleted. */
  getFlow(id: string): Promise<LiveFlowSummary | undefined> {
    return getFlow(this.session, id);
  }

  /** The live flow of this type (`inboundcall`) and name, compared case-insensitively as Genesys does. */
  findFlow(type: string, name: string): Promise<LiveFlowSummary | undefined> {
    return findFlow(this.session, type, name);
  }

  /**
   * What points at the flow (IVR configurations, queues, flows, bots), from dependency tracking:
   * every page, counted in `stats.consumerChecks`. `type` is the flow's lowercase API type.
   */
  flowConsumers(id: string, type: string): Promise<FlowConsumer[]> {
    return listFlowConsumers(this.session, this.counters, id, type);
  }

  /**
   * Creates or updates the flow in `yaml` and publishes it, through an Architect job. Rejects with
   * FlowJobError (`reason`, Architect's `messages`) when the job fails or does not finish in time;
   * the job is not retried here (apply re-reads the flow first).
   */
  publishFlow(yaml: string, options: PublishFlowOptions = {}): Promise<PublishResult> {
    return publishFlow(this.session, this.counters, yaml, {
      durations: this.publishDurations,
      ...options,
      ...(this.options.publishPoll ? { poll: this.options.publishPoll } : {}),
    });
  }

  /** Gets ready for `requestsAtOnce` requests sent together: the tokens they need are logged in. */
  prepare(requestsAtOnce: number): Promise<void> {
    return this.session.prepare(requestsAtOnce);
  }

  /** Registers an Architect job to upload a flow to later (publishFlow's `job`). */
  registerJob(): Promise<RegisteredJob> {
    return registerJob(this.session, this.counters);
  }

  /** Takes the flow's lock; its answer is the flow as it was then, when it says enough (flow-actions.ts). */
  checkoutFlow(id: string): Promise<LiveFlowSummary | undefined> {
    return checkoutFlow(this.session, id);
  }

  unlockFlow(id: string): Promise<void> {
    return unlockFlow(this.session, id);
  }

  /** Gives the flow a new name; it keeps its id, so what routes to it by id still does. */
  renameFlow(id: string, type: string, name: string): Promise<void> {
    return renameFlow(this.session, id, type, name);
  }

  /** Deletes the flow (gone already counts as done); FlowDeleteError when it is in use or locked. */
  deleteFlow(id: string): Promise<void> {
    return deleteFlow(this.session, id);
  }

  /** A copy of the counters: requests, logins, retries, 429s, downloads, uploads, export and publish jobs, job checks, cache hits, consumer checks. */
  get stats(): GenesysStats {
    return { ...this.counters };
  }

  /**
   * Finishes the export cache's writes (and takes no more), keeps what jobs took for the next run
   * (with a cache folder) and stops the rate limiter's timer: once it resolves, the client writes
   * nothing more to disk, whatever is still under way. The client cannot be used afterwards.
   */
  async close(): Promise<void> {
    await this.cache?.close();
    if (this.options.cacheDir)
      saveJobTimes(this.options.cacheDir, this.target, {
        publish: this.publishDurations.known(),
        export: this.exportDurations.known(),
      });
    await this.session.close();
  }
}

export function connectGenesys(options: ConnectOptions): Promise<GenesysClient> {
  return GenesysClient.connect(options);
}
