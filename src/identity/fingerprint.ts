/**
 * The fingerprint the audit note carries (audit-note.ts; ARCHITECTURE.md "Knowing what we
 * published"): an HMAC-SHA256 of the desired content's canonical hash (canonical-form.ts), keyed by a
 * key derived from the OAuth client's secret. Anyone who can read flows sees the note, but without
 * the secret cannot test guesses of a secret substitution's value against it. A note alone proves
 * nothing (it can be copied by hand, or left in place by someone who publishes in the Architect UI):
 * own-version.ts also asks who created the published version. Pure.
 */
import { createHash, createHmac } from 'node:crypto';

/** The fingerprint's scheme: a note of another scheme never matches, and the content decides. */
export const FINGERPRINT_SCHEME = 'f1';

/** The key fingerprints are made with, from the OAuth client's secret (never the secret itself). */
export function fingerprintKeyOf(clientSecret: string): string {
  return createHash('sha256').update('flowops fingerprint key\n').update(clientSecret).digest('base64url');
}

/** The fingerprint of desired content whose canonical hash is `canonicalHash`. */
export function fingerprintOf(canonicalHash: string, key: string): string {
  const mac = createHmac('sha256', key).update(`${FINGERPRINT_SCHEME}\n${canonicalHash}`).digest('base64url');
  return `${FINGERPRINT_SCHEME}:${mac.slice(0, 22)}`;
}
