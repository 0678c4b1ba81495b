/**
 * Where a node of a block-style YAML text is, found from its lines, without the `yaml` Document.
 * Pure.
 *
 * Every flow names some org objects, and each needs a position; building the Document for that would
 * parse every file a second time, several times slower than the fast reader (check/fast-yaml.ts). Texts
 * the fast reader took are plain block YAML (no anchors, tags, complex keys, flow collections over
 * several lines, multi-line quoted scalars), so their structure is in their lines: `key:` and `- `
 * at some indentation, and a `{...}` or `[...]` closes on its line. This reads those lines once and
 * follows paths through them (and through such one-line collections); it answers only what it is
 * sure of (anything else is undefined: then the caller asks the Document, check/locate.ts, whose
 * answers these match; a test holds them to it).
 */
import type { PathSegment } from './locate.js';

const KEY = 0;
const ITEM = 1;
const SCALAR = 2;

/** One `key:`, `- ` or bare scalar of a line, in text order. */
interface Entries {
  col: number[];
  kind: number[];
  /** End of a plain key's text (it starts at `start`); -1 for a quoted key (then in `quoted`) or no key. */
  keyEnd: number[];
  /** Quoted keys, decoded, by entry. */
  quoted: Map<number, string>;
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
  return { find: (path, atKey = false) => (entries ? find(text, entries, path, atKey) : undefined) };
}

