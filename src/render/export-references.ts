/**
 * The names of org objects an exported flow holds, as `{{key}}` placeholders (`export --substitute`):
 * which scalar of the file each reference is (check's ObjectReference paths), and the text it is
 * written as. Pure: returns edits of scalar nodes, which render/export-file.ts applies with the
 * secrets' edits, so everything else stays as the org wrote it.
 *
 * flowops (like Archy) substitutes `{{key}}` as text before it parses the YAML, so a placeholder
 * works anywhere, map keys included; what must hold is that the file with the values put back reads
 * as the export did. A whole value or key is written quoted (`"{{queue_support}}"`): the file is
 * then YAML before substitution too, and a name that needs quoting (a colon, a `#`, leading spaces)
 * reads back the same. Inside an expression only the literal argument of a Find* lookup is replaced
 * (`FindQueue("{{queue_support}}")`); a user prompt's name after `Prompt.` in a value likewise.
 */
import { isMap, isScalar, isSeq, type Document, type Scalar } from 'yaml';
import { FIND_FUNCTIONS } from '../check/object-references.js';
import type { ObjectReference } from '../check/types.js';
import type { PlaceholderKind } from './placeholder-keys.js';

/** Which names of a flow to write as placeholders. */
export interface NameChoice {
  /** The flow's references (check's, read from this same text). */
  references: readonly ObjectReference[];
  /** The key a name of a kind is written as; undefined: the name stays as exported. */
  keyOf(kind: PlaceholderKind, name: string): string | undefined;
}

/** A name that was to be a placeholder and stays as exported, and why. */
export interface LeftName {
  kind: PlaceholderKind;
  name: string;
  /** 1-based, in the export's text. */
  line: number;
  column: number;
  why: string;
}

export interface NameEdits {
  /** The new source text of each scalar (a value or a map key). */
  edits: Map<Scalar, string>;
  /** The keys written, with their values (the names). */
  used: Map<string, string>;
  left: LeftName[];
}

interface Target {
  node: Scalar;
  atKey: boolean;
  kind: PlaceholderKind;
  name: string;
  key: string;
  /** The scalar is an expression (`exp:`): only a Find* argument is replaced. */
  expression: boolean;
}

/** Find* functions by the kind they look up (an expression's literal argument is a name of that kind). */
const FIND_BY_KIND = new Map<string, string[]>();
for (const [fn, kind] of Object.entries(FIND_FUNCTIONS))
  FIND_BY_KIND.set(kind, [...(FIND_BY_KIND.get(kind) ?? []), fn]);

/**
 * The edits that write the chosen names as placeholders. `skip`: scalars edited already (secrets),
 * left alone. Names that cannot be written so are listed in `left`, with the reason.
 */
export function nameEdits(doc: Document, yaml: string, choice: NameChoice, skip: ReadonlySet<Scalar>): NameEdits {
  const byNode = new Map<Scalar, Target[]>();
  const add = (t: Target) => {
    const list = byNode.get(t.node) ?? [];
    if (!list.some((o) => o.kind === t.kind && o.name === t.name)) list.push(t);
    byNode.set(t.node, list);
  };
  for (const ref of choice.references) {
    if (ref.name === undefined) continue;
    const key = choice.keyOf(ref.kind, ref.name);
    const at = key ? scalarAt(doc, ref.path, ref.name) : undefined;
    if (key && at) add({ ...at, kind: ref.kind, name: ref.name, key, expression: ref.path.at(-1) === 'exp' });
    // A data action's integration is the category key two levels up.
    const integrationKey = ref.integration !== undefined ? choice.keyOf('integration', ref.integration) : undefined;
    if (integrationKey && ref.integration !== undefined) {
      const category = scalarAt(doc, ref.path.slice(0, -2), ref.integration);
      if (category?.atKey)
        add({ ...category, kind: 'integration', name: ref.integration, key: integrationKey, expression: false });
    }
  }
  const result: NameEdits = { edits: new Map(), used: new Map(), left: [] };
  for (const [node, targets] of byNode) {
    if (skip.has(node) || !node.range) continue;
    let text = yaml.slice(node.range[0], node.range[1]);
    const position = positionAt(yaml, node.range[0]);
    for (const t of targets) {
      const edited =
        t.atKey || (!t.expression && String(node.value) === t.name) ? whole(node, text, t) : inside(node, text, t);
      if (typeof edited === 'string') {
        text = edited;
        result.used.set(t.key, t.name);
      } else result.left.push({ kind: t.kind, name: t.name, ...position, why: edited.why });
    }
    if (text !== yaml.slice(node.range[0], node.range[1])) result.edits.set(node, text);
  }
  return result;
}

