import type { ValidateFunction } from 'ajv';
import { parseDocument } from 'yaml';
import { validate as compiledConfigValidator } from '../generated/config-validator.js';
import { describeConfigError } from './config-errors.js';
import { locate } from '../check/locate.js';
import { SourceFile } from '../check/source.js';
import type { Diagnostic, SubstitutionValue } from '../check/types.js';
import { isObject } from '../check/walk.js';
import { fileEntriesOf, globProblem, globsOf, type FileLayer } from './file-substitutions.js';
import { rulesSectionOf, type RulesSection } from './rules-section.js';

export { fileSubstitutionsMatcher, fileSubstitutionsOf, type FileLayer } from './file-substitutions.js';
export type { PluginSetting, RuleSetting, RuleSeverityName, RulesSection } from './rules-section.js';

/** Real repositories name flow files both ways (Archy's own samples use .yaml, many exports .yml). */
export const DEFAULT_FLOWS_GLOBS: readonly string[] = ['flows/**/*.yaml', 'flows/**/*.yml'];

export type SubstitutionSpec =
  | SubstitutionValue
  | { value: SubstitutionValue; secret?: boolean }
  | { fromEnv: string; secret?: boolean };

export interface EnvironmentConfig {
  emulator?: boolean;
  seed?: string;
  objects?: string;
  requestsPerMinute?: number;
  tokens?: number;
  region?: string;
  substitutions?: Record<string, SubstitutionSpec>;
  /** A missing org object named by a changed flow: `error` (default) or `warn`. */
  references?: 'error' | 'warn';
  /** Values per file in this environment, over the top-level `files` (config/file-substitutions.ts). */
  files?: FilesEntry[];
}

/** One `files` entry: the flow files its globs take get these substitutions. */
export interface FilesEntry {
  match: string | string[];
  substitutions: Record<string, SubstitutionSpec>;
}

export interface ProjectConfig {
  /** Where it was read from, as shown in messages. */
  path: string;
  flows: string[];
  /** YAML files that are not flows of this project (fixtures, examples): never read as flows, never listed as left out. */
  ignore: string[];
  defaultEnvironment?: string;
  externalModules: string[];
  /** Bots, transfer targets and in-queue flows that live in the org but not in this repository. */
  externalFlows: string[];
  maxFileBytes?: number;
  environments: Record<string, EnvironmentConfig>;
  /** Values per file for every environment, under the environment's own `files`. */
  files: FilesEntry[];
  /** Line and column of each environment's name, for errors about it. */
  positions: Record<string, { line: number; col: number }>;
  /** Line and column of each `files` entry, by where it is written (`files[0]`, `environments.prod.files[1]`). */
  filePositions: Record<string, { line: number; col: number }>;
  /** The house rules' settings and plugins (absent: no `rules:` key; the built-ins run at their defaults). */
  rules?: RulesSection;
}

export interface ResolvedEnvironment {
  name: string;
  emulator: boolean;
  /** With emulator: Archy files (path relative to the config file) published at the org's first start. */
  seed?: string;
  /** With emulator: the objects file (path relative to the config file) of the org's queues, prompts... */
  objects?: string;
  /** The client-side request budget (default 300 a minute, the token's limit). */
  requestsPerMinute?: number;
  /** Access tokens a run may spread its requests over, each with that budget (default 1). */
  tokens?: number;
  region?: string;
  /** A missing org object named by a published flow fails the plan (`error`, the default when absent) or warns. */
  references?: 'error' | 'warn';
  values: Record<string, SubstitutionValue>;
  /**
   * Values marked secret in any environment of the file (this one's first; another's `fromEnv` only
   * when that variable is set): never printed, never written. A value rotated in one environment may
   * still be live in another, and a plan of one may meet the other's value in the org.
   */
  secrets: string[];
  /** The keys of this environment's substitutions marked secret: where they land in a flow is masked. */
  secretKeys: string[];
  /** The secrets of `secrets` with their keys and environments (export writes them as `{{key}}`). */
  knownSecrets: KnownSecret[];
  /**
   * The `files` entries that apply to this environment, lowest precedence first, their values
   * resolved: fileSubstitutionsOf gives each flow file its substitutions.
   */
  files: FileLayer[];
}

