/**
 * The rules a run applies, as configured (rules/configure-rules.ts makes it): what each flow's check
 * hands to runRules, and what the check cache keys each file's answer by. Plain types only.
 */
import type { Rule } from './types.js';

/** A rule as available to a run: a built-in, or one of a plugin's (`plugin`: its file as written). */
export interface AvailableRule {
  rule: Rule;
  plugin?: string;
}

/** A rule that runs (severity error or warn), with its options from flowops.yaml. */
export interface ActiveRule extends AvailableRule {
  severity: 'error' | 'warn';
  options: Record<string, unknown>;
}

export interface RuleSet {
  /** The rules that run, built-ins first (in BUILTIN_RULES order), then the plugins' in the order listed. */
  active: ActiveRule[];
  /** Every rule id a run knows, whether it runs or not: a suppression naming another id is an error. */
  known: ReadonlySet<string>;
  /**
   * What the rules' answers depend on beyond a file's text and the check's options: the rules
   * engine's revision, each active rule's id, severity and options, and the plugins' file contents.
   * Part of each file's cache key (workspace/check-cache.ts).
   */
  fingerprint: string;
}
