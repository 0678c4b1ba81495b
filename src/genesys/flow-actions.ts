/**
 * Unlocking and deleting a flow (shared/reference/genesys-flow-api.md sections 2 and 4).
 *
 * - `POST /api/v2/flows/actions/unlock?flow=ID` (SDK `postFlowsActionsUnlock`) breaks anyone's lock
 *   and checks their saved draft in as a new version: apply calls it only under --force-unlock.
 * - `DELETE /api/v2/flows/{id}` (SDK `deleteFlow`): a module that flows still call "cannot be
 *   deleted: used by one or more flows" (section 4), a flow locked by someone else cannot be deleted
 *   either; both answer 409. The session does not retry a 409 (should-retry.ts); the Terraform
 *   provider retries a 409 delete for 30 s, so a usage may clear shortly after its callers change
 *   (INFERRED): apply may retry 'in-use' a bounded number of times, nothing here loops on it.
 * - A DELETE repeated after a lost answer finds the flow gone (410) or unknown (404); like the
 *   Terraform provider's delete, that counts as deleted, so the retry is safe.
 */
import type { Models } from 'purecloud-platform-client-v2';
import { RemoteError } from '../errors.js';
import type { ApiSession } from './api-session.js';
import { GenesysApiError } from './errors.js';
import { lockHolder } from './job-failure.js';
import { isGone, liveUnlessDeleted } from './read-flow.js';
import type { LiveFlowSummary } from './types.js';

export type FlowDeleteReason = 'in-use' | 'locked' | 'conflict';

/**
 * A 409 on delete, classified. Wire codes first (Architect's are dotted lowercase keys, INFERRED in
 * reference section 4; the emulator answers `architect.flow.in.use` and
 * `architect.flow.locked.by.user`), the English texts of section 4 second (pure).
 */
export function classifyDeleteConflict(code: string | undefined, message: string): FlowDeleteReason {
  const key = (code ?? '').toLowerCase();
  if (key.includes('in.use') || key.includes('in_use')) return 'in-use';
  if (key.includes('locked.by')) return 'locked';
  if (/cannot be deleted|used by one or more|in use/i.test(message)) return 'in-use';
  if (/(?<!\bnot\s)\blocked by\b/i.test(message)) return 'locked';
  return 'conflict';
}

/** A flow that could not be deleted, with why; never retried forever (see the file comment). */
export class FlowDeleteError extends RemoteError {
  override readonly name = 'FlowDeleteError';
  readonly holder?: string;

  constructor(
    readonly flowId: string,
    readonly reason: FlowDeleteReason,
    message: string,
    status: number | undefined,
    detail: string | undefined,
    holder: string | undefined,
  ) {
    super(message, status, detail);
    if (holder !== undefined) this.holder = holder;
  }
}

/**
 * Takes the flow's lock (SDK `postFlowsActionsCheckout`) so that nobody publishes between apply's
 * last look and its job; the job, run by the same client, publishes and so releases it. A 409
 * means someone else holds it (reference section 4).
 *
 * The answer is the Flow (reference section 1: "takes the lock; returns Flow"), read at the moment
 * the lock was taken, which is the look apply needs: it is returned when it carries what that look
 * judges (the id, and the published version with who created it), so apply need not read the flow
 * again. When it does not (a flow never published, or an answer without the version's creator or the description: the
 * reference does not say how fully checkout fills the Flow), undefined: apply reads the flow, one
 * request more, never a guess.
 */
export async function checkoutFlow(session: ApiSession, id: string): Promise<LiveFlowSummary | undefined> {
  const flow: Models.Flow | undefined = await session.call(`lock flow ${id}`, (api) =>
    api.postFlowsActionsCheckout(id),
  );
  if (
    !flow ||
    flow.id !== id ||
    !flow.publishedVersion?.id ||
    !(flow.publishedVersion.createdByClient || flow.publishedVersion.createdBy) ||
    flow.description === undefined
  )
    return undefined;
  return liveUnlessDeleted(flow);
}

/**
 * Gives the flow a new name, keeping its id (`PUT /api/v2/flows/{id}`, SDK `putFlow`: "PUT updates
 * name, description, division", shared/reference/genesys-flow-api.md section 1). An Archy job cannot
 * do it: it finds the flow to update by the name in the file, so a new name would create a new flow.
 */
export async function renameFlow(session: ApiSession, id: string, type: string, name: string): Promise<void> {
  await session.call(`rename flow ${id}`, (api) => api.putFlow(id, { name, type: type.toUpperCase() }));
}

export async function unlockFlow(session: ApiSession, id: string): Promise<void> {
  await session.call(`unlock flow ${id}`, (api) => api.postFlowsActionsUnlock(id));
}

/** Deletes the flow; a flow already gone counts as deleted. Rejects with FlowDeleteError on a 409. */
export async function deleteFlow(session: ApiSession, id: string): Promise<void> {
  try {
    await session.call(`delete flow ${id}`, (api) => api.deleteFlow(id));
  } catch (error) {
    if (isGone(error)) return;
    if (!(error instanceof GenesysApiError) || error.status !== 409) throw error;
    const said = error.serverMessage ?? error.message;
    const reason = classifyDeleteConflict(error.code, said);
    const holder = reason === 'locked' ? (error.params.holder ?? lockHolder(said)) : undefined;
    const why =
      reason === 'in-use'
        ? 'it is still used by other flows (republish or delete its callers first)'
        : reason === 'locked'
          ? `it is locked by ${holder ?? 'another entity'}`
          : 'the server refused it (409)';
    const message = `cannot delete flow ${id}: ${why}${error.serverMessage ? `; the server said: ${error.serverMessage}` : ''}`;
    throw new FlowDeleteError(id, reason, message, error.status, error.detail, holder);
  }
}
