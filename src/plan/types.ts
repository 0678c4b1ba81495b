/** The plan: data, saved as JSON (schemas/plan.schema.json), rendered by render/ without computing. */

/** The closed set of things flowops can do to a flow. */
export type PlanAction = 'create' | 'update' | 'republish' | 'delete' | 'unchanged';

export const PLAN_ACTIONS: readonly PlanAction[] = ['create', 'update', 'republish', 'delete', 'unchanged'];

export interface PatchOperation {
  op: 'add' | 'remove' | 'replace' | 'test' | 'move' | 'copy';
  path: string;
  value?: unknown;
  from?: string;
}

/** One change in words: where (by names), what it was, what it becomes. */
export interface Change {
  kind: 'add' | 'remove' | 'replace';
  /** e.g. `task "Startup Task" > action 2 "Play Audio" (playAudio) > audio.tts` */
  where: string;
  /** The JSON Pointer of the same place, for tools. */
  path: string;
  /** `***` at or under the place of a secret substitution (plan/secrets.ts). */
  from?: unknown;
  to?: unknown;
}

export interface LiveVersion {
  id: string;
  datePublished?: string;
  /** A person's or an OAuth client's name, for people. */
  createdBy?: string;
  /** The OAuth client that created the version (`createdByClient.id`), when a client did: how flowops knows its own. */
  createdByClientId?: string;
}

export interface PlannedFlow {
  /** `type:name`, the key everything pairs by. */
  id: string;
  type: string;
  name: string;
  action: PlanAction;
  /** The file the desired flow comes from (absent for a delete). */
  path?: string;
  /** The live flow and the published version this step was computed against. */
  liveFlowId?: string;
  livePublishedVersion?: LiveVersion;
  /**
   * The live flow's description then, without flowops' note: a flow keeps it apart from its versions,
   * so it can be edited without a publish; apply refuses to overwrite such an edit too. Absent when
   * the file's description holds a secret substitution (the live one may hold its old value).
   */
  liveDescription?: string;
  /** sha256 of the live document's normal form (plan/normal-form.ts), when it was exported to compare. */
  liveHash?: string;
  /** sha256 of the desired document's canonical form: what the fingerprint is made of. */
  desiredHash?: string;
  /** The fingerprint apply writes into the note of the version it publishes, and verifies (plan/fingerprint.ts). */
  desiredFingerprint?: string;
  /**
   * How the live flow was compared: `identity` (flowops' own version with the desired fingerprint:
   * nothing exported) or `content` (exported and compared in the normal form).
   */
  comparedBy?: 'identity' | 'content';
  /**
   * RFC 6902 patch from live to desired, with `test` operations guarding the old values; `***` at
   * the places of secret substitutions, on both sides (plan/secrets.ts).
   */
  patch: PatchOperation[];
  changes: Change[];
  /** Why: for a republish, the module(s) that change. */
  reason?: string;
  /** Ids of the flows that must be applied first. */
  dependsOn: string[];
}

export interface PlanSummary {
  create: number;
  update: number;
  republish: number;
  delete: number;
  unchanged: number;
}

export interface Plan {
  formatVersion: 2;
  environment: string;
  gitCommit?: string;
  createdAt: string;
  /** In the order apply walks them: dependencies first, deletes last. */
  flows: PlannedFlow[];
  summary: PlanSummary;
  /** Live flows of the managed types that no file describes, when not pruning (names only). */
  unmanaged: string[];
}
