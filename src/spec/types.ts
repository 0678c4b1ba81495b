/** Shared data shapes of the spec layer. Plain data only: no I/O here. */

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
}

export interface FlowSource {
  path: string;
  text: string;
}

export type SubstitutionValue = string | number | boolean;

export interface CheckOptions {
  /** `{{key}}` values of the environment, already resolved (fromEnv read by the caller). */
  substitutions?: Record<string, SubstitutionValue>;
  /** Named in "missing substitution" errors. */
  environment?: string;
  /** Common modules that exist in the org but not among the sources. */
  externalModules?: string[];
  /** Largest accepted file, in bytes (default 5 MiB). */
  maxFileBytes?: number;
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
  /** The parsed document as plain data. */
  document: Record<string, unknown>;
  /** The text after substitution: what Archy receives. */
  text: string;
  /** Names of the common modules this flow calls (deduplicated, in order of appearance). */
  calls: string[];
}

export interface DependencyGraph {
  /** Flow ids (`type:name`), every module before the flows that call it. */
  order: string[];
  /** Module id -> ids of the flows that call it. */
  callers: Record<string, string[]>;
  /** Flow id -> ids of the modules it calls (only those among the sources). */
  dependsOn: Record<string, string[]>;
}

export interface CheckResult {
  flows: DesiredFlow[];
  diagnostics: Diagnostic[];
  graph: DependencyGraph;
}

export function flowId(type: string, name: string): string {
  return `${type}:${name}`;
}
