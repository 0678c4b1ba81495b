/**
 * An exported flow as a file of the repository: secret values written as their `{{key}}`
 * placeholders, and values that look like credentials found (for a warning). Pure: edits the
 * export's text, scalar by scalar, so everything else stays as the org wrote it. Writing `{{key}}`
 * in place of a value is the inverse of flowops' (and Archy's) substitution, which replaces the
 * placeholder by the value as text before parsing: the file reads back as the export. The names of
 * org objects chosen by `export --substitute` are edited in the same pass (render/export-references.ts).
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node, type Scalar } from 'yaml';
import { substitute } from '../check/substitute.js';
import type { LiveSecretPlace } from '../plan/live-secrets.js';
import { nameEdits, type LeftName, type NameChoice } from './export-references.js';

export interface ExportSecrets {
  /** Secret values of every environment with their keys: written `{{key}}` wherever a value holds one. */
  known: ReadonlyArray<{ key: string; value: string }>;
  /** The scalars of this flow that hold rotated secrets (plan/live-secrets.ts). */
  places?: readonly LiveSecretPlace[];
}

export interface ExportFile {
  content: string;
  /** Values under a key named like a credential that hold no known secret: line (1-based, in `content`) and key. */
  credentials: Array<{ line: number; key: string }>;
  /** With names to substitute: the keys written, with their values, and the names left as exported. */
  names?: { used: Map<string, string>; left: LeftName[] };
}

/** Keys named like a credential: secret, password, token, apiKey (any case, `_` and `-` ignored). */
const CREDENTIAL_KEY = /secret|password|token|apikey/i;
/** Wrappers whose scalars name something else rather than hold a value: an expression, a variable. */
const NOT_A_VALUE = new Set(['exp', 'var', 'noValue']);

export function withSecretPlaceholders(yaml: string, secrets: ExportSecrets, names?: NameChoice): ExportFile {
  const known = [...secrets.known].filter((s) => s.value !== '').sort((a, b) => b.value.length - a.value.length);
  const doc = parseDocument(yaml, READ);
  if (doc.errors.length)
    return {
      content: replaceAll(
        yaml,
        known.map((s) => ({ value: s.value, text: `{{${s.key}}}` })),
      ),
      credentials: [],
      ...(names ? { names: { used: new Map(), left: leaveAll(names, 'the export does not read as YAML') } } : {}),
    };
  const knownPieces = known.map((s) => ({ value: s.value, text: `{{${s.key}}}` }));
  const edits = new Map<Scalar, string>();
  const sourceOf = (node: Scalar) => yaml.slice(node.range![0], node.range![1]);
  for (const place of secrets.places ?? []) {
    const node = nodeAt(doc, place.path);
    if (!isScalar(node) || !node.range) continue;
    edits.set(
      node,
      place.whole !== undefined
        ? JSON.stringify(place.whole)
        : replaceAll(sourceOf(node), [...place.pieces, ...knownPieces]),
    );
  }
  visit(doc, {
    Scalar(_, node) {
      if (!node.range || edits.has(node)) return;
      const source = sourceOf(node);
      const replaced = replaceAll(source, knownPieces);
      if (replaced !== source) edits.set(node, replaced);
    },
  });
  const withSecrets = applyEdits(yaml, edits, knownPieces);
  const named = names ? withNames(yaml, doc, names, edits, knownPieces, withSecrets.content) : undefined;
  const { content, shift } = named?.applied ?? withSecrets;
  const credentials = credentialValues(doc)
    .filter((c) => !edits.has(c.node))
    .map((c) => ({ line: lineAt(content, shift(c.node.range![0])), key: c.key }));
  return { content, credentials, ...(named ? { names: named.names } : {}) };
}

const READ = { strict: false, uniqueKeys: false } as const;

