import { parseDocument, type Document } from 'yaml';
import { loadPlainYaml } from './fast-yaml.js';
import { FLOW_KEYS } from './flow-types.js';
import { SourceFile } from './source.js';
import { substitute } from './substitute.js';
import type { DesiredFlow, FlowSource, SubstitutionValue } from './types.js';
import { ConfigError } from '../errors.js';

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
/** An alias expanded more than this many times is treated as an alias bomb (the yaml default is 100). */
const MAX_ALIAS_COUNT = 100;
/** Deeper nesting than this is refused before anything recursive looks at it. */
export const MAX_DEPTH = 200;
/** How `yaml` reads flow files: strict, unique keys, YAML 1.2. */
export const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2' } as const;

export interface ParsedFile {
  source: SourceFile;
  /** The Document with every node's range: built on first use (most files never need it). */
  readonly doc: Document.Parsed;
  /** The top-level flow key, e.g. `inboundCall`. */
  key: string;
  data: Record<string, unknown>;
  /** Read by the fast reader: plain block YAML (check/locate-block.ts can find positions in it). */
  plain: boolean;
}

export interface ParseOptions {
  substitutions: Record<string, SubstitutionValue>;
  environment: string;
  maxFileBytes: number;
  /** Substitutions marked secret: the check finds where they land (not used for parsing itself). */
  secretKeys?: readonly string[];
}

/**
 * The data of a substituted text that parseFlowSource read without errors, read again the same way
 * (a check record read from the cache keeps no document: most runs never need it).
 */
export function readFlowData(text: string): Record<string, unknown> {
  const plain = loadPlainYaml(text);
  const data = plain ? plain.data : parseDocument(text, YAML_OPTIONS).toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('not a flow document');
  return data as Record<string, unknown>;
}

/**
 * A desired flow's document, as plain data: the one its check parsed, else its text read again (a
 * check answered from the cache keeps no document: a plan that finds a flow unchanged by its
 * fingerprint never needs it), once per flow. The text is the one the check found valid, so reading
 * it fails only if the cache lied: that is said at the file, as a config error.
 */
export function desiredDocument(flow: DesiredFlow): Record<string, unknown> {
  let data = documents.get(flow);
  if (data) return data;
  try {
    data = readFlowData(flow.text);
  } catch (err) {
    throw ConfigError.at(
      flow.path,
      `cannot read the flow again after its check: ${(err as Error).message.split('\n')[0]} (delete .flowops/cache and try again)`,
    );
  }
  documents.set(flow, data);
  return data;
}

/** The check hands over the document it parsed for a flow, so desiredDocument need not read it again. */
export function keepDocument(flow: DesiredFlow, data: Record<string, unknown>): void {
  documents.set(flow, data);
}

/**
 * Documents by flow: kept beside the flows, not in them, so a flow stays plain data (equal whether its
 * check was answered from the cache or not) and is never parsed behind a property read.
 */
const documents = new WeakMap<DesiredFlow, Record<string, unknown>>();

