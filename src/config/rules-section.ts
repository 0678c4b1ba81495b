/**
 * The `rules:` section of flowops.yaml as plain data with positions (issue 17): each rule named, its
 * severity and options, and the plugin files. Which ids exist and whether the options suit the rule
 * are decided later (rules/configure-rules.ts), once the plugins are loaded; the schema has already
 * held the shape (schemas/config.schema.json). Pure.
 */
import type { Document } from 'yaml';
import { locate } from '../check/locate.js';
import type { SourceFile } from '../check/source.js';
import { isObject } from '../check/walk.js';

export type RuleSeverityName = 'error' | 'warn' | 'off';

export interface Position {
  line: number;
  col: number;
}

/** One rule named under `rules:`. */
export interface RuleSetting {
  id: string;
  /** Absent in `{module: X}`: the rule is named to run, as an error (README "House rules"). */
  severity?: RuleSeverityName;
  /** Everything but `severity`; `{}` for the short form `id: warn`. */
  options: Record<string, unknown>;
  /** The id's key, for errors about the setting. */
  at: Position;
}

export interface PluginSetting {
  /** As written, relative to flowops.yaml. */
  path: string;
  at: Position;
}

export interface RulesSection {
  settings: RuleSetting[];
  plugins: PluginSetting[];
  /** The `rules` key itself (0-based offsets are not kept: positions are enough). */
  at: Position;
}

/** The section, from the schema-checked data and its Document; undefined when flowops.yaml has none. */
export function rulesSectionOf(raw: unknown, doc: Document, source: SourceFile): RulesSection | undefined {
  if (!isObject(raw)) return undefined;
  const at = (path: Array<string | number>, atKey = false): Position => {
    const { line, col } = source.positionOf(locate(doc, path, atKey));
    return { line, col };
  };
  const plugins = (Array.isArray(raw.plugins) ? raw.plugins : []).map((path, i) => ({
    path: String(path),
    at: at(['rules', 'plugins', i]),
  }));
  const settings: RuleSetting[] = [];
  for (const [id, value] of Object.entries(raw)) {
    if (id === 'plugins') continue;
    const position = at(['rules', id], true);
    if (typeof value === 'string') {
      settings.push({ id, severity: value as RuleSeverityName, options: {}, at: position });
      continue;
    }
    const { severity, ...options } = isObject(value) ? value : {};
    settings.push({
      id,
      ...(severity === undefined ? {} : { severity: severity as RuleSeverityName }),
      options,
      at: position,
    });
  }
  return { settings, plugins, at: at(['rules'], true) };
}
