/**
 * From the `rules:` section of flowops.yaml and the rules available (the built-ins, the plugins'),
 * the rules a run applies: each named id must exist, its options must suit it (the rule's own
 * validateOptions), and a rule not named runs at its default. Mistakes are diagnostics at their
 * place in flowops.yaml (the caller raises them as a ConfigError: exit 1). Pure.
 */
import { createHash } from 'node:crypto';
import { closest, distance } from 'fastest-levenshtein';
import type { Diagnostic } from '../check/types.js';
import type { RulesSection } from '../config/config.js';
import type { ActiveRule, AvailableRule, RuleSet } from './rule-set.js';
import type { RuleSeverity } from './types.js';

/**
 * Bump when what the engine reports for the same rules changes (positions, suppressions, messages),
 * or when a built-in rule's behaviour changes, so cached answers of an older flowops are not reused.
 */
export const RULES_REVISION = 1;

const ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export interface ConfigureInput {
  section: RulesSection | undefined;
  /** Built-ins first, then each plugin's rules. */
  available: readonly AvailableRule[];
  /** flowops.yaml as messages show it. */
  configPath: string;
  /** A digest of each plugin file's content, by its path as written (into the fingerprint). */
  pluginDigests?: Readonly<Record<string, string>>;
}

export function configureRules(input: ConfigureInput): { rules?: RuleSet; diagnostics: Diagnostic[] } {
  const { section, available, configPath } = input;
  const diagnostics: Diagnostic[] = [];
  const fail = (message: string, at = section?.at ?? { line: 1, col: 1 }) =>
    diagnostics.push({ severity: 'error', code: 'config', message, file: configPath, line: at.line, col: at.col });
  const byId = new Map<string, AvailableRule>();
  for (const entry of available) {
    const { id } = entry.rule;
    const at = section?.plugins.find((p) => p.path === entry.plugin)?.at;
    const first = byId.get(id);
    if (!ID_PATTERN.test(id)) fail(`${origin(entry)}: rule id "${id}" is not lower-case words joined by "-"`, at);
    else if (first) fail(`${origin(entry)}: rule "${id}" is also defined by ${origin(first)}`, at);
    else byId.set(id, entry);
  }
  const settings = new Map((section?.settings ?? []).map((s) => [s.id, s]));
  for (const setting of settings.values()) {
    const entry = byId.get(setting.id);
    if (!entry) {
      fail(`rules.${setting.id}: unknown rule${suggestion(setting.id, [...byId.keys()])}`, setting.at);
      continue;
    }
    // A rule turned off needs no options (`calls-module: off`); it is not run, so they are not checked.
    if (setting.severity === 'off') continue;
    const problem = optionsProblem(entry, optionsOf(entry, setting.options));
    if (problem) fail(`rules.${setting.id}: ${problem}`, setting.at);
  }
  if (diagnostics.length) return { diagnostics };
  const active: ActiveRule[] = [];
  for (const entry of byId.values()) {
    const setting = settings.get(entry.rule.id);
    const severity = setting ? (setting.severity ?? 'error') : defaultSeverity(entry);
    if (severity === 'off') continue;
    active.push({ ...entry, severity, options: optionsOf(entry, setting?.options) });
  }
  return {
    rules: {
      active,
      known: new Set(byId.keys()),
      fingerprint: fingerprintOf(active, [...byId.keys()], input.pluginDigests),
    },
    diagnostics,
  };
}

/**
 * A rule nobody configured: a built-in runs at its own default, but never as an error (a new
 * flowops must not fail a pipeline that passed), with its own default options only, so a built-in
 * whose options are required (calls-module needs its module) defaults to off. A plugin's rule runs
 * only when named.
 */
function defaultSeverity(entry: AvailableRule): RuleSeverity {
  if (entry.plugin !== undefined) return 'off';
  const given = entry.rule.defaultSeverity ?? 'off';
  if (given === 'off' || optionsProblem(entry, optionsOf(entry, undefined))) return 'off';
  return 'warn';
}

/** The options a rule runs with: flowops.yaml's over the rule's own defaults. */
function optionsOf(entry: AvailableRule, given: Record<string, unknown> | undefined): Record<string, unknown> {
  const defaults = entry.rule.options;
  return isPlainObject(defaults) ? { ...defaults, ...given } : { ...given };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionsProblem(entry: AvailableRule, options: Record<string, unknown>): string | undefined {
  try {
    return entry.rule.validateOptions?.(options);
  } catch (err) {
    return `${origin(entry)}: validateOptions threw: ${err instanceof Error ? err.message : String(err)}`;
  }
}

function origin(entry: AvailableRule): string {
  return entry.plugin === undefined ? `built-in rule ${entry.rule.id}` : `plugin ${entry.plugin}`;
}

function suggestion(id: string, known: string[]): string {
  if (known.length === 0) return '';
  const near = closest(id, known);
  const hint = distance(id, near) <= Math.max(2, Math.floor(id.length / 3)) ? ` (did you mean "${near}"?)` : '';
  return `${hint}; known rules: ${known.join(', ')}`;
}

/** The known ids count too: a suppression naming an id no rule has is an error, so a new plugin changes answers. */
function fingerprintOf(
  active: readonly ActiveRule[],
  known: readonly string[],
  digests: Readonly<Record<string, string>> = {},
): string {
  const parts = active.map((a) => [a.rule.id, a.severity, a.options, a.plugin ?? null]);
  const plugins = Object.entries(digests).sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256')
    .update(JSON.stringify([RULES_REVISION, parts, known, plugins]))
    .digest('hex')
    .slice(0, 16);
}
