/**
 * The emulator's whole state, as plain JSON-able data, and its persistence: after every change the
 * state is written to `--state FILE` atomically (temporary file, fsync, rename), so the file is always
 * one complete JSON document. Writes are serialized and coalesced: a change made while a write is
 * under way is carried by the next write, and `commit()` resolves once a write holding it is on disk.
 */
import { UsageError } from '../errors.js';
import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';

export type VersionType = 'PUBLISH' | 'CHECKIN';
export type ContentType = 'yaml' | 'json';

export interface StoredVersion {
  /** "1.0", "2.0", ... */
  id: string;
  type: VersionType;
  /**
   * The flow as Architect keeps it: the document the upload parsed to (after substitution), or the
   * JSON a draft saved through the API held. Exports are written from it (architect-export.ts).
   */
  document?: Record<string, unknown>;
  /** The tracking numbers of this version's containers (tracking.ts), absent in older state files. */
  tracking?: Record<string, number>;
  /** Older state files only: the uploaded YAML or saved JSON text, parsed when exported. */
  content?: string;
  contentType?: ContentType;
  /** Names of the common modules this version calls. */
  calls: string[];
  clientId: string;
  createdAt: number;
  publishedAt?: number;
}

export interface StoredDraft {
  content: string;
  contentType: ContentType;
  clientId: string;
  savedAt: number;
}

export interface StoredFlow {
  id: string;
  name: string;
  /** API type, lowercase: `inboundcall`, `commonmodule`, ... */
  type: string;
  description?: string;
  divisionId: string;
  divisionName: string;
  active: boolean;
  deleted: boolean;
  deletedAt?: number;
  /** Client id holding the lock (client-credentials tokens lock as a client). */
  lockedBy?: string;
  lockedAt?: number;
  draft?: StoredDraft;
  versions: StoredVersion[];
  publishedVersionId?: string;
  checkedInVersionId?: string;
  createdAt: number;
  /** Set for common modules from `settingsCommonModule.compatibleFlowTypes`. */
  compatibleFlowTypes?: string[];
  /** The next tracking number a new container takes (tracking.ts); absent in older state files. */
  trackingNext?: number;
}

export type JobStatus = 'Registered' | 'Started' | 'Success' | 'Failure';

export interface StoredMessage {
  dateTime: string;
  type: string;
  text: string;
  details?: { type?: string; method?: string; url?: string; statusCode?: number; statusMessage?: string }[];
}

export interface StoredJob {
  id: string;
  clientId: string;
  status: JobStatus;
  command?: 'Create' | 'Update';
  flowId?: string;
  messages: StoredMessage[];
  /** Signature required on the presigned upload URL. */
  uploadToken: string;
  createdAt: number;
}

export interface StoredExportEntry {
  flowId: string;
  name: string;
  type: string;
  version: string;
  fileName: string;
}

/** One flow asked for in an export job, as the client sent it (the SDK's ExportDetails). */
export interface StoredExportRequest {
  flow: { id?: string; name?: string; type?: string; version?: string };
  fileName?: string;
  exportType?: string;
}

export interface StoredExportJob {
  id: string;
  clientId: string;
  status: JobStatus;
  requests: StoredExportRequest[];
  /** Resolved when the job runs. */
  entries: StoredExportEntry[];
  messages: StoredMessage[];
  downloadToken: string;
  createdAt: number;
}

export interface StoredToken {
  clientId: string;
  expiresAt: number;
}

/**
 * An IVR configuration (call routing: phone numbers to inbound flows), as the SDK's `Models.IVR`
 * holds it; flows are referenced by id, as Genesys does (org-references.md).
 */
export interface StoredIvr {
  id: string;
  name: string;
  description?: string;
  dnis: string[];
  openHoursFlowId?: string;
  closedHoursFlowId?: string;
  holidayHoursFlowId?: string;
  /** Schedule groups are not modelled: the id is kept as given. */
  scheduleGroupId?: string;
  divisionId: string;
  divisionName: string;
  /** 1 at creation, one more at every update (the model's `version`). */
  version: number;
  createdBy: string;
  modifiedBy: string;
  createdAt: number;
  modifiedAt: number;
}

/** A routing queue, only as far as flows are concerned: its name and its in-queue flows, by id. */
export interface StoredQueue {
  id: string;
  name: string;
  description?: string;
  queueFlowId?: string;
  emailInQueueFlowId?: string;
  messageInQueueFlowId?: string;
  divisionId: string;
  divisionName: string;
  createdBy: string;
  createdAt: number;
}

export interface EmulatorState {
  schemaVersion: 1;
  flows: Record<string, StoredFlow>;
  /** The org's objects that point at flows; absent in older state files (read as none). */
  ivrs: Record<string, StoredIvr>;
  queues: Record<string, StoredQueue>;
  jobs: Record<string, StoredJob>;
  exportJobs: Record<string, StoredExportJob>;
  /** Keyed by the SHA-256 of the token: the file never holds a usable token. */
  tokens: Record<string, StoredToken>;
}

export function emptyState(): EmulatorState {
  return { schemaVersion: 1, flows: {}, ivrs: {}, queues: {}, jobs: {}, exportJobs: {}, tokens: {} };
}

/** A state file that cannot be read or written: the user's to fix, one line (a UsageError). */
export class StateFileError extends UsageError {
  override readonly name = 'StateFileError';
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class StateStore {
  private dirty = false;
  private writing: Promise<void> | null = null;
  private waiters: Waiter[] = [];

  private constructor(
    readonly state: EmulatorState,
    private readonly file: string | undefined,
    /** Called just before each write, e.g. to prune expired tokens. */
    private readonly beforeWrite: (state: EmulatorState) => void,
  ) {}

  /** Reads FILE if it exists (a missing file is a fresh start). */
  static async open(
    file: string | undefined,
    beforeWrite: (state: EmulatorState) => void = () => {},
  ): Promise<StateStore> {
    if (!file) return new StateStore(emptyState(), undefined, beforeWrite);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return new StateStore(emptyState(), file, beforeWrite);
      }
      throw error;
    }
    return new StateStore(parseState(file, text), file, beforeWrite);
  }

  get persistent(): boolean {
    return this.file !== undefined;
  }

  /** Records that the state changed; resolves when a write that includes the change is on disk. */
  commit(): Promise<void> {
    if (!this.file) return Promise.resolve();
    this.dirty = true;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.startWrite();
    return done;
  }

  /** Resolves when every change committed so far is on disk. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing.catch(() => {});
  }

  private startWrite(): void {
    if (this.writing || !this.dirty || !this.file) return;
    this.dirty = false;
    const waiters = this.waiters;
    this.waiters = [];
    this.beforeWrite(this.state);
    // Serialized synchronously: the snapshot is consistent because handlers mutate synchronously.
    const text = JSON.stringify(this.state);
    // A temporary file, fsync, rename (write-file-atomic): the state file is always whole.
    this.writing = writeFileAtomic(this.file, text)
      .then(
        () => waiters.forEach((w) => w.resolve()),
        (error: unknown) => waiters.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        this.writing = null;
        this.startWrite();
      });
  }
}

function parseState(file: string, text: string): EmulatorState {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const state = data as Partial<EmulatorState> | null;
  if (!state || typeof state !== 'object' || state.schemaVersion !== 1 || typeof state.flows !== 'object') {
    throw new StateFileError(`${file}: not an emulator state file (schemaVersion 1 expected)`);
  }
  return { ...emptyState(), ...state } as EmulatorState;
}
