/**
 * Is this flow unchanged? Everything flowops knows a flow by, in one place (the rest of flowops
 * imports it from here):
 * - flow-key.ts: the one key of a flow (type and name, regardless of case) and its id in plans;
 * - canonical-form.ts: the canonical form and its hash (of desired content: what the fingerprint is
 *   made of; hashDocument, the one sha256 of a form);
 * - normal-form.ts (with architect-defaults.ts, the one table of what Architect adds): the form a
 *   file and its export are equal in, when identity cannot decide;
 * - audit-note.ts: the note apply writes into a description, read by one pattern, written by one
 *   function;
 * - fingerprint.ts: the keyed fingerprint the note carries;
 * - own-version.ts: whether a live flow is flowops' own version of the desired content.
 * Pure: no I/O.
 */
export { flowId, flowKey, idOf, keyOf, keyOfId } from './flow-key.js';
export {
  CANONICAL_FORM_REVISION,
  CANONICAL_HASH,
  canonicalHash,
  canonicalize,
  desiredHashOf,
  hashDocument,
} from './canonical-form.js';
export { NORMAL_FORM_REVISION, normalForm, normalHash } from './normal-form.js';
export {
  AUDIT_NOTE,
  authoredDescription,
  formatNote,
  noteCommit,
  readNote,
  withAuditNote,
  withoutAuditNote,
  type AuditNote,
} from './audit-note.js';
export { FINGERPRINT_SCHEME, fingerprintKeyOf, fingerprintOf } from './fingerprint.js';
export {
  desiredFingerprintOf,
  holdsDesired,
  holdsFingerprint,
  ownNote,
  type Identity,
  type LiveIdentity,
  type LiveVersion,
} from './own-version.js';
