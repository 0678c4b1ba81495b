/**
 * The canonical form and its hash: a flow document with the audit note left out of its description
 * (audit-note.ts), an empty description as none, keys in a stable order. The desired content's
 * canonical hash is what the fingerprint is made of (fingerprint.ts), and the one sha256 of a form
 * (hashDocument) the normal form's hash uses too. Pure.
 */
import { createHash } from 'node:crypto';
import type { DesiredFlow, DocumentHash } from '../check/types.js';
import { desiredDocument } from '../check/parse.js';
import { authoredDescription } from './audit-note.js';

/**
 * The revision of the canonical form and its hash. Hashes are kept between runs (with each file's
 * checks): bump this whenever canonicalize or hashDocument would give another hash for some document,
 * so no kept hash is compared with a new one. A test pins the hash of a fixed document to catch a
 * change made without the bump.
 */
export const CANONICAL_FORM_REVISION = 1;

/**
 * Brings a flow document (desired, or parsed from a live export) to the form both sides are
 * compared in: the audit note removed from the description, an empty description treated as none,
 * keys in a stable order. The values themselves (lit/exp wrappers) are compared as written.
 */
export function canonicalize(document: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, body] of Object.entries(document)) {
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      const flow = { ...(body as Record<string, unknown>) };
      if (typeof flow.description === 'string' || flow.description === null) {
        const description = authoredDescription(flow.description);
        if (description === undefined) delete flow.description;
        else flow.description = description;
      }
      out[key] = sortKeys(flow);
    } else out[key] = body;
  }
  return out;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

/**
 * sha256 of a form's JSON (canonical or normal): equal content, equal hash, whatever the key order or
 * formatting of the text it came from. Both kinds of hash are kept between runs: a change here bumps
 * CANONICAL_FORM_REVISION and NORMAL_FORM_REVISION.
 */
export function hashDocument(form: Record<string, unknown>): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(form)).digest('hex')}`;
}

/** The hash plans compare a document by: of its canonical form. */
export function canonicalHash(document: Record<string, unknown>): string {
  return hashDocument(canonicalize(document));
}

/** canonicalHash as the check works it out for each desired flow and keeps it in the check cache. */
export const CANONICAL_HASH: DocumentHash = Object.freeze({
  id: `canonical-${CANONICAL_FORM_REVISION}`,
  of: canonicalHash,
});

/**
 * A desired flow's canonical hash: the one its check worked out (given CANONICAL_HASH, as the
 * workspace does), else from its document.
 */
export function desiredHashOf(desired: DesiredFlow): string {
  return desired.hash ?? canonicalHash(desiredDocument(desired));
}
