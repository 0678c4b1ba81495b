/**
 * The house rules' interface (issue 17), shared by the built-in rules and by plugins: a plugin is an
 * ES module whose default export is `{rules: Rule[]}`, and a built-in rule is written against the same
 * shape, so the public API is the one our own rules prove. Plain data and functions: no I/O.
 *
 * Version 1 of the plugin API (README "House rules"): adding optional fields is compatible; renaming
 * or removing one is a new version.
 */
import type { ObjectReference } from '../check/types.js';

/** How a configured rule reports: `warn` makes warnings, `off` does not run the rule. */
export type RuleSeverity = 'error' | 'warn' | 'off';

/** A key or an index into the flow's document: `['inboundCall', 'tasks', 0, 'task', 'actions', 2]`. */
export type DocumentPath = (string | number)[];

/** The flow a rule looks at: the substituted plain document (what Genesys would get), not the YAML text. */
export interface RuleFlow {
  /** The flow type, lower case as Genesys writes it: `inboundcall`, `commonmodule`, ... */
  type: string;
  name: string;
  /** The file, relative to flowops.yaml's folder, as diagnostics print it. */
  path: string;
  /** The parsed document after substitution: `{inboundCall: {name, ..., tasks: [...]}}`. */
  document: Record<string, unknown>;
}

export interface RuleContext<Options = Record<string, unknown>> {
  /**
   * The rule's options from flowops.yaml (`{severity, ...options}` minus `severity`) over the rule's
   * own defaults (`Rule.options`); `{}` when neither gives any.
   */
  options: Options;
  /** The org objects the flow names, each with its path and position (check/object-references.ts). */
  references: readonly ObjectReference[];
  /**
   * Report one problem at `path` in `document`; flowops turns the path into the line and column of the
   * file as written (through substitutions). A path that is not in the document reports at the flow's
   * first line rather than failing.
   */
  report(path: DocumentPath, message: string): void;
}

export interface Rule<Options = Record<string, unknown>> {
  /** Lower-case words joined by `-`: `calls-module`; unique among the built-ins and every plugin. */
  id: string;
  /** One sentence: what the rule catches (SARIF's shortDescription; the rules of `flowops validate --json`). */
  description: string;
  /** Longer help in markdown: why it matters and how to fix it (SARIF's help). */
  help?: string;
  /**
   * The severity when flowops.yaml does not configure the rule, at most `warn` (an `error` here runs as
   * `warn`: a new rule never fails a pipeline that passed); `off` when absent, and for a built-in whose
   * options are required. Plugins' rules are `off` unless configured.
   */
  defaultSeverity?: RuleSeverity;
  /**
   * The options' defaults: what `ctx.options` holds where flowops.yaml says nothing, under the options
   * it gives (a shallow merge; `validateOptions` sees the merged options).
   */
  options?: Partial<Options>;
  /** Checks the options when flowops.yaml is read: returns a message for bad options, or nothing. */
  validateOptions?(options: Options): string | undefined;
  /** Runs on one flow; synchronous, and may throw (reported as the rule's own error, the others still run). */
  check(flow: RuleFlow, context: RuleContext<Options>): void;
}