function readEntries(text: string): Entries | undefined {
  const e: Entries = { col: [], kind: [], keyEnd: [], quoted: new Map(), start: [], value: [], end: [] };
  const push = (col: number, kind: number, start: number, keyEnd = -1): number => {
    e.col.push(col);
    e.kind.push(kind);
    e.keyEnd.push(keyEnd);
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
    const after = readKey(text, at, lineEnd);
    if (after === UNSURE) return undefined;
    if (after !== NO_KEY) {
      const k = push(at - pos, KEY, at, keyRead.end);
      if (keyRead.quoted !== undefined) e.quoted.set(k, keyRead.quoted);
      let v = after;
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

const NO_KEY = -1;
const UNSURE = -2;
/**
 * The key readKey read last: where a plain one ends (it starts where it was read), or a quoted one
 * decoded. Kept here rather than returned in an object: this runs for every line of every file.
 */
const keyRead: { end: number; quoted: string | undefined } = { end: -1, quoted: undefined };

/**
 * The key a line holds at `at`: the offset after its colon (the key in keyRead); NO_KEY when the
 * line holds a scalar there; UNSURE for a quoted key whose escapes are not JSON's.
 */
function readKey(text: string, at: number, lineEnd: number): number {
  const c = text.charCodeAt(at);
  if (c === 34 || c === 39) {
    const j = closingQuote(text, at);
    if (j < 0 || j >= lineEnd) return NO_KEY;
    let colon = j + 1;
    while (colon < lineEnd && isBlank(text.charCodeAt(colon))) colon++;
    if (text.charCodeAt(colon) !== 58 || !(colon + 1 >= lineEnd || isBlank(text.charCodeAt(colon + 1)))) return NO_KEY;
    const raw = text.slice(at, j + 1);
    keyRead.end = -1;
    if (c === 39) keyRead.quoted = raw.slice(1, -1).replace(/''/g, "'");
    else {
      try {
        keyRead.quoted = JSON.parse(raw) as string;
      } catch {
        return UNSURE;
      }
    }
    return colon + 1;
  }
  if (c === 123 || c === 91) return NO_KEY;
  for (let j = at; j < lineEnd; j++) {
    const d = text.charCodeAt(j);
    if (d === 58 && (j + 1 >= lineEnd || isBlank(text.charCodeAt(j + 1)))) {
      let end = j;
      while (end > at && isBlank(text.charCodeAt(end - 1))) end--;
      keyRead.end = end;
      keyRead.quoted = undefined;
      return j + 1;
    }
    if (d === 35 && j > at && isBlank(text.charCodeAt(j - 1))) return NO_KEY;
  }
  return NO_KEY;
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

function find(text: string, e: Entries, path: readonly PathSegment[], atKey: boolean): number | undefined {
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
        if (e.kind[i] === KEY && keyIs(text, e, i, seg)) {
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
    if (value >= 0) {
      const c = text.charCodeAt(value);
      if (c === 123 || c === 91) return findInFlow(text, value, path.slice(k + 1), atKey);
      if (e.kind[found] === KEY) return undefined;
    }
    lo = found + 1;
    hi = e.end[found]!;
  }
  return undefined;
}

/**
 * The offset of the node at `path` inside the flow collection (`{...}`, `[...]`) starting at `at`,
 * which the fast reader guarantees ends on its line; undefined when not sure.
 */
function findInFlow(text: string, at: number, path: readonly PathSegment[], atKey: boolean): number | undefined {
  let p = at;
  for (let k = 0; k < path.length; k++) {
    const seg = path[k]!;
    const open = text.charCodeAt(p);
    let found: { key: number; value: number } | undefined;
    if (open === 123 && typeof seg === 'string') found = flowPair(text, p, seg);
    else if (open === 91 && typeof seg === 'number') found = flowItem(text, p, seg);
    if (!found) return undefined;
    const c = text.charCodeAt(found.value);
    const empty = c === 44 || c === 125 || c === 93;
    if (k === path.length - 1) return atKey && typeof seg === 'string' ? found.key : empty ? found.key : found.value;
    if (c !== 123 && c !== 91) return undefined;
    p = found.value;
  }
  return undefined;
}

/** The key and value offsets of `key` in the flow mapping opening at `at`. */
function flowPair(text: string, at: number, key: string): { key: number; value: number } | undefined {
  let p = skipBlanks(text, at + 1);
  while (p < text.length && text.charCodeAt(p) !== 125) {
    const start = p;
    const k = flowKey(text, p);
    if (!k) return undefined;
    const value = skipBlanks(text, k.after);
    if (k.key === key) return { key: start, value };
    p = skipBlanks(text, skipFlowValue(text, value));
    if (text.charCodeAt(p) === 44) p = skipBlanks(text, p + 1);
    else if (text.charCodeAt(p) !== 125) return undefined;
  }
  return undefined;
}

/** The offset of item `index` of the flow sequence opening at `at`. */
function flowItem(text: string, at: number, index: number): { key: number; value: number } | undefined {
  let p = skipBlanks(text, at + 1);
  for (let i = 0; p < text.length && text.charCodeAt(p) !== 93; i++) {
    if (i === index) return { key: p, value: p };
    p = skipBlanks(text, skipFlowValue(text, p));
    if (text.charCodeAt(p) === 44) p = skipBlanks(text, p + 1);
    else if (text.charCodeAt(p) !== 93) return undefined;
  }
  return undefined;
}

/** A key of a flow mapping at `at` (quoted or plain) and the offset after its colon. */
function flowKey(text: string, at: number): { key: string; after: number } | undefined {
  const c = text.charCodeAt(at);
  let end: number;
  let key: string;
  if (c === 34 || c === 39) {
    end = closingQuote(text, at);
    if (end < 0) return undefined;
    const raw = text.slice(at, end + 1);
    if (c === 39) key = raw.slice(1, -1).replace(/''/g, "'");
    else {
      try {
        key = JSON.parse(raw) as string;
      } catch {
        return undefined;
      }
    }
    end++;
  } else {
    end = at;
    for (; end < text.length; end++) {
      const d = text.charCodeAt(end);
      if (d === 58 && isFlowBreak(text.charCodeAt(end + 1))) break;
      if (d === 44 || d === 123 || d === 125 || d === 91 || d === 93 || d === 10 || d === 35) return undefined;
    }
    key = text.slice(at, end).replace(/[ \t]+$/, '');
  }
  const colon = skipBlanks(text, end);
  if (text.charCodeAt(colon) !== 58) return undefined;
  return { key, after: colon + 1 };
}

/** The offset just after the flow value at `at` (a scalar, or a collection with what it holds). */
function skipFlowValue(text: string, at: number): number {
  let depth = 0;
  // A quote opens a quoted scalar only where a value starts (`it's` is plain).
  let valueStarts = true;
  for (let p = at; p < text.length; p++) {
    const c = text.charCodeAt(p);
    const starts: boolean = valueStarts;
    valueStarts = c === 123 || c === 91 || c === 44 || c === 58 || (starts && isBlank(c));
    if ((c === 34 || c === 39) && starts) {
      const end = closingQuote(text, p);
      if (end < 0) return text.length;
      p = end;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (depth === 0) return p;
      depth--;
      if (depth === 0) return p + 1;
    } else if ((c === 44 && depth === 0) || c === 10) return p;
  }
  return text.length;
}

/** The offset of the quote closing the quoted scalar opening at `at` (`\\"` and `''` escape), or -1. */
function closingQuote(text: string, at: number): number {
  const q = text.charCodeAt(at);
  for (let j = at + 1; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (d === 10) return -1;
    if (q === 34 && d === 92) j++;
    else if (d === q) {
      if (q === 39 && text.charCodeAt(j + 1) === 39) j++;
      else return j;
    }
  }
  return -1;
}

function skipBlanks(text: string, at: number): number {
  let p = at;
  while (isBlank(text.charCodeAt(p))) p++;
  return p;
}

/** What may follow the colon of a key in a flow mapping. */
function isFlowBreak(c: number): boolean {
  return Number.isNaN(c) || isBlank(c) || c === 44 || c === 125 || c === 93 || c === 10 || c === 13;
}

/** Whether entry `i`'s key is `seg`, read from the text (a plain key is never copied out). */
function keyIs(text: string, e: Entries, i: number, seg: string): boolean {
  const end = e.keyEnd[i]!;
  if (end < 0) return e.quoted.get(i) === seg;
  return end - e.start[i]! === seg.length && text.startsWith(seg, e.start[i]);
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}
