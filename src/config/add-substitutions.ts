/**
 * Values added to an environment's `substitutions` in flowops.yaml (`export --substitute`), the
 * rest of the file kept as the user wrote it: comments, quoting, indentation, blank lines. The yaml
 * Document (every node's range) says where the mapping is; the new lines are spliced into the text
 * there, since printing the Document again would re-indent and move comments. Pure.
 */
import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isScalar, parseDocument, type Pair, type YAMLMap } from 'yaml';
import type { ProjectConfig } from './config.js';
import { fileEntriesOf } from './file-substitutions.js';

/**
 * The text with `values` in `environments.<environment>.substitutions` (the mapping made when there
 * is none), or why not. A key there already with the same value is left as it is; one with another
 * value is never overwritten: the caller chose keys that are free (substitutionKeysOf).
 */
export function addSubstitutions(
  text: string,
  environment: string,
  values: Readonly<Record<string, string>>,
): { text: string } | { problem: string } {
  const doc = parseDocument(text);
  const envs = doc.get('environments', true);
  const env = isMap(envs) ? envs.get(environment, true) : undefined;
  if (!isMap(env)) return { problem: `environments.${environment} is not a mapping` };
  const where = `environments.${environment}.substitutions`;
  const subs = env.items.find((p) => isScalar(p.key) && p.key.value === 'substitutions');
  const existing = isMap(subs?.value) ? (subs.value.toJSON() as Record<string, unknown>) : {};
  const added: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!Object.hasOwn(existing, key)) added[key] = value;
    else if (existing[key] !== value) return { problem: `${where}.${key} holds another value` };
  }
  if (Object.keys(added).length === 0) return { text };
  let spliced: string | undefined;
  if (!subs) spliced = addPairs(text, env, { substitutions: added });
  else if (isMap(subs.value)) spliced = addPairs(text, subs.value, added);
  else if (isScalar(subs.value) && subs.value.value === null && subs.value.range && isScalar(subs.key))
    spliced = fillEmpty(text, subs as Pair<typeof subs.key, typeof subs.value>, env, added);
  if (spliced === undefined) return { problem: `${where} is not a mapping` };
  // Held to what it must be: the same data, the values added.
  const data = doc.toJS() as { environments: Record<string, { substitutions?: Record<string, unknown> | null }> };
  const envData = data.environments[environment]!;
  envData.substitutions = { ...(envData.substitutions ?? {}), ...added };
  const after = parseDocument(spliced);
  if (after.errors.length || !isDeepStrictEqual(after.toJS(), data))
    return { problem: `${where} could not be added to without changing the rest of the file` };
  return { text: spliced };
}

/**
 * The keys of an environment's substitutions that export may find: each with its plain value, or
 * undefined where the key must not be given to a name (a secret, a value read from a variable, a
 * `files` entry's, which stands over the environment's in the files it matches).
 */
export function substitutionKeysOf(config: ProjectConfig, environment: string): Map<string, string | undefined> {
  const keys = new Map<string, string | undefined>();
  const spec = config.environments[environment];
  for (const { entry } of fileEntriesOf(config.files, environment, spec?.files))
    for (const key of Object.keys(entry.substitutions)) keys.set(key, undefined);
  for (const [key, value] of Object.entries(spec?.substitutions ?? {})) {
    if (keys.has(key)) continue;
    keys.set(key, typeof value !== 'object' ? String(value) : undefined);
  }
  return keys;
}

/** The environments other than `environment` that lack some of `keys`, with the keys each lacks. */
export function environmentsLacking(
  config: ProjectConfig,
  environment: string,
  keys: readonly string[],
): Array<{ environment: string; missing: string[] }> {
  return Object.entries(config.environments)
    .filter(([name]) => name !== environment)
    .map(([name, spec]) => ({
      environment: name,
      missing: keys.filter((k) => !Object.hasOwn(spec.substitutions ?? {}, k)),
    }))
    .filter((e) => e.missing.length > 0);
}

/** `pairs` added at the end of a mapping: lines under a block mapping, items inside a flow one. */
function addPairs(text: string, map: YAMLMap, pairs: Record<string, unknown>): string | undefined {
  if (!map.range) return undefined;
  if (map.flow) {
    const close = text.lastIndexOf('}', map.range[1] - 1);
    if (close < map.range[0]) return undefined;
    let at = close;
    while (at > map.range[0] + 1 && /\s/.test(text[at - 1]!)) at--;
    const items = render(pairs, { flow: true }).replace(/^\{ ?|\s?\}\s*$/g, '');
    return `${text.slice(0, at)}${map.items.length ? ', ' : ''}${items}${text.slice(at)}`;
  }
  const first = map.items[0];
  const last = map.items.at(-1);
  if (!isScalar(first?.key) || !first.key.range || !last) return undefined;
  const indent = columnOf(text, first.key.range[0]);
  const unit = Math.max(2, indent - parentColumn(text, map.range[0], indent));
  const end = endOfLine(text, (last.value as { range?: number[] } | null)?.range?.[1] ?? keyEnd(last));
  const lines = indented(render(pairs, { indent: unit }), indent);
  return `${text.slice(0, end)}${end > 0 && text[end - 1] !== '\n' ? '\n' : ''}${lines}${text.slice(end)}`;
}

/** `substitutions:` with nothing after it: the values as a block mapping under it. */
function fillEmpty(
  text: string,
  pair: Pair<{ range?: number[] | null }, { range?: number[] | null }>,
  env: YAMLMap,
  values: Record<string, string>,
): string | undefined {
  const [start, end] = pair.value?.range ?? [];
  const keyStart = pair.key.range?.[0];
  if (start === undefined || end === undefined || keyStart === undefined || env.flow) return undefined;
  const column = columnOf(text, keyStart);
  const unit = Math.max(2, column - parentColumn(text, env.range?.[0] ?? keyStart, column));
  const lines = indented(render(values, { indent: unit }), column + unit).replace(/\n$/, '');
  return `${text.slice(0, start).replace(/[ \t]+$/, '')}\n${lines}${text.slice(end)}`;
}

function render(data: Record<string, unknown>, options: { flow?: boolean; indent?: number }): string {
  const doc = new Document(data);
  if (options.flow && isMap(doc.contents)) doc.contents.flow = true;
  return doc.toString({ indent: options.indent ?? 2, lineWidth: 0 });
}

function indented(block: string, column: number): string {
  const pad = ' '.repeat(column);
  return block
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

function keyEnd(pair: Pair): number {
  return (pair.key as { range?: number[] } | null)?.range?.[1] ?? 0;
}

/** After the line holding `offset - 1` (a node's end may be just after its newline already). */
function endOfLine(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const eol = text.indexOf('\n', offset);
  return eol === -1 ? text.length : eol + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/**
 * The column of the key that holds the mapping starting at `offset` (the nearest line above that is
 * indented less than the mapping's keys): how far this file indents one level.
 */
function parentColumn(text: string, offset: number, indent: number): number {
  let lineStart = text.lastIndexOf('\n', offset - 1);
  while (lineStart > 0) {
    const prev = text.lastIndexOf('\n', lineStart - 1) + 1;
    const line = text.slice(prev, lineStart);
    const column = line.search(/\S/);
    if (column !== -1 && column < indent && !line.trimStart().startsWith('#')) return column;
    lineStart = prev - 1;
  }
  return 0;
}