/** The text with each scalar's edit in place, and where an offset of the original went. */
function applyEdits(
  yaml: string,
  edits: ReadonlyMap<Scalar, string>,
  knownPieces: ReadonlyArray<{ value: string; text: string }>,
): { content: string; shift: (offset: number) => number } {
  const ordered = [...edits]
    .map(([node, text]) => ({ start: node.range![0], end: node.range![1], text }))
    .sort((a, b) => a.start - b.start);
  // What the scalars did not show as written (a value folded over lines) is replaced as text, between
  // the edits only: an edit's placeholder is never searched for secret values.
  let content = '';
  let last = 0;
  for (const e of ordered) {
    content += replaceAll(yaml.slice(last, e.start), knownPieces) + e.text;
    last = e.end;
  }
  content += replaceAll(yaml.slice(last), knownPieces);
  const shift = (offset: number) =>
    ordered.filter((e) => e.end <= offset).reduce((n, e) => n + e.text.length - (e.end - e.start), offset);
  return { content, shift };
}

/**
 * The chosen names as placeholders, over the secrets' edits. Held to one promise: with the values
 * put back (as flowops substitutes), the file reads as the one with the secrets' edits alone; a
 * file where that fails keeps its names as exported, each listed.
 */
function withNames(
  yaml: string,
  doc: Document,
  names: NameChoice,
  secretEdits: ReadonlyMap<Scalar, string>,
  knownPieces: ReadonlyArray<{ value: string; text: string }>,
  withSecrets: string,
): { applied?: ReturnType<typeof applyEdits>; names: NonNullable<ExportFile['names']> } {
  const found = nameEdits(doc, yaml, names, new Set(secretEdits.keys()));
  if (found.used.size === 0) return { names: { used: found.used, left: found.left } };
  const applied = applyEdits(yaml, new Map([...secretEdits, ...found.edits]), knownPieces);
  const values = Object.fromEntries(found.used);
  const readBack = (text: string) => {
    const d = parseDocument(substitute(text, values).text, READ);
    return d.errors.length ? undefined : d.toJS({ maxAliasCount: -1 });
  };
  const before = readBack(withSecrets);
  if (before !== undefined && isDeepStrictEqual(readBack(applied.content), before))
    return { applied, names: { used: found.used, left: found.left } };
  return { names: { used: new Map(), left: leaveAll(names, 'the file would not read back the same') } };
}

/** Every chosen name of the flow, left as exported for one reason. */
function leaveAll(names: NameChoice, why: string): LeftName[] {
  return names.references.flatMap((r) =>
    r.name !== undefined && names.keyOf(r.kind, r.name) !== undefined
      ? [{ kind: r.kind, name: r.name, line: r.line, column: r.column, why }]
      : [],
  );
}

/** Every text of `pieces` in `text` replaced at once (the longest first where they overlap). */
function replaceAll(text: string, pieces: ReadonlyArray<{ value: string; text: string }>): string {
  const usable = pieces.filter((p) => p.value !== '').sort((a, b) => b.value.length - a.value.length);
  if (usable.length === 0) return text;
  const by = new Map(usable.map((p) => [p.value, p.text]));
  const pattern = new RegExp(usable.map((p) => p.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return text.replace(pattern, (m) => by.get(m) ?? m);
}

function nodeAt(doc: Document, path: ReadonlyArray<string | number>): unknown {
  let node: unknown = doc.contents;
  for (const seg of path) {
    if (isMap(node))
      node = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg))?.value;
    else if (isSeq(node) && typeof seg === 'number') node = node.items[seg];
    else return undefined;
  }
  return node;
}

/** The string and number scalars under keys named like a credential, with the key. */
function credentialValues(doc: Document): Array<{ node: Scalar; key: string }> {
  const found: Array<{ node: Scalar; key: string }> = [];
  const collect = (node: unknown, key: string): void => {
    if (isScalar(node)) {
      if (node.range && (typeof node.value === 'number' || (typeof node.value === 'string' && node.value !== '')))
        found.push({ node, key });
    } else if (isMap(node)) {
      for (const pair of node.items)
        if (isPair(pair) && !(isScalar(pair.key) && NOT_A_VALUE.has(String(pair.key.value)))) collect(pair.value, key);
    } else if (isSeq(node)) for (const item of node.items) collect(item, key);
  };
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key)) return undefined;
      const key = String(pair.key.value);
      if (!CREDENTIAL_KEY.test(key.replace(/[-_]/g, ''))) return undefined;
      collect(pair.value as Node | null, key);
      return visit.SKIP;
    },
  });
  return found;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
