import { createHash } from 'node:crypto';

/**
 * The audit note apply appends to a flow's description (`[flowops <commit>]`, after one space when
 * there is a description): written by us, not authored, so never a difference. Exactly that space
 * goes with it: a description's own trailing space or newline (a block scalar's) is kept.
 */
export const AUDIT_NOTE = /(?:^| )\[flowops [^\]]*\]$/;

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
      if (typeof flow.description === 'string') {
        const description = flow.description.replace(AUDIT_NOTE, '');
        if (description === '') delete flow.description;
        else flow.description = description;
      } else if (flow.description === null) delete flow.description;
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

/** sha256 of the canonical JSON: equal content, equal hash, whatever the key order or formatting. */
export function hashDocument(canonical: Record<string, unknown>): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(canonical)).digest('hex')}`;
}

/** The hash plans compare a document by: of its canonical form. */
export function canonicalHash(document: Record<string, unknown>): string {
  return hashDocument(canonicalize(document));
}
