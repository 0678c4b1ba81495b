/**
 * The audit note: its format, the one pattern that reads it and the functions that write it. Every
 * version apply publishes carries at the end of the flow's description
 * `[flowops <commit>[ PR #<n>] f1:<fingerprint>]` (fingerprint.ts), after one space when there is a
 * description: how plan, apply and drift know flowops' own versions (own-version.ts). Written by us,
 * not authored, so never a difference: the canonical form leaves it out (authoredDescription). Pure.
 */
import { parseDocument } from 'yaml';
import { loadPlainYaml } from '../check/fast-yaml.js';

export interface AuditNote {
  /** The commit applied (with `+dirty` when the work tree had changes). */
  commit?: string;
  pullRequest?: number;
  /** `f1:<22 characters>`. */
  fingerprint?: string;
}

/** The note itself, its words captured: the one spelling every reader below is made of. */
const NOTE = String.raw`\[flowops ([^\]]*)\]`;

/**
 * The note at the end of a description. Exactly the one space before it goes with it: a
 * description's own trailing space or newline (a block scalar's) is kept.
 */
export const AUDIT_NOTE = new RegExp(`(?:^| )${NOTE}$`);

/** The note in a `description:` line of YAML text, with the spaces before it and a closing quote after. */
const NOTE_IN_YAML_LINE = new RegExp(String.raw`^(\s*description:.*?)\s*${NOTE}(["']?)\s*$`, 'm');

/** `[flowops abc1234 PR #12 f1:...]`: the commit and pull request when known, the fingerprint always. */
export function formatNote(note: AuditNote): string {
  const parts = ['flowops'];
  if (note.commit) parts.push(note.commit);
  if (note.pullRequest !== undefined) parts.push(`PR #${note.pullRequest}`);
  if (note.fingerprint) parts.push(note.fingerprint);
  return `[${parts.join(' ')}]`;
}

/** Reads the note at the end of a description (or a published text's description line). */
export function readNote(description: string | undefined): AuditNote | undefined {
  const m = description === undefined ? null : AUDIT_NOTE.exec(description);
  if (!m) return undefined;
  const note: AuditNote = {};
  const words = (m[1] ?? '').split(/ +/).filter((w) => w !== '');
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === 'PR' && /^#[0-9]+$/.test(words[i + 1] ?? '')) note.pullRequest = Number(words[++i]!.slice(1));
    // Any scheme's fingerprint is read (f1, and later ones): a scheme flowops does not make never matches.
    else if (/^f[0-9]+:/.test(word)) note.fingerprint = word;
    else if (note.commit === undefined && /^[0-9a-f]{7,40}(?:\+dirty)?$/.test(word)) note.commit = word;
  }
  return note;
}

/** The commit a note names, without `+dirty`. */
export function noteCommit(note: AuditNote | undefined): string | undefined {
  return note?.commit?.replace(/\+dirty$/, '');
}

/** A description without flowops' note; empty is none. */
export function authoredDescription(description: string | undefined | null): string | undefined {
  const text = (description ?? '').replace(AUDIT_NOTE, '');
  return text === '' ? undefined : text;
}

/** YAML text with the note taken out of its `description:` line (exported files read as authored). */
export function withoutAuditNote(yaml: string): string {
  return yaml.replace(NOTE_IN_YAML_LINE, '$1$3');
}

/** Characters JSON leaves as they are and YAML must have escaped (or cannot hold). */
const NOT_PRINTABLE = /[\u007f-\u0084\u0086-\u009f\ud800-\udfff\ufffe\uffff]/;

/**
 * Adds the note to the flow's description in the YAML that is published (replacing the one there), so
 * every version says which commit and which content it came from.
 *
 * Most files get the note by rewriting the one `description:` line (or adding one): the rest of the
 * text stays byte for byte as written. A description the line edit cannot be sure of (a block or
 * multi-line scalar, an unusual layout) goes through the YAML Document, which reformats the file.
 */
export function withAuditNote(yaml: string, audit: AuditNote): string {
  if (!audit.commit && !audit.fingerprint) return yaml;
  const note = formatNote(audit);
  const edited = editDescriptionLine(yaml, note);
  if (edited !== undefined) return edited;
  const doc = parseDocument(yaml);
  const root = doc.contents as { items?: Array<{ key: { value?: unknown } }> } | null;
  const key = root?.items?.[0]?.key?.value;
  if (typeof key !== 'string') return yaml;
  const current = doc.getIn([key, 'description']);
  const base = typeof current === 'string' ? current.replace(AUDIT_NOTE, '') : '';
  doc.setIn([key, 'description'], `${base}${base ? ' ' : ''}${note}`);
  return doc.toString({ lineWidth: 0 });
}

