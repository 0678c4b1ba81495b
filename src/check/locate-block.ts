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

/** Each line's start, end (before a `\r`) and indentation (-1: blank, a comment or `---`), read once. */
interface Lines {
  start: Int32Array;
  end: Int32Array;
  indent: Int32Array;
}

export interface BlockLocator {
  /** The offset of the node at `path` (at its key with `atKey`), or undefined when not sure. */
  find(path: readonly PathSegment[], atKey?: boolean): number | undefined;
}

export function blockLocator(text: string): BlockLocator {
  const lines = readLines(text);
  return { find: (path, atKey = false) => (lines ? find(text, lines, path, atKey) : undefined) };
}

function readLines(text: string): Lines | undefined {
  let n = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) n++;
  const lines: Lines = { start: new Int32Array(n), end: new Int32Array(n), indent: new Int32Array(n) };
  let pos = 0;
  for (let l = 0; l < n; l++) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const lineEnd = eol > pos && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
    let at = pos;
    while (at < lineEnd && text.charCodeAt(at) === 32) at++;
    lines.start[l] = pos;
    lines.end[l] = lineEnd;
    lines.indent[l] = at >= lineEnd || text.charCodeAt(at) === 35 ? -1 : at - pos;
    if (at === pos && /^(?:---|\.\.\.)(?:[ \t]|$)/.test(text.slice(at, Math.min(lineEnd, at + 4)))) {
      const rest = text.slice(at + 3, lineEnd).trim();
      if (rest !== '' && !rest.startsWith('#')) return undefined;
      lines.indent[l] = -1;
    }
    pos = eol + 1;
  }
  return lines;
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

/**
 * Follows `path` down the lines: at each level, the node's children are the lines of its region at
 * one column (deeper lines are inside a child; a block scalar's lines always are), the first of them
 * possibly on the line of a `- ` (a compact mapping). Only keys at that column are read.
 */
function find(text: string, lines: Lines, path: readonly PathSegment[], atKey: boolean): number | undefined {
  const { start, end, indent } = lines;
  const n = indent.length;
  const next = (l: number): number => {
    let i = l;
    while (i < n && indent[i]! < 0) i++;
    return i < n ? i : -1;
  };
  const isDash = (at: number): boolean => text.charCodeAt(at) === 45 && isBreak(text.charCodeAt(at + 1));
  // The region being searched: lines from `from`, indented deeper than `parentCol` (or `- ` items at
  // it, when a key's sequence is not indented), and a first child at `inline` on the line before.
  let from = 0;
  let parentCol = -1;
  let sameColItems = false;
  let inline = -1;
  let inlineLine = -1;
  for (let k = 0; k < path.length; k++) {
    const seg = path[k]!;
    let col = -1;
    let found = -1;
    let foundLine = -1;
    let after = NO_KEY;
    let count = 0;
    // Whether the child at `at` (on line `l`) is the one: false to go on, undefined when unsure.
    const visit = (at: number, l: number): boolean | undefined => {
      if (typeof seg === 'number') {
        if (!isDash(at)) return undefined;
        if (count++ !== seg) return false;
      } else {
        if (isDash(at)) return undefined;
        after = readKey(text, at, end[l]!);
        if (after < 0) return undefined;
        if (!keyIs(text, at, seg)) return false;
      }
      found = at;
      foundLine = l;
      return true;
    };
    let done: boolean | undefined = false;
    if (inline >= 0) {
      col = inline - start[inlineLine]!;
      done = visit(inline, inlineLine);
    }
    for (let l = from; done === false && l < n; l++) {
      const ind = indent[l]!;
      if (ind < 0) continue;
      if (ind <= parentCol && !(sameColItems && ind === parentCol && isDash(start[l]! + ind))) break;
      if (col < 0) col = ind;
      if (ind > col) continue;
      if (ind < col) return undefined;
      done = visit(start[l]! + ind, l);
    }
    if (done !== true) return undefined;
    const last = k === path.length - 1;
    const lineEnd = end[foundLine]!;
    const foundCol = found - start[foundLine]!;
    // What follows the key's colon or the dash on the same line, if anything.
    let v = skipBlanks(text, typeof seg === 'number' ? found + 1 : after);
    if (v >= lineEnd || text.charCodeAt(v) === 35) v = -1;
    if (last) {
      if (atKey && typeof seg === 'string') return found;
      if (v >= 0) return v;
      const below = next(foundLine + 1);
      const inside =
        below >= 0 &&
        (indent[below]! > foundCol ||
          (typeof seg === 'string' && indent[below] === foundCol && isDash(start[below]! + foundCol)));
      if (inside) return start[below]! + indent[below]!;
      return typeof seg === 'string' ? found : undefined;
    }
    if (v >= 0) {
      const c = text.charCodeAt(v);
      if (c === 123 || c === 91) return findInFlow(text, v, path.slice(k + 1), atKey);
      // A key's value on its line is a scalar; after a dash, a compact mapping's first key.
      if (typeof seg === 'string' || isDash(v)) return undefined;
    }
    from = foundLine + 1;
    parentCol = foundCol;
    inline = v;
    inlineLine = foundLine;
    const below = next(from);
    sameColItems =
      typeof seg === 'string' && below >= 0 && indent[below] === foundCol && isDash(start[below]! + foundCol);
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

/** Whether the key readKey just read at `at` is `seg` (a plain key is compared in the text, never copied out). */
function keyIs(text: string, at: number, seg: string): boolean {
  if (keyRead.quoted !== undefined) return keyRead.quoted === seg;
  return keyRead.end - at === seg.length && text.startsWith(seg, at);
}

/** A space, a tab, a line's end or the text's: what makes a `-` an item's dash. */
function isBreak(c: number): boolean {
  return Number.isNaN(c) || c === 32 || c === 9 || c === 10 || c === 13;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}
