/** Shared data shapes of the check layer. Plain data only: no I/O here. */

export type Severity = 'error' | 'warning';

/** One problem found in a file, positioned in the file as the user wrote it (before substitution). */
export interface Diagnostic {
  severity: Severity;
  /** Stable code, e.g. `unknown-module`; tools may branch on it, never on the message. */
  code: string;
  message: string;
  file: string;
  /** 1-based line and column. */
  line: number;
  col: number;
  /**
   * The house rule that reported it (issue 17; `code` is then the same id): printed after the message,
   * `... (calls-module)`, and named in SARIF. Absent for the check's own diagnostics.
   */
  rule?: string;
}

/** Kinds of org object a flow can name (shared/reference/org-references.md). */
export type OrgObjectKind =
  | 'queue'
  | 'prompt'
  | 'systemPrompt'
  | 'dataAction'
  | 'dataTable'
  | 'scheduleGroup'
  | 'schedule'
  | 'emergencyGroup'
  | 'language'
  | 'skill'
  | 'wrapupCode'
  | 'division'
  | 'user'
  | 'group'
  | 'contactList'
  | 'flow';

/** One object a flow names, where it sits in the file as written. */
export interface ObjectReference {
  kind: OrgObjectKind;
  /** The literal name (after substitution); absent when the reference is dynamic. */
  name?: string;
  /** dataAction: the integration (category) it belongs to. */
  integration?: string;
  /** flow: the flow types it may be (e.g. ['commonmodule'], ['bot'], ['inqueuecall']). */
  flowTypes?: string[];
  /** Dynamic references: the expression text, listed, never guessed. */
  expression?: string;
  /** Path of keys and indices into the flow document (the node holding the name or the map key). */
  path: (string | number)[];
  /** 1-based position in the file as written (through substitutions). */
  line: number;
  column: number;
}

export interface FlowSource {
  path: string;
  /**
   * The file as written. A reader that knows `textHash` may read it only when it is first asked for
   * (workspace/file-stats.ts): a check answered from the cache never asks.
   */
  text: string;
  /** `textHashOf(text)`, when the reader knows it already: the check's cache key then needs no text. */
  textHash?: string;
}

export type SubstitutionValue = string | number | boolean;

/** Where one `{{key}}` was replaced (check/substitute.ts): in the file as written and in the substituted text. */
export interface Replacement {
  /** Offsets of the placeholder in the original text. */
  origStart: number;
  origEnd: number;
  /** Offsets of the inserted value in the substituted text. */
  newStart: number;
  newEnd: number;
  key: string;
  /** True when the key had no value: the key itself was inserted so parsing can go on. */
  missing: boolean;
}

/** One file's own checks, as the cache keeps them (plain JSON). */
export interface FileCheckRecord {
  diagnostics: Diagnostic[];
  /**
   * The substituted text (absent when substitution changed nothing, or left out of a cache entry:
   * then worked out again when `replacements` is not empty) and where substitution replaced what, to
   * map positions back.
   */
  text?: string;
  replacements: Replacement[];
  flow?: {
    key: string;
    /** The document; absent in a record from the cache (read again from the text when asked for). */
    data?: Record<string, unknown>;
    /** Positions are not kept: the checks across files rarely need one, and then read the text again. */
    calls: Array<{ module: string; actionName?: string; path: Array<string | number> }>;
    /** The org objects the flow names, with their positions in the file as written (DesiredFlow.references). */
    references?: ObjectReference[];
    /** What DesiredFlow says of the flow besides its document (absent: the document names no flow). */
    identity?: FlowIdentity;
    /** `documentHash.of(data)`, when the check had one. */
    hash?: string;
    /** Where secret substitutions landed (absent: nowhere). Paths and keys only, never a value. */
    secretPlaces?: SecretPlace[];
    /**
     * The text is plain block YAML (the fast reader took it): positions can be found from its lines
     * (check/locate-block.ts), as the house rules' reports are. Absent: ask the YAML Document.
     */
    plain?: boolean;
    /**
     * A common module's `compatibleFlowTypes`, lowercase (null: it lists none, so any flow may call
     * it); absent for other flows and in older cache entries (then read from the document).
     */
    compatibleFlowTypes?: string[] | null;
  };
}

