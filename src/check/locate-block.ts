/**
 * Where a node of a block-style YAML text is, found from its lines, without the `yaml` Document.
 * Pure.
 *
 * Every flow names some org objects, and each needs a position; building the Document for that would
 * parse every file a second time, several times slower than the fast reader (check/fast-yaml.ts). Texts
 * the fast reader took are plain block YAML (no anchors, tags, complex keys, flow collections over
 * several lines, multi-line quoted scalars), so their structure is in their lines: `key:` and `- `
 * at some indentation. This reads those lines once and follows paths through them; it answers only
 * what it is sure of (anything else, e.g. a path into a `{...}` on one line, is undefined: then the
 * caller asks the Document, check/locate.ts, whose answers these match; a test holds them to it).
 */
import type { PathSegment } from './locate.js';

const KEY = 0;
const ITEM = 1;
const SCALAR = 2;

/** One `key:`, `- ` or bare scalar of a line, in text order. */
interface Entries {
  col: number[];
  kind: number[];
  key: Array<string | undefined>;
  /** Offset of the entry (the key, its opening quote, or the dash). */
  start: number[];
  /** Offset of the value written on the same line (after `key:` or `- `), -1 when none. */
  value: number[];
  /** Index of the first entry after this one's subtree. */
  end: number[];
}

export interface BlockLocator {
  /** The offset of the node at `path` (at its key with `atKey`), or undefined when not sure. */
  find(path: readonly PathSegment[], atKey?: boolean): number | undefined;
}

export function blockLocator(text: string): BlockLocator {
  const entries = readEntries(text);
  return { find: (path, atKey = false) => (entries ? find(entries, path, atKey) : undefined) };
}

function readEntries(text: string): Entries | undefined {
  const e: Entries = { col: [], kind: [], key: [], start: [], value: [], end: [] };
  const push = (col: number, kind: number, start: number, key?: string): number => {
    e.col.push(col);
    e.kind.push(kind);
    e.key.push(key);
    e.start.push(start);
    e.value.push(-1);
    return e.col.length - 1;
  };
  // Lines indented deeper than this belong to the value before (a block scalar, a plain scalar
  // going on over lines): not structure.
  let skipDeeperThan = -1;
  for (let pos = 0; pos < text.length; ) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const lineEnd = eol > pos && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
    let at = pos;
    while (at < lineEnd && text.charCodeAt(at) === 32) at++;
    const indent = at - pos;
    const next = eol + 1;
    if (at >= lineEnd || text.charCodeAt(at) === 35 || (skipDeeperThan >= 0 && indent > skipDeeperThan)) {
      pos = next;
      continue;
    }
    skipDeeperThan = -1;
    if (indent === 0 && /^(?:---|\.\.\.)(?:[ \t]|$)/.test(text.slice(at, Math.min(lineEnd, at + 4)))) {
      if (
        text.slice(at + 3, lineEnd).trim() !== '' &&
        !text
          .slice(at + 3, lineEnd)
          .trim()
          .startsWith('#')
      )
        return undefined;
      pos = next;
      continue;
    }
    let item = -1;
    while (text.charCodeAt(at) === 45 && (at + 1 === lineEnd || isBlank(text.charCodeAt(at + 1)))) {
      item = push(at - pos, ITEM, at);
      at++;
      while (at < lineEnd && isBlank(text.charCodeAt(at))) at++;
      if (at < lineEnd && text.charCodeAt(at) !== 35) e.value[item] = at;
    }
    if (at >= lineEnd || text.charCodeAt(at) === 35) {
      pos = next;
      continue;
    }
    const key = readKey(text, at, lineEnd);
    if (key === null) return undefined;
    if (key) {
      const k = push(at - pos, KEY, at, key.key);
      let v = key.after;
      while (v < lineEnd && isBlank(text.charCodeAt(v))) v++;
      if (v < lineEnd && text.charCodeAt(v) !== 35) {
        e.value[k] = v;
        skipDeeperThan = at - pos;
      }
    } else if (item >= 0) {
      skipDeeperThan = e.col[item]!;
    } else {
      // A scalar on its own line (`key:` then its value below): a block scalar's header here is
      // not worth following.
      const c = text.charCodeAt(at);
      if (c === 124 || c === 62) return undefined;
      push(at - pos, SCALAR, at);
      skipDeeperThan = at - pos;
    }
    pos = next;
  }
  subtreeEnds(e);
  return e;
}

