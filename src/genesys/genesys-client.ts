/**
 * The read path's front door: `connectGenesys(options)` logs in and returns a client whose methods
 * take and give plain data. Each client owns its SDK ApiClient, limiter and counters, so two
 * clients (two orgs, two tokens) never share state.
 */
import { ApiSession } from './api-session.js';
import { type ConnectionSettings, type GenesysTarget, parseEnvUrl } from './connection.js';
import { ExportCache } from './export-cache.js';
import { exportFlows, type ExportFlowsOptions } from './export-flows.js';
import { listFlows } from './list-flows.js';
import type { PollOptions } from './poll.js';
import type { RateLimitOptions } from './rate-limit.js';
import type { RetryOptions } from './should-retry.js';
import { emptyStats, type FlowVersionRef, type GenesysStats, type LiveFlowSummary } from './types.js';

export interface ConnectOptions {
  /** A parsed target, or the text of GENESYS_ENV_URL. */
  target: GenesysTarget | string;
  credentials: ConnectionSettings['credentials'];
  /** Requests a minute this client sends at most (default 300, Genesys' limit per token). */
  requestsPerMinute?: number;
  /** Requests in flight at once (default 8). */
  maxConcurrent?: number;
  /** Per request; default 16 s, the SDK's. */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** Page size of flow listings (default and maximum 500). */
  pageSize?: number;
  /** Flows per export job (default 100). */
  exportBatchSize?: number;
  /** Export jobs at once (default 3). */
  exportConcurrency?: number;
  poll?: Partial<PollOptions>;
  /** Folder of the export cache (e.g. `.flowops/cache`); no cache when absent. */
  cacheDir?: string;
  /** Clock for token renewal (tests). */
  now?: () => number;
}

export class GenesysClient {
  private readonly counters: GenesysStats;

  private constructor(
    private readonly session: ApiSession,
    counters: GenesysStats,
    private readonly options: ConnectOptions,
    private readonly cache: ExportCache | undefined,
  ) {
    this.counters = counters;
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
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    const cache = options.cacheDir ? new ExportCache(options.cacheDir) : undefined;
    return new GenesysClient(session, stats, options, cache);
  }

  /** Every live flow of these lowercase types (`inboundcall`, `commonmodule`); all types for `[]`. */
  listFlows(types: readonly string[]): Promise<LiveFlowSummary[]> {
    return listFlows(this.session, types, this.options.pageSize !== undefined ? { pageSize: this.options.pageSize } : {});
  }

  /**
   * Published YAML by flow id, through batched export jobs and the cache. Throws FlowExportError,
   * which lists each flow that failed and carries the ones that exported.
   */
  exportFlows(refs: readonly FlowVersionRef[], options: ExportFlowsOptions = {}): Promise<Map<string, string>> {
    const defaults: ExportFlowsOptions = {};
    if (this.options.exportBatchSize !== undefined) defaults.batchSize = this.options.exportBatchSize;
    if (this.options.exportConcurrency !== undefined) defaults.concurrency = this.options.exportConcurrency;
    if (this.options.poll) defaults.poll = this.options.poll;
    if (this.cache) defaults.cache = this.cache;
    return exportFlows(this.session, this.counters, refs, { ...defaults, ...options });
  }

  /** A copy of the counters: requests, logins, retries, 429s, downloads, export jobs, cache hits. */
  get stats(): GenesysStats {
    return { ...this.counters };
  }

  /** Stops the rate limiter's timer. The client cannot be used afterwards. */
  close(): Promise<void> {
    return this.session.close();
  }
}

export function connectGenesys(options: ConnectOptions): Promise<GenesysClient> {
  return GenesysClient.connect(options);
}
