import type { LiveVersion } from '../identity/index.js';
import type { GraphDiff } from './graph-diff.js';
import type { PlanReferences } from './org-references.js';

/** A live flow's published version (identity/own-version.ts says whether it is flowops' own). */
export type { LiveVersion };
/** The plan: data, saved as JSON (schemas/plan.schema.json), rendered by render/ without computing. */

/** The closed set of things flowops can do to a flow. */
export type PlanAction = 'create' | 'rename' | 'update' | 'republish' | 'delete' | 'unchanged';

export const PLAN_ACTIONS: readonly PlanAction[] = ['create', 'rename', 'update', 'republish', 'delete', 'unchanged'];

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

export interface PlannedFlow {
  /** `type:name`, the key everything pairs by. */
  id: string;
  type: string;
  name: string;
  action: PlanAction;
  /** The file the desired flow comes from (absent for a delete). */
  path?: string;
  /** For a rename: the live flow's name before (it keeps its id and takes `name`). */
  renamedFrom?: string;
  /** The live flow and the published version this step was computed against. */
  liveFlowId?: string;
  livePublishedVersion?: LiveVersion;
  /**
   * The live flow's description then, without flowops' note: a flow keeps it apart from its versions,
   * so it can be edited without a publish; apply refuses to overwrite such an edit too. Absent when
   * the file's description holds a secret substitution (the live one may hold its old value).
   */
  liveDescription?: string;
  /** sha256 of the live document's normal form (identity/normal-form.ts), when it was exported to compare. */
  liveHash?: string;
  /** sha256 of the desired document's canonical form: what the fingerprint is made of. */
  desiredHash?: string;
  /** The fingerprint apply writes into the note of the version it publishes, and verifies (identity/fingerprint.ts). */
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
  /**
   * For a delete (`--prune`): what pointed at the live flow when the plan was made (Genesys'
   * dependency tracking: IVR configurations, queues, flows, bots). A delete with consumers is
   * refused: the plan shows it, apply does not delete the flow.
   */
  consumers?: Consumer[];
  /** Ids of the flows that must be applied first. */
  dependsOn: string[];
  /**
   * For drawing (created, updated, renamed and republished flows): the diff of the live and desired
   * graphs, secrets masked (plan-graphs.ts). Not enumerable: never in the saved plan or `--json`, and
   * absent from a plan read back from a file.
   */
  readonly graph?: GraphDiff;
}

/** Something that points at a live flow: `IVR "Main number" routes to it`. */
export interface Consumer {
  /** Named for people: `IVR`, `queue`, `flow`, `bot`, ... */
  type: string;
  name: string;
  id?: string;
}

export interface PlanSummary {
  create: number;
  /** Present when the plan renames flows. */
  rename?: number;
  update: number;
  republish: number;
  /** Deletes that apply carries out (refused ones are not among them). */
  delete: number;
  /** Deletes refused because something still points at the flow (present when there are any). */
  refused?: number;
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
  /**
   * The org objects the changed and created flows name, checked against the environment (plan/org-references.ts):
   * absent when nothing was checked (an older plan, or an org reader that lists no objects).
   */
  references?: PlanReferences;
}