export interface KnownSecret {
  key: string;
  value: string;
  environment: string;
}

/** schemas/config.schema.json compiled at build time (schemas/build-validators.mjs). */
const validator = compiledConfigValidator as ValidateFunction;

/** Parses and checks flowops.yaml. Pure: the caller reads the file. */
export function parseConfig(path: string, text: string): { config?: ProjectConfig; diagnostics: Diagnostic[] } {
  const source = new SourceFile(path, text, text);
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors) source.add('error', 'config-syntax', e.message.split('\n')[0] ?? e.message, e.pos[0]);
  if (doc.errors.length) return { diagnostics: source.diagnostics };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch {
    source.add('error', 'config-syntax', 'YAML aliases expand too much', 0);
    return { diagnostics: source.diagnostics };
  }
  if (!validator(data)) {
    for (const error of validator.errors ?? []) {
      const d = describeConfigError(error, doc);
      if (d) source.add('error', 'config', d.message, d.offset);
    }
    return { diagnostics: dedupe(source.diagnostics) };
  }
  const raw = data as Record<string, unknown>;
  const flows = raw.flows === undefined ? [...DEFAULT_FLOWS_GLOBS] : globsOf(raw.flows);
  const ignore = raw.ignore === undefined ? [] : globsOf(raw.ignore);
  const environments = raw.environments as Record<string, EnvironmentConfig>;
  const positions: ProjectConfig['positions'] = {};
  const filePositions: ProjectConfig['filePositions'] = {};
  const files = (raw.files as FilesEntry[] | undefined) ?? [];
  for (const name of Object.keys(environments)) {
    const { line, col } = source.positionOf(locate(doc, ['environments', name], true));
    positions[name] = { line, col };
  }
  // Every entry's globs are checked, whichever environment is chosen.
  const entries = [
    ...fileEntriesOf(files, '', undefined),
    ...Object.keys(environments).flatMap((name) => fileEntriesOf(undefined, name, environments[name]!.files)),
  ];
  for (const { origin, path: at, entry } of entries) {
    const { line, col } = source.positionOf(locate(doc, at));
    filePositions[origin] = { line, col };
    globsOf(entry.match).forEach((glob, i) => {
      const problem = globProblem(glob);
      const node = Array.isArray(entry.match) ? [...at, 'match', i] : [...at, 'match'];
      if (problem) source.add('error', 'config', `${origin}.match: ${problem}`, locate(doc, node));
    });
  }
  if (source.diagnostics.length) return { diagnostics: source.diagnostics };
  const config: ProjectConfig = {
    path,
    flows,
    ignore,
    externalModules: (raw.externalModules as string[] | undefined) ?? [],
    externalFlows: (raw.externalFlows as string[] | undefined) ?? [],
    environments,
    files,
    positions,
    filePositions,
  };
  const rules = rulesSectionOf(raw.rules, doc, source);
  if (rules) config.rules = rules;
  if (typeof raw.defaultEnvironment === 'string') {
    config.defaultEnvironment = raw.defaultEnvironment;
    if (!Object.hasOwn(environments, raw.defaultEnvironment)) {
      const node = doc.get('defaultEnvironment', true) as { range?: [number, number] } | undefined;
      source.add(
        'error',
        'config',
        `defaultEnvironment "${raw.defaultEnvironment}" is not one of the environments (${Object.keys(environments).join(', ')})`,
        node?.range?.[0] ?? 0,
      );
      return { diagnostics: source.diagnostics };
    }
  }
  const limits = raw.limits;
  if (isObject(limits) && typeof limits.maxFileBytes === 'number') config.maxFileBytes = limits.maxFileBytes;
  return { config, diagnostics: [] };
}

/**
 * Picks the environment (the flag, else defaultEnvironment, else the only one) and resolves its
 * substitutions, reading `fromEnv` values from the given variables. Pure given `env`.
 */