/** A line that says nothing: blank (spaces, tabs, a carriage return) or a comment. */
const QUIET_LINE = /^[ \t]*(?:#.*)?\r?$/;

/** The line of `text` that starts at `from`: its end (exclusive, before the newline) and its text. */
function lineAt(text: string, from: number): { end: number; line: string } {
  const newline = text.indexOf('\n', from);
  const end = newline < 0 ? text.length : newline;
  return { end, line: text.slice(from, end) };
}

/** Where the first line from `from` on that `counts` starts (-1: none). */
function nextLine(text: string, from: number, counts: (line: string) => boolean): number {
  for (let at = from; at <= text.length; ) {
    const { end, line } = lineAt(text, at);
    if (counts(line)) return at;
    if (end >= text.length) return -1;
    at = end + 1;
  }
  return -1;
}

/** A line that is neither blank nor a comment. */
const spoken = (line: string): boolean => !QUIET_LINE.test(line);

/**
 * The note put in by editing lines: the file is one top-level key at column 0 on the first line that
 * is not blank or a comment, its body indented by some spaces, and the description (if any) a
 * one-line scalar directly in that body. Undefined when the file is not like that. Apply runs this on
 * every file it uploads, fifty at once: the text is searched, never split into its lines.
 */
function editDescriptionLine(yaml: string, note: string): string | undefined {
  const top = nextLine(yaml, 0, spoken);
  if (top < 0) return undefined;
  const topLine = lineAt(yaml, top);
  if (!/^[A-Za-z]+:[ \t]*$/.test(topLine.line.replace(/\r$/, ''))) return undefined;
  const cr = topLine.line.endsWith('\r') ? '\r' : '';
  const bodyStart = nextLine(yaml, topLine.end + 1, spoken);
  const indent = bodyStart < 0 ? undefined : /^( +)\S/.exec(lineAt(yaml, bodyStart).line)?.[1];
  if (!indent) return undefined;
  // A second top-level key (a spoken line at column 0 after the body starts): not a flow file the line edit knows.
  const atColumnZero = /\n(?=[^ \n])/g;
  atColumnZero.lastIndex = bodyStart - 1;
  for (let m = atColumnZero.exec(yaml); m; m = atColumnZero.exec(yaml)) {
    if (spoken(lineAt(yaml, m.index + 1).line)) return undefined;
  }
  // The description: a line at the body's indent that starts `description:`, at most one.
  const descriptions = new RegExp(`\\n${indent}description:(?=[ \\t\\r\\n]|$)`, 'g');
  descriptions.lastIndex = bodyStart - 1;
  const found = descriptions.exec(yaml);
  if (found && descriptions.exec(yaml)) return undefined;
  if (!found) {
    const entry = `${indent}description: ${JSON.stringify(note)}${cr}\n`;
    return `${yaml.slice(0, bodyStart)}${entry}${yaml.slice(bodyStart)}`;
  }
  const at = found.index + 1;
  const { end, line } = lineAt(yaml, at);
  // The value must be all on its line: the next line that is not blank is indented no deeper.
  const next = nextLine(yaml, end + 1, (l) => l.trim() !== '');
  if (next >= 0 && /^ */.exec(lineAt(yaml, next).line)![0].length > indent.length) return undefined;
  const value = line.slice(indent.length + 'description:'.length).replace(/\r$/, '');
  const read = loadPlainYaml(`d:${value}\n`)?.data as { d?: unknown } | undefined;
  if (!read || (typeof read.d !== 'string' && read.d !== null)) return undefined;
  const base = (read.d ?? '').replace(AUDIT_NOTE, '');
  // JSON's string syntax is YAML's double-quoted one, for characters YAML may hold unescaped.
  if (NOT_PRINTABLE.test(base)) return undefined;
  const edited = `${indent}description: ${JSON.stringify(`${base}${base ? ' ' : ''}${note}`)}${cr}`;
  return `${yaml.slice(0, at)}${edited}${yaml.slice(end)}`;
}
