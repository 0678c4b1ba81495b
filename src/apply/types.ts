import type { Consumer, LiveVersion, PlanAction } from '../plan/types.js';

/** What apply needs of an org; `genesys/` provides it (GenesysClient), tests may too. */
export interface LiveFlowState {
  id: string;
  name: string;
  type: string;
  publishedVersion?: LiveVersion;
  /** The flow's description, with flowops' note when it published the version (how it knows its own). */
  description?: string;
  /** Who holds the lock (a user's or an OAuth client's name), when someone does. */
  lockedBy?: string;
  /** The OAuth client's id, when a client holds the lock (how apply knows a lock is its own). */
  lockedByClientId?: string;
}

/** An Architect job registered ahead of its upload (OrgWriter.registerJob). */
export interface RegisteredJob {
  id: string;
  presignedUrl: string;
  headers: Record<string, string>;
}

export interface OrgWriter {
  getFlow(id: string): Promise<LiveFlowState | undefined>;
  /** Several flows' current state at once, by id (absent when deleted or unknown). */
  getFlows(ids: readonly string[]): Promise<Map<string, LiveFlowState>>;
  findFlow(type: string, name: string): Promise<LiveFlowState | undefined>;
  /** Registers a job, uploads the file (then calls `onUploaded`), and waits for the job. */
  publishFlow(
    yaml: string,
    options?: {
      onPoll?: (elapsedMs: number) => void;
      onUploaded?: () => void;
      timeoutMs?: number;
      job?: Promise<RegisteredJob>;
    },
  ): Promise<{ flowId: string; jobId: string; messages: string[] }>;
  /** Takes the flow's lock for the client apply runs as. */
  checkoutFlow(id: string): Promise<LiveFlowState | undefined>;
  registerJob(): Promise<RegisteredJob>;
  unlockFlow(id: string): Promise<void>;
  /** Gives the flow a new name, keeping its id. */
  renameFlow(id: string, type: string, name: string): Promise<void>;
  deleteFlow(id: string): Promise<void>;
  /** What points at the flow (dependency tracking: IVRs, queues, flows, bots); asked right before a delete. */
  flowConsumers(id: string, type: string): Promise<Consumer[]>;
  /** Every flow whose lock this OAuth client holds. */
  flowsLockedBy(clientId: string): Promise<LiveFlowState[]>;
}

/** How each flow ended. `converged` means the org already had the desired content. */
export type FlowStatus = 'applied' | 'deleted' | 'unchanged' | 'converged' | 'skipped' | 'stale' | 'failed';

export interface FlowOutcome {
  id: string;
  type: string;
  name: string;
  action: PlanAction;
  status: FlowStatus;
  /** Why, for anything but applied/unchanged. */
  reason?: string;
  /** The version apply published. */
  publishedVersion?: string;
  attempts: number;
  durationMs: number;
}

export interface ApplyReport {
  environment: string;
  gitCommit?: string;
  /** The pull request the change came from, when known. */
  pullRequest?: number;
  startedAt: string;
  finishedAt: string;
  outcomes: FlowOutcome[];
  /** True when every planned flow ended applied, deleted, unchanged or converged. */
  converged: boolean;
  counts: Record<FlowStatus, number>;
  /** Flows whose lock an interrupted earlier apply (same client) had left, released by this one. */
  releasedLocks?: string[];
  /** Things worth knowing that are not one flow's outcome. */
  notes?: string[];
}

export type LockPolicy = 'fail' | 'wait';

export interface ApplyOptions {
  /** Flows being looked at and written at once (default 50, operations/apply.ts DEFAULT_CONCURRENCY; the rate limiter keeps requests within the budget whatever this is). */
  concurrency: number;
  lockPolicy: LockPolicy;
  /** Unlock flows locked by someone else (checks in their draft: only when asked). */
  forceUnlock: boolean;
  /** The OAuth client apply runs as: its own leftover locks are not someone else's. */
  clientId: string;
  /** Written into each version's description, for audit. */
  gitCommit?: string;
  /** Written next to the commit when known (`[flowops <sha> PR #12]`). */
  pullRequest?: number;
  /** How long `--lock-policy wait` waits for a lock to go (default 10 min). */
  lockWaitMs: number;
  /** Attempts per flow for transient failures, version races and 409s (default: genesys/should-retry.ts DEFAULT_ATTEMPT_RETRY, 5). */
  maxAttempts?: number;
  /** Base of the jittered exponential backoff between attempts (default 1 s, DEFAULT_ATTEMPT_RETRY; tests use less). */
  backoffMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

/** Progress, for the live view or the plain lines. */
export type ApplyEvent =
  | { type: 'start'; id: string; action: PlanAction }
  | { type: 'progress'; id: string; message: string }
  | { type: 'end'; outcome: FlowOutcome };