/** Substitutes, parses and checks the outer shape of one file. Returns the diagnostics either way. */
export function parseFlowSource(input: FlowSource, options: ParseOptions): { source: SourceFile; parsed?: ParsedFile } {
  const bytes = Buffer.byteLength(input.text, 'utf8');
  if (bytes > options.maxFileBytes) {
    const source = new SourceFile(input.path, '', '');
    source.add(
      'error',
      'file-too-large',
      `file is ${formatBytes(bytes)}, over the limit of ${formatBytes(options.maxFileBytes)} (limits.maxFileBytes in flowops.yaml)`,
      0,
    );
    return { source };
  }
  const sub = substitute(input.text, options.substitutions);
  const source = new SourceFile(input.path, input.text, sub.text, sub.replacements);
  for (const p of sub.problems) {
    const message =
      p.code === 'missing-substitution'
        ? `substitution "${p.key}" has no value in environment "${options.environment}" (add it under environments.${options.environment}.substitutions in flowops.yaml, or in a files entry that matches this file)`
        : p.key === ''
          ? `empty substitution placeholder ${p.placeholder}`
          : `substitution placeholder ${p.placeholder} must not have spaces around the key: write {{${p.key}}}`;
    source.addAtOriginal('error', p.code, message, p.offset);
  }
  const depth = maxBracketDepth(sub.text);
  if (depth > MAX_DEPTH) {
    source.add('error', 'too-deep', `nesting is deeper than ${MAX_DEPTH} levels`, 0);
    return { source };
  }

  // Most files are read by the fast reader, which reads them exactly as `yaml` would and finds
  // nothing to report; the Document with every node's position is then built only if a check needs a
  // position (check/fast-yaml.ts).
  const plain = loadPlainYaml(sub.text);
  let parsedDoc: Document.Parsed | undefined;
  const docOf = (): Document.Parsed => (parsedDoc ??= parseDocument(sub.text, YAML_OPTIONS));
  let data: unknown;
  if (plain) data = plain.data;
  else {
    let doc: Document.Parsed;
    try {
      doc = docOf();
    } catch (err) {
      source.add('error', 'yaml-syntax', `could not parse YAML: ${(err as Error).message}`, 0);
      return { source };
    }
    for (const e of doc.errors) source.add('error', 'yaml-syntax', yamlMessage(e.message), e.pos[0]);
    for (const w of doc.warnings) source.add('warning', 'yaml-warning', yamlMessage(w.message), w.pos[0]);
    if (doc.errors.length > 0) return { source };
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      const aliasBomb = err instanceof ReferenceError || /alias/i.test((err as Error).message);
      source.add(
        'error',
        aliasBomb ? 'alias-bomb' : 'yaml-syntax',
        aliasBomb
          ? `YAML aliases expand too much (over ${MAX_ALIAS_COUNT} expansions): refusing a possible alias bomb`
          : `could not read YAML: ${(err as Error).message}`,
        doc.contents?.range?.[0] ?? 0,
      );
      return { source };
    }
  }
  if (data === null || data === undefined) {
    source.add(
      'error',
      'empty-file',
      'file is empty: expected one flow, e.g. `inboundCall:` with its name and content',
      0,
    );
    return { source };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    source.add(
      'error',
      'not-a-flow',
      'expected a mapping with one flow-type key (e.g. `inboundCall:` or `commonModule:`)',
      0,
    );
    return { source };
  }
  if (tooDeep(data)) {
    source.add('error', 'too-deep', `nesting is deeper than ${MAX_DEPTH} levels`, 0);
    return { source };
  }
  const keys = Object.keys(data);
  const known = keys.filter((k) => FLOW_KEYS.includes(k));
  if (known.length !== 1 || keys.length !== 1) {
    const offset = docOf().contents?.range?.[0] ?? 0;
    const message =
      known.length === 0
        ? `unknown flow type ${keys.map(shownKey).join(', ')}: the top-level key must be one of ${FLOW_KEYS.join(', ')}`
        : `a file holds exactly one flow, found top-level keys ${keys.map(shownKey).join(', ')}`;
    source.add('error', 'not-a-flow', message, offset);
    return { source };
  }
  return {
    source,
    parsed: {
      source,
      get doc() {
        return docOf();
      },
      key: known[0]!,
      data: data as Record<string, unknown>,
      plain: plain !== undefined,
    },
  };
}

/** A key as a message shows it: on one line, and short (a collection used as a key reads as its whole text). */
function shownKey(key: string): string {
  const line = key.replace(/\s+/g, ' ').trim();
  return `"${line.length > 60 ? `${line.slice(0, 57)}...` : line}"`;
}

function yamlMessage(message: string): string {
  // The yaml package appends a code excerpt on later lines; we print one line with our own position.
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, '').trim();
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

/** Deepest flow-style bracket nesting: guards the parser's recursion against `[[[[...` inputs. */
function maxBracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  // Brackets are rare in flow files: jump from one run of them to the next.
  const runs = /[[\]{}]+/g;
  for (let run = runs.exec(text); run; run = runs.exec(text)) {
    for (const c of run[0]) {
      if (c === '[' || c === '{') {
        depth++;
        if (depth > max) max = depth;
      } else if (depth > 0) depth--;
    }
  }
  return max;
}

/** Whether the data nests deeper than MAX_DEPTH (the document is level 1, each value one more). */
function tooDeep(node: unknown, depth = 1): boolean {
  if (depth > MAX_DEPTH) return true;
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) if (tooDeep(node[i], depth + 1)) return true;
    return false;
  }
  for (const key in node) if (tooDeep((node as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}
