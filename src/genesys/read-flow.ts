/**
 * One flow's current state, fresh from the API (apply re-reads every flow right before writing it,
 * ARCHITECTURE.md "Apply, safely" 2): by id, or by type and name.
 *
 * Facts (shared/reference/genesys-flow-api.md sections 2 and 3):
 * - `GET /api/v2/flows/{id}` (SDK `getFlow`) answers 404 for an unknown id and 410 for a deleted flow.
 * - `GET /api/v2/flows?name=` is not an exact match (a substring or `*` pattern; the Terraform
 *   provider re-filters by exact name and type), and deleted flows are left out unless `deleted=true`.
 * - Flow names are unique per type regardless of case (Architect's "a flow of type T named N already
 *   exists"; the emulator matches the same way), so the re-filter compares names case-insensitively.
 */
import type { Models } from 'purecloud-platform-client-v2';
import { RemoteError } from '../errors.js';
import type { ApiSession } from './api-session.js';
import { toLiveFlowSummary } from './list-flows.js';
import type { LiveFlowSummary } from './types.js';
import { flowKey } from '../identity/index.js';

/** Small pages: a name filter matches a handful of flows, and the first page almost always has it. */
const FIND_PAGE_SIZE = 100;
/** A name matched by more flows than this is a pattern gone wrong: stop paging rather than list the org. */
const MAX_FIND_PAGES = 20;

/** 404 (never existed) and 410 (deleted) both mean "no such flow" to a caller. */
export function isGone(error: unknown): boolean {
  return error instanceof RemoteError && (error.status === 404 || error.status === 410);
}

/** A Flow as read (by id, or in a checkout's answer): its summary, or undefined when it was deleted. */
export function liveUnlessDeleted(flow: Models.Flow): LiveFlowSummary | undefined {
  const summary = toLiveFlowSummary(flow);
  return summary.deleted ? undefined : summary;
}

/** The flow with this id, or undefined when it does not exist or was deleted. */
export async function getFlow(session: ApiSession, id: string): Promise<LiveFlowSummary | undefined> {
  try {
    const flow = await session.call(`read flow ${id}`, (api) => api.getFlow(id));
    return liveUnlessDeleted(flow);
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

/** The live flow of this type and name (case-insensitive), or undefined. */
export async function findFlow(session: ApiSession, type: string, name: string): Promise<LiveFlowSummary | undefined> {
  const wanted = type.toLowerCase();
  for (let pageNumber = 1; pageNumber <= MAX_FIND_PAGES; pageNumber++) {
    const page: Models.FlowEntityListing = await session.call(`find ${wanted} flow "${name}"`, (api) =>
      api.getFlows({ type: [wanted], name, pageNumber, pageSize: FIND_PAGE_SIZE, sortBy: 'id', sortOrder: 'asc' }),
    );
    const match = (page.entities ?? []).find(
      (flow) => flow.name !== undefined && flowKey(flow.type ?? '', flow.name) === flowKey(type, name) && !flow.deleted,
    );
    if (match) return toLiveFlowSummary(match);
    const pageCount = page.pageCount ?? Math.ceil((page.total ?? 0) / FIND_PAGE_SIZE);
    if (pageNumber >= pageCount) return undefined;
  }
  throw new RemoteError(
    `find ${wanted} flow "${name}": more than ${MAX_FIND_PAGES * FIND_PAGE_SIZE} flows match the name filter, none exactly`,
  );
}