/** A place in a flow document whose value came (wholly or in part) from substitutions marked secret. */
export interface SecretPlace {
  /** Keys and indices from the document's top, e.g. `['inboundCall', 'tasks', 0, 'task', 'name']`. */
  path: Array<string | number>;
  /** The secret substitutions whose `{{key}}` the value holds. */
  keys: string[];
}

/** A flow's type, name, description and division, as its document gives them. */
export interface FlowIdentity {
  /** The API's flow type, lowercase. */
  type: string;
  name: string;
  description?: string;
  division?: string;
}

/**
 * A fingerprint of a flow's document that its users compare (plan: the canonical hash), worked out
 * with each file's checks and kept with them: a run that reads a file's checks from the cache then
 * needs its document only if it differs. `id` names the function's revision and goes into the cache
 * key, so a changed function never meets an old answer.
 */
export interface DocumentHash {
  id: string;
  of(document: Record<string, unknown>): string;
}

/** One file's substitutions when `files` entries of flowops.yaml give it values of its own. */
export interface FileSubstitutions {
  /** The environment's values with the file's over them. */
  values: Record<string, SubstitutionValue>;
  /** The keys of `values` marked secret. */
  secretKeys: string[];
}

export interface CheckOptions {
  /** `{{key}}` values of the environment, already resolved (fromEnv read by the caller). */
  substitutions?: Record<string, SubstitutionValue>;
  /**
   * By FlowSource.path, the files that have substitutions of their own (config/file-substitutions.ts):
   * they stand instead of `substitutions` and `secretKeys` for that file.
   */
  files?: Record<string, FileSubstitutions>;
  /** Named in "missing substitution" errors. */
  environment?: string;
  /** The keys of `substitutions` marked secret: where they land is DesiredFlow.secretPlaces. */
  secretKeys?: string[];
  /** Common modules that exist in the org but not among the sources. */
  externalModules?: string[];
  /**
   * Other flows (bots, transfer targets, in-queue flows) that exist in the org but not among the
   * sources, by name: a call or transfer to one of them is not an unknown callee.
   */
  externalFlows?: string[];
  /** Largest accepted file, in bytes (default 5 MiB). */
  maxFileBytes?: number;
  /** Worked out for each flow's document, kept in the cache with the checks (DesiredFlow.hash). */
  documentHash?: DocumentHash;
}

/** A flow as the repository wants it. */
export interface DesiredFlow {
  path: string;
  /** The document's top-level key, e.g. `inboundCall`. */
  key: string;
  /** The API's flow type, lowercase, e.g. `inboundcall`. */
  type: string;
  name: string;
  description?: string;
  division?: string;
  // The parsed document is not a field: check/parse.ts desiredDocument(flow) gives it (the one the
  // check parsed, or the text read again for a check answered from the cache).
  /** CheckOptions.documentHash of the document, when the check had one. */
  hash?: string;
  /** The text after substitution: what Archy receives. */
  text: string;
  /** Names of the common modules this flow calls (deduplicated, in order of appearance). */
  calls: string[];
  /** Every org object the flow names, in the order of the file (check/object-references.ts). */
  references: ObjectReference[];
  /**
   * The places of the document whose value holds a secret substitution: every output masks the
   * value there, on the live side too (a rotated secret's old value is live until applied).
   */
  secretPlaces?: SecretPlace[];
}

export interface DependencyGraph {
  /** Flow ids (`type:name`), every callee (module, bot, transfer target) before the flows that call it. */
  order: string[];
  /** Callee id -> ids of the flows that call it (modules, bots, transfer targets, in-queue flows). */
  callers: Record<string, string[]>;
  /** Flow id -> ids of the flows it calls or transfers to (only those among the sources). */
  dependsOn: Record<string, string[]>;
}

export interface CheckResult {
  flows: DesiredFlow[];
  diagnostics: Diagnostic[];
  graph: DependencyGraph;
}
