/**
 * How flowops knows the versions it published, and from what (ARCHITECTURE.md "Knowing what we
 * published"). Every version apply publishes carries in the flow's description a note
 * `[flowops <commit>[ PR #<n>] f1:<fingerprint>]`. The fingerprint is an HMAC-SHA256 of the desired
 * content's canonical hash, keyed by a key derived from the OAuth client's secret: anyone who can read
 * flows sees the note, but without the secret cannot test guesses of a secret substitution's value
 * against it. A note alone proves nothing (it can be copied by hand, or left in place by someone who
 * publishes in the Architect UI): identity.ts also asks who created the published version. Pure.
 */
import { createHash, createHmac } from 'node:crypto';

/** The fingerprint's scheme: a note of another scheme never matches, and the content decides. */
export const FINGERPRINT_SCHEME = 'f1';

export interface AuditNote {
  /** The commit applied (with `+dirty` when the work tree had changes). */
  commit?: string;
  pullRequest?: number;
  /** `f1:<22 characters>`. */
  fingerprint?: string;
}

/** The key fingerprints are made with, from the OAuth client's secret (never the secret itself). */
export function fingerprintKeyOf(clientSecret: string): string {
  return createHash('sha256').update('flowops fingerprint key\n').update(clientSecret).digest('base64url');
}

/** The fingerprint of desired content whose canonical hash is `canonicalHash`. */
export function fingerprintOf(canonicalHash: string, key: string): string {
  const mac = createHmac('sha256', key).update(`${FINGERPRINT_SCHEME}\n${canonicalHash}`).digest('base64url');
  return `${FINGERPRINT_SCHEME}:${mac.slice(0, 22)}`;
}

/** `[flowops abc1234 PR #12 f1:...]`: the commit and pull request when known, the fingerprint always. */
export function formatNote(note: AuditNote): string {
  const parts = ['flowops'];
  if (note.commit) parts.push(note.commit);
  if (note.pullRequest !== undefined) parts.push(`PR #${note.pullRequest}`);
  if (note.fingerprint) parts.push(note.fingerprint);
  return `[${parts.join(' ')}]`;
}

/** The note at the end of a description, when there is one. */
const NOTE_AT_END = /(?:^| )\[flowops((?: [^\]\s]+| PR #[0-9]+)*)\]$/;

/** Reads the note at the end of a description (or a published text's description line). */
export function readNote(description: string | undefined): AuditNote | undefined {
  const m = description === undefined ? null : NOTE_AT_END.exec(description);
  if (!m) return undefined;
  const note: AuditNote = {};
  const words = (m[1] ?? '').trim().split(/ +/).filter((w) => w !== '');
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === 'PR' && /^#[0-9]+$/.test(words[i + 1] ?? '')) note.pullRequest = Number(words[++i]!.slice(1));
    else if (word.startsWith(`${FINGERPRINT_SCHEME}:`) || /^f[0-9]+:/.test(word)) note.fingerprint = word;
    else if (note.commit === undefined && /^[0-9a-f]{7,40}(?:\+dirty)?$/.test(word)) note.commit = word;
  }
  return note;
}

/** The commit a note names, without `+dirty`. */
export function noteCommit(note: AuditNote | undefined): string | undefined {
  return note?.commit?.replace(/\+dirty$/, '');
}
