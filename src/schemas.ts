import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The JSON Schemas shipped in `schemas/` (also used by editors through yaml-language-server).
 * Read once, at first use, from the package's own folder: a static asset, not user input.
 */
const schemaDir = fileURLToPath(new URL('../schemas/', import.meta.url));
const cache = new Map<string, Record<string, unknown>>();

export function loadSchema(name: 'flow' | 'config' | 'plan'): Record<string, unknown> {
  let schema = cache.get(name);
  if (!schema) {
    schema = JSON.parse(readFileSync(`${schemaDir}${name}.schema.json`, 'utf8')) as Record<string, unknown>;
    cache.set(name, schema);
  }
  return schema;
}
