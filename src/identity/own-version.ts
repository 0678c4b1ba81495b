/**
 * Identity first, content second (ARCHITECTURE.md "Knowing what we published"): a live flow whose
 * published version flowops' own OAuth client created, and whose description carries the audit note
 * (audit-note.ts) with the desired content's fingerprint (fingerprint.ts), holds the desired content;
 * nothing needs exporting. Anything else is compared by content, in the normal form. Pure.
 */
import type { DesiredFlow } from '../check/types.js';
import { authoredDescription, readNote, type AuditNote } from './audit-note.js';
import { desiredHashOf } from './canonical-form.js';
import { fingerprintOf } from './fingerprint.js';

/** A live flow's published version: who created it is how flowops knows its own. */
export interface LiveVersion {
  id: string;
  datePublished?: string;
  /** A person's or an OAuth client's name, for people. */
  createdBy?: string;
  /** The OAuth client that created the version (`createdByClient.id`), when a client did: how flowops knows its own. */
  createdByClientId?: string;
}

/** What identity needs of a live flow: the listing gives it, no export. */
export interface LiveIdentity {
  description?: string;
  publishedVersion?: LiveVersion;
}

/** Who runs flowops, and the key its fingerprints are made with. */
export interface Identity {
  /** The OAuth client flowops runs as. */
  clientId: string;
  /** fingerprint.ts fingerprintKeyOf(client secret). */
  fingerprintKey: string;
}

/**
 * The note of a live flow that is flowops' own: its published version was created by `clientId`
 * and its description ends with a note carrying a fingerprint. Undefined otherwise: a note without
 * the client (copied by hand, or kept by a person's publish) or the client without a note (a version
 * published by another tool with the same client) proves nothing.
 */
export function ownNote(live: LiveIdentity, clientId: string): AuditNote | undefined {
  if (!live.publishedVersion || live.publishedVersion.createdByClientId !== clientId) return undefined;
  const note = readNote(live.description);
  return note?.fingerprint ? note : undefined;
}

/**
 * The live flow is flowops' own with exactly this fingerprint, and its description (which the flow
 * keeps apart from its versions, so it can be edited without a publish) is still the desired one.
 */
export function holdsFingerprint(
  live: LiveIdentity,
  fingerprint: string,
  desiredDescription: string | undefined,
  clientId: string,
): boolean {
  return (
    ownNote(live, clientId)?.fingerprint === fingerprint &&
    authoredDescription(live.description) === authoredDescription(desiredDescription)
  );
}

/** The fingerprint apply writes for this desired flow (of its canonical hash, with flowops' key). */
export function desiredFingerprintOf(desired: DesiredFlow, identity: Identity): string {
  return fingerprintOf(desiredHashOf(desired), identity.fingerprintKey);
}

/** The live flow is flowops' own version of exactly this desired flow: identity says unchanged. */
export function holdsDesired(live: LiveIdentity, desired: DesiredFlow, identity: Identity): boolean {
  return holdsFingerprint(live, desiredFingerprintOf(desired, identity), desired.description, identity.clientId);
}