export function resolveEnvironment(
  config: ProjectConfig,
  requested: string | undefined,
  env: Record<string, string | undefined>,
): { environment?: ResolvedEnvironment; diagnostics: Diagnostic[] } {
  const names = Object.keys(config.environments);
  const name = requested ?? config.defaultEnvironment ?? (names.length === 1 ? names[0] : undefined);
  const fail = (message: string, line = 1, col = 1): { diagnostics: Diagnostic[] } => ({
    diagnostics: [{ severity: 'error', code: 'environment', message, file: config.path, line, col }],
  });
  if (!name) return fail(`several environments (${names.join(', ')}) and no defaultEnvironment: choose one with --env`);
  const spec = config.environments[name];
  if (!spec || !Object.hasOwn(config.environments, name))
    return fail(`unknown environment "${name}" (known: ${names.join(', ')})`);
  const pos = config.positions[name] ?? { line: 1, col: 1 };
  const own = resolveSpecs(spec.substitutions, env);
  if ('unset' in own)
    return fail(
      `substitution "${own.unset.key}" of environment "${name}" reads the environment variable ${own.unset.variable}, which is not set`,
      pos.line,
      pos.col,
    );
  const { values, secretKeys } = own;
  const files: FileLayer[] = [];
  for (const { origin, entry } of fileEntriesOf(config.files, name, spec.files)) {
    const layer = resolveSpecs(entry.substitutions, env);
    const at = config.filePositions[origin] ?? pos;
    if ('unset' in layer)
      return fail(
        `substitution "${layer.unset.key}" of ${origin} reads the environment variable ${layer.unset.variable}, which is not set`,
        at.line,
        at.col,
      );
    files.push({ origin, match: globsOf(entry.match), ...layer });
  }
  const knownSecrets = knownSecretsOf(config, name, env);
  const secrets = [...new Set(knownSecrets.map((s) => s.value))];
  const environment: ResolvedEnvironment = {
    name,
    emulator: spec.emulator === true,
    values,
    secrets,
    secretKeys,
    knownSecrets,
    files,
  };
  if (spec.region) environment.region = spec.region;
  if (spec.seed) environment.seed = spec.seed;
  if (spec.objects) environment.objects = spec.objects;
  if (spec.requestsPerMinute) environment.requestsPerMinute = spec.requestsPerMinute;
  if (spec.tokens) environment.tokens = spec.tokens;
  if (spec.references) environment.references = spec.references;
  return { environment, diagnostics: [] };
}

/** A `substitutions` mapping's values (`fromEnv` read from `env`) and its keys marked secret, or the first unset variable. */
function resolveSpecs(
  specs: Record<string, SubstitutionSpec> | undefined,
  env: Record<string, string | undefined>,
): { values: Record<string, SubstitutionValue>; secretKeys: string[] } | { unset: { key: string; variable: string } } {
  const values: Record<string, SubstitutionValue> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(specs ?? {})) {
    if (typeof value !== 'object') {
      values[key] = value;
      continue;
    }
    if ('fromEnv' in value) {
      const fromEnv = env[value.fromEnv];
      if (fromEnv === undefined) return { unset: { key, variable: value.fromEnv } };
      values[key] = fromEnv;
    } else values[key] = value.value;
    if (value.secret) secretKeys.push(key);
  }
  return { values, secretKeys };
}

/**
 * The secret values of every environment that can be resolved here, its `files` entries' too: the
 * chosen one's first (then the top-level `files`), then the others in the file's order (a `fromEnv`
 * only when the variable is set). Empty values are left out (masking "" would mask everything).
 * Pure given `env`.
 */
function knownSecretsOf(config: ProjectConfig, chosen: string, env: Record<string, string | undefined>): KnownSecret[] {
  const names = [chosen, ...Object.keys(config.environments).filter((n) => n !== chosen)];
  const found: KnownSecret[] = [];
  for (const environment of names) {
    const spec = config.environments[environment];
    const mappings = [
      spec?.substitutions,
      ...fileEntriesOf(environment === chosen ? config.files : [], environment, spec?.files).map(
        (e) => e.entry.substitutions,
      ),
    ];
    for (const [key, given] of mappings.flatMap((m) => Object.entries(m ?? {}))) {
      if (typeof given !== 'object' || !given.secret) continue;
      const value = 'fromEnv' in given ? env[given.fromEnv] : String(given.value);
      if (value !== undefined && value !== '') found.push({ key, value, environment });
    }
  }
  return found;
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.line}:${d.col}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
