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

/**
 * The note put in by editing lines: the file is one top-level key at column 0 on the first line that
 * is not blank or a comment, its body indented by some spaces, and the description (if any) a
 * one-line scalar directly in that body. Undefined when the file is not like that.
 */
function editDescriptionLine(yaml: string, note: string): string | undefined {
  const lines = yaml.split('\n');
  const top = lines.findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (top < 0 || !/^[A-Za-z]+:[ \t]*$/.test(lines[top]!.replace(/\r$/, ''))) return undefined;
  const bodyStart = lines.findIndex((l, i) => i > top && l.trim() !== '' && !l.trimStart().startsWith('#'));
  const indent = bodyStart < 0 ? undefined : /^( +)\S/.exec(lines[bodyStart]!)?.[1];
  if (!indent) return undefined;
  const cr = lines[top]!.endsWith('\r') ? '\r' : '';
  let at = -1;
  for (let i = bodyStart; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const lead = /^ */.exec(line)![0].length;
    if (lead === 0) return undefined; // a second top-level key: not a flow file the line edit knows
    if (lead === indent.length && /^description:(?:[ \t]|$)/.test(line.slice(lead))) {
      if (at >= 0) return undefined;
      at = i;
    }
  }
  if (at < 0) {
    lines.splice(bodyStart, 0, `${indent}description: ${JSON.stringify(note)}${cr}`);
    return lines.join('\n');
  }
  // The value must be all on its line: the next line that is not blank is indented no deeper.
  const next = lines.slice(at + 1).find((l) => l.trim() !== '');
  if (next !== undefined && /^ */.exec(next)![0].length > indent.length) return undefined;
  const value = lines[at]!.slice(indent.length + 'description:'.length).replace(/\r$/, '');
  const read = loadPlainYaml(`d:${value}\n`)?.data as { d?: unknown } | undefined;
  if (!read || (typeof read.d !== 'string' && read.d !== null)) return undefined;
  const base = (read.d ?? '').replace(AUDIT_NOTE, '');
  // JSON's string syntax is YAML's double-quoted one, for characters YAML may hold unescaped.
  if (NOT_PRINTABLE.test(base)) return undefined;
  lines[at] = `${indent}description: ${JSON.stringify(`${base}${base ? ' ' : ''}${note}`)}${cr}`;
  return lines.join('\n');
}
