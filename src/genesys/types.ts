/** Plain data that leaves `genesys/`: nothing above this folder sees an SDK model. */

/** The published version a live flow runs, as the plan records it. */
export interface LiveVersion {
  /** FlowVersion id, e.g. "2.0": the optimistic token (there is no ETag on a flow). */
  id: string;
  datePublished?: string;
  /** The user's name, or the OAuth client's name when a client published it. */
  createdBy?: string;
  /** The OAuth client's id (`createdByClient.id`) when a client, not a person, created the version. */
  createdByClientId?: string;
}

export interface LiveFlowSummary {
  id: string;
  name: string;
  /** Lowercase, as in query parameters and Archy (`inboundcall`); response bodies say INBOUNDCALL. */
  type: string;
  description?: string;
  division?: { id: string; name: string };
  publishedVersion?: LiveVersion;
  /** Name of the user (lockedUser) or OAuth client (lockedClient) holding the lock. */
  lockedBy?: string;
  /** The OAuth client's id when a client (not a person) holds the lock: flowops knows its own by it. */
  lockedByClientId?: string;
  deleted?: boolean;
}

/**
 * Something that points at a flow (Genesys' dependency tracking): an IVR configuration routing a
 * number to it, a queue whose in-queue flow it is, a flow calling it, a bot... `type` is named for
 * people: `IVR`, `queue`, `flow`, `bot`, `email route`, `script`, else the API's type in lowercase.
 */
export interface FlowConsumer {
  type: string;
  name: string;
  id: string;
}

/** A flow version to export: the flow id and its published version id. */
export interface FlowVersionRef {
  id: string;
  version: string;
  /** Only for messages. */
  name?: string;
  /**
   * The flow's file has secret substitutions: its content is read but never written to the export
   * cache (the cache refuses values it knows to be secret, but the live content may hold a rotated
   * secret's old value, which nothing names any more).
   */
  holdsSecrets?: boolean;
}

/** Deterministic counters for tests and benchmarks. */
export interface GenesysStats {
  /** HTTP requests sent to the login and API hosts (every attempt, logins included). */
  requests: number;
  logins: number;
  /** Attempts repeated after a retryable failure (429, 5xx, reset, timeout) or a 401. */
  retries: number;
  /** 429 answers received. */
  throttled: number;
  /** GETs of presigned export download URLs (not the API host, not rate limited). */
  downloads: number;
  exportJobs: number;
  /** PUTs of Archy YAML to presigned upload URLs (not the API host, not rate limited). */
  uploads: number;
  /** Architect jobs registered by publishFlow (`POST /api/v2/flows/jobs`). */
  publishJobs: number;
  /** Checks of an Architect job's state (`GET /api/v2/flows/jobs/{id}`), each also a request. */
  publishPolls: number;
  cacheHits: number;
  cacheMisses: number;
  /** Cache entries that could not be written (the export itself still succeeded). */
  cacheWriteErrors: number;
  /** Requests to dependency tracking for what points at a flow (`consumingresources`, each page), each also a request. */
  consumerChecks: number;
}

export function emptyStats(): GenesysStats {
  return {
    requests: 0,
    logins: 0,
    retries: 0,
    throttled: 0,
    downloads: 0,
    exportJobs: 0,
    uploads: 0,
    publishJobs: 0,
    publishPolls: 0,
    cacheHits: 0,
    cacheMisses: 0,
    cacheWriteErrors: 0,
    consumerChecks: 0,
  };
}
