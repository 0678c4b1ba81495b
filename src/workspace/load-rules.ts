/**
 * The rules a run applies: the built-ins and the plugins `rules.plugins` names in flowops.yaml, each
 * an ES module loaded by dynamic import (paths relative to flowops.yaml), configured by the `rules:`
 * section (rules/configure-rules.ts). The worker threads load the same rules from the same plain
 * spec (RulesSpec), so a plugin runs wherever files are checked. A plugin that cannot be loaded, or
 * whose default export is not `{rules: [...]}`, is one error naming the file, at its line.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../check/types.js';
import type { PluginSetting, RulesSection } from '../config/config.js';
import { ConfigError } from '../errors.js';
import { BUILTIN_RULES, configureRules, type AvailableRule, type Rule, type RuleSet } from '../rules/index.js';

/** Everything needed to load the rules again, plain data (it crosses to the worker threads). */
export interface RulesSpec {
  section?: RulesSection;
  /** flowops.yaml as messages show it. */
  configPath: string;
  /** The folder flowops.yaml is in: plugin paths are relative to it. */
  projectDir: string;
}

export interface LoadedRules {
  rules: RuleSet;
  spec: RulesSpec;
}

/** The configured rules; a bad setting or plugin throws a ConfigError placed in flowops.yaml. */
export async function loadRules(spec: RulesSpec): Promise<LoadedRules> {
  const available: AvailableRule[] = BUILTIN_RULES.map((rule) => ({ rule }));
  const digests: Record<string, string> = {};
  const problems: Diagnostic[] = [];
  for (const plugin of spec.section?.plugins ?? []) {
    const loaded = await loadPlugin(plugin, spec.projectDir);
    if ('problem' in loaded) {
      problems.push({
        severity: 'error',
        code: 'plugin',
        message: loaded.problem,
        file: spec.configPath,
        line: plugin.at.line,
        col: plugin.at.col,
      });
      continue;
    }
    digests[plugin.path] = loaded.digest;
    available.push(...loaded.rules.map((rule) => ({ rule, plugin: plugin.path })));
  }
  if (problems.length) throw new ConfigError(problems);
  const configured = configureRules({
    section: spec.section,
    available,
    configPath: spec.configPath,
    pluginDigests: digests,
  });
  if (!configured.rules) throw new ConfigError(configured.diagnostics);
  return { rules: configured.rules, spec };
}

/** One plugin's rules and a digest of its file, or why it cannot be used (one line). */
async function loadPlugin(
  plugin: PluginSetting,
  projectDir: string,
): Promise<{ rules: Rule[]; digest: string } | { problem: string }> {
  const file = resolve(projectDir, plugin.path);
  const named = `rules.plugins: cannot load ${plugin.path}`;
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (err) {
    return {
      problem: `${named}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : firstLine(err)}`,
    };
  }
  let exported: unknown;
  try {
    exported = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  } catch (err) {
    return { problem: `${named}: ${firstLine(err)}` };
  }
  const shape = pluginShapeProblem(exported);
  if (shape)
    return {
      problem: `${named}: ${shape} (plugin API version 1: export default {rules: [{id, description, check(flow, ctx)}]})`,
    };
  return {
    rules: (exported as { rules: Rule[] }).rules,
    digest: createHash('sha256').update(content).digest('hex'),
  };
}

function pluginShapeProblem(exported: unknown): string | undefined {
  if (typeof exported !== 'object' || exported === null) return 'its default export is not an object';
  const rules = (exported as { rules?: unknown }).rules;
  if (!Array.isArray(rules)) return 'its default export has no "rules" list';
  for (const [i, rule] of rules.entries()) {
    const r = rule as Partial<Rule> | null;
    if (typeof r !== 'object' || r === null) return `rules[${i}] is not an object`;
    if (typeof r.id !== 'string') return `rules[${i}] has no string "id"`;
    if (typeof r.description !== 'string') return `rule "${r.id}" has no string "description"`;
    if (typeof r.check !== 'function') return `rule "${r.id}" has no "check" function`;
    if (r.options !== undefined && (typeof r.options !== 'object' || r.options === null || Array.isArray(r.options)))
      return `rule "${r.id}": "options" (its default options) is not an object`;
    if (r.validateOptions !== undefined && typeof r.validateOptions !== 'function')
      return `rule "${r.id}": "validateOptions" is not a function`;
  }
  return undefined;
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0] ?? message;
}