/**
 * The key a line holds at `at`: its text and the offset after its colon; undefined when the line
 * holds a scalar there; null when unsure (a quoted key whose escapes are not JSON's).
 */
function readKey(text: string, at: number, lineEnd: number): { key: string; after: number } | undefined | null {
  const c = text.charCodeAt(at);
  if (c === 34 || c === 39) {
    let j = at + 1;
    for (; j < lineEnd; j++) {
      const d = text.charCodeAt(j);
      if (c === 34 && d === 92) j++;
      else if (d === c) {
        if (c === 39 && text.charCodeAt(j + 1) === 39) j++;
        else break;
      }
    }
    if (j >= lineEnd) return undefined;
    let colon = j + 1;
    while (colon < lineEnd && isBlank(text.charCodeAt(colon))) colon++;
    if (text.charCodeAt(colon) !== 58 || !(colon + 1 >= lineEnd || isBlank(text.charCodeAt(colon + 1))))
      return undefined;
    const raw = text.slice(at, j + 1);
    if (c === 39) return { key: raw.slice(1, -1).replace(/''/g, "'"), after: colon + 1 };
    try {
      return { key: JSON.parse(raw) as string, after: colon + 1 };
    } catch {
      return null;
    }
  }
  if (c === 123 || c === 91) return undefined;
  for (let j = at; j < lineEnd; j++) {
    const d = text.charCodeAt(j);
    if (d === 58 && (j + 1 >= lineEnd || isBlank(text.charCodeAt(j + 1))))
      return { key: text.slice(at, j).replace(/[ \t]+$/, ''), after: j + 1 };
    if (d === 35 && j > at && isBlank(text.charCodeAt(j - 1))) return undefined;
  }
  return undefined;
}

/** Where each entry's subtree ends: entries indented deeper, and a key's `- ` items at its own indentation. */
function subtreeEnds(e: Entries): void {
  const n = e.col.length;
  const stack: number[] = [];
  for (let j = 0; j < n; j++) {
    for (;;) {
      const i = stack[stack.length - 1];
      if (i === undefined) break;
      const inside =
        e.col[j]! > e.col[i]! ||
        (e.kind[i] === KEY && e.value[i] === -1 && e.kind[j] === ITEM && e.col[j] === e.col[i]);
      if (inside) break;
      e.end[i] = j;
      stack.pop();
    }
    stack.push(j);
  }
  for (const i of stack) e.end[i] = n;
}

function find(e: Entries, path: readonly PathSegment[], atKey: boolean): number | undefined {
  let lo = 0;
  let hi = e.col.length;
  for (let k = 0; k < path.length; k++) {
    if (lo >= hi) return undefined;
    const seg = path[k]!;
    const childCol = e.col[lo]!;
    let found = -1;
    let count = 0;
    for (let i = lo; i < hi; i = e.end[i]!) {
      if (e.col[i] !== childCol) return undefined;
      if (typeof seg === 'string') {
        if (e.kind[i] === KEY && e.key[i] === seg) {
          found = i;
          break;
        }
      } else if (e.kind[i] !== ITEM) return undefined;
      else if (count++ === seg) {
        found = i;
        break;
      }
    }
    if (found < 0) return undefined;
    const value = e.value[found]!;
    if (k === path.length - 1) {
      if (atKey && e.kind[found] === KEY) return e.start[found];
      if (value >= 0) return value;
      if (e.end[found]! > found + 1) return e.start[found + 1];
      return e.kind[found] === KEY ? e.start[found] : undefined;
    }
    // A key's value on its own line is a scalar or a `{...}`: nothing to go into.
    if (value >= 0 && e.kind[found] === KEY) return undefined;
    lo = found + 1;
    hi = e.end[found]!;
  }
  return undefined;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}
