import { parse } from 'yaml';
import { loadPlainYaml } from '../check/fast-yaml.js';

/**
 * Parses published (exported) flow YAML into plain data. Pure.
 *
 * Live content needs no source positions, so it goes through the fast reader where that reads it as
 * the `yaml` package would (check/fast-yaml.ts); anything else goes to `yaml` with an alias bound, whose
 * errors are the ones callers report.
 */
export function parseLiveYaml(text: string): unknown {
  const plain = loadPlainYaml(text);
  if (plain) return plain.data;
  return parse(text, { maxAliasCount: 100 });
}