/** Line breaks and control characters (tab aside) cannot be written inside quotes on one line. */
const NOT_ONE_LINE = /[\u0000-\u0008\u000a-\u001f\u007f\u0085\u2028\u2029]/;

/** The whole scalar is the name: the placeholder, quoted so the value reads back as written. */
function whole(node: Scalar, source: string, t: Target): string | { why: string } {
  const ph = `{{${t.key}}}`;
  if (NOT_ONE_LINE.test(t.name)) return { why: 'it holds a line break or a control character' };
  if (/\{\{.*\}\}/.test(t.name)) return { why: 'it holds {{ }} itself' };
  // Written without escapes in its quotes: the same quotes around the placeholder give it back as it was.
  if (node.type === 'QUOTE_DOUBLE' && source === `"${t.name}"`) return `"${ph}"`;
  if (node.type === 'QUOTE_SINGLE' && source === `'${t.name}'`) return `'${ph}'`;
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') return { why: 'it is a block scalar' };
  // A plain number or boolean stays plain, so it reads back as the same type.
  if (node.type === 'PLAIN' && typeof node.value !== 'string') return ph;
  if (!/["\\]/.test(t.name)) return `"${ph}"`;
  if (!t.name.includes("'")) return `'${ph}'`;
  if (node.type === 'PLAIN' && source === t.name) return ph;
  return { why: 'it holds both quote marks and is written with escapes' };
}

/** A Find* argument in an expression, or a prompt's name after `Prompt.`: only that part. */
function inside(node: Scalar, source: string, t: Target): string | { why: string } {
  const name = escapeRegExp(t.name);
  let pattern: RegExp;
  if (t.expression) {
    const functions = FIND_BY_KIND.get(t.kind) ?? [];
    // The argument's quotes are `\"` when the YAML scalar is double-quoted.
    pattern = new RegExp(`(\\b(?:${functions.join('|')})\\s*\\(\\s*\\\\?")${name}(?=\\\\?"\\s*[,)])`, 'g');
    const outside = { why: 'it is inside an expression (only the literal argument of a Find* lookup is replaced)' };
    if (!functions.length) return outside;
    if (/["\\]/.test(t.name)) return { why: 'an expression writes its quote marks or backslashes escaped' };
    // Not a Find* argument (a `Prompt.x` of the expression): the expression is the author's, as written.
    if (!new RegExp(pattern.source).test(String(node.value))) return outside;
  } else if (t.kind === 'prompt' || t.kind === 'systemPrompt') {
    pattern = new RegExp(`(\\b${t.kind === 'prompt' ? 'Prompt' : 'PromptSystem'}\\.)${name}(?![A-Za-z0-9_])`, 'g');
  } else return { why: 'it is not written as a literal' };
  const replaced = source.replace(pattern, (_, before: string) => `${before}{{${t.key}}}`);
  return replaced === source ? { why: 'it is not written in the file as it reads (escaped, or over lines)' } : replaced;
}

/**
 * The scalar that holds `name` at `path`: the value there when it holds the name, else the map key
 * that is the name (a data action, a data table, a called module or bot).
 */
function scalarAt(
  doc: Document,
  path: ReadonlyArray<string | number>,
  name: string,
): { node: Scalar; atKey: boolean } | undefined {
  let node: unknown = doc.contents;
  for (const [i, seg] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return undefined;
      if (last) {
        const value = pair.value;
        if (isScalar(value) && value.value !== null && String(value.value).includes(name))
          return { node: value, atKey: false };
        return isScalar(pair.key) && String(pair.key.value) === name ? { node: pair.key, atKey: true } : undefined;
      }
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') node = node.items[seg];
    else return undefined;
  }
  return isScalar(node) ? { node, atKey: false } : undefined;
}

function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
