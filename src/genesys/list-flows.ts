/**
 * Listing live flows: `GET /api/v2/flows` (SDK `ArchitectApi.getFlows`) filtered by type, every page.
 *
 * - pageSize 500 is the largest the API takes (the emulator enforces the same maximum), so an org of
 *   N flows costs ceil(N / 500) requests.
 * - The `name` filter is not exact (the Terraform provider re-filters by exact name and type), so we
 *   list by type only and let the caller pair flows by (type, name).
 * - Sorted by id: a stable order while paging; the pages after the first are fetched concurrently
 *   (the limiter bounds how many at once) and merged by id, in case a flow moved between pages. A
 *   caller that knows how many flows to expect has their pages fetched together with the first.
 */
import type { Models } from 'purecloud-platform-client-v2';
import type { ApiSession, ArchitectApi } from './api-session.js';
import type { LiveFlowSummary, LiveVersion } from './types.js';

export const MAX_PAGE_SIZE = 500;

function versionOf(version: Models.FlowVersion | undefined): LiveVersion | undefined {
  if (!version?.id) return undefined;
  const summary: LiveVersion = { id: version.id };
  if (version.datePublished) summary.datePublished = version.datePublished;
  const by = version.createdBy?.name ?? version.createdByClient?.name;
  if (by) summary.createdBy = by;
  // How flowops knows its own versions (with the note): the OAuth client that created the version.
  if (version.createdByClient?.id) summary.createdByClientId = version.createdByClient.id;
  return summary;
}

/** SDK model -> plain summary (pure). Types are lowercased: bodies say INBOUNDCALL, queries inboundcall. */
export function toLiveFlowSummary(flow: Models.Flow): LiveFlowSummary {
  const summary: LiveFlowSummary = { id: flow.id ?? '', name: flow.name, type: (flow.type ?? '').toLowerCase() };
  if (flow.description !== undefined && flow.description !== null) summary.description = flow.description;
  if (flow.division?.id) summary.division = { id: flow.division.id, name: flow.division.name ?? '' };
  const published = versionOf(flow.publishedVersion);
  if (published) summary.publishedVersion = published;
  const lockedBy = flow.lockedUser?.name ?? flow.lockedClient?.name;
  if (lockedBy) summary.lockedBy = lockedBy;
  if (!flow.lockedUser && flow.lockedClient?.id) summary.lockedByClientId = flow.lockedClient.id;
  if (flow.deleted) summary.deleted = true;
  return summary;
}

export interface ListFlowsOptions {
  /** Default and maximum 500. */
  pageSize?: number;
  /** Only the flows this OAuth client holds the lock of (the API's `lockedByClientId` filter). */
  lockedByClientId?: string;
  /** Only these flows (the API's `id` filter; a few dozen at most, they go in the URL). */
  ids?: readonly string[];
  /**
   * How many flows the caller expects (e.g. its files'): the pages they would fill are asked for at
   * once, not after the first says how many there are (one round trip less; a page past the end
   * comes back empty).
   */
  expected?: number;
}

/** Every flow of the given types (all types when the list is empty), in id order. */
export async function listFlows(
  session: ApiSession,
  types: readonly string[],
  options: ListFlowsOptions = {},
): Promise<LiveFlowSummary[]> {
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(options.pageSize ?? MAX_PAGE_SIZE)));
  const query: Omit<Parameters<ArchitectApi['getFlows']>[0] & object, 'pageNumber'> = {
    pageSize,
    sortBy: 'id',
    sortOrder: 'asc',
  };
  const wanted = [...new Set(types.map((t) => t.toLowerCase()))];
  if (wanted.length > 0) query.type = wanted;
  if (options.lockedByClientId !== undefined) query.lockedByClientId = options.lockedByClientId;
  if (options.ids !== undefined) query.id = [...options.ids];

  const fetchPage = (pageNumber: number): Promise<Models.FlowEntityListing> =>
    session.call(`list flows (page ${pageNumber})`, (api) => api.getFlows({ ...query, pageNumber }));

  const guessed = Math.max(1, Math.ceil((options.expected ?? 0) / pageSize));
  // A page asked for early may lie past the end: an empty page, or (should an org refuse such a
  // page) an error that counts only if the first page says the page exists.
  const firstPage = fetchPage(1);
  const early = Array.from({ length: guessed - 1 }, (_, i) =>
    fetchPage(i + 2).then(
      (page) => ({ page }),
      (error: unknown) => ({ error }),
    ),
  );
  const first = await firstPage;
  const pageCount = first.pageCount ?? Math.ceil((first.total ?? 0) / pageSize);
  const rest: Models.FlowEntityListing[] = [];
  for (const [i, answer] of (await Promise.all(early)).entries()) {
    if ('page' in answer) rest.push(answer.page);
    else if (i + 2 <= pageCount) throw answer.error;
  }
  rest.push(
    ...(await Promise.all(
      Array.from({ length: Math.max(0, pageCount - guessed) }, (_, i) => fetchPage(guessed + i + 1)),
    )),
  );
  const byId = new Map<string, LiveFlowSummary>();
  for (const page of [first, ...rest]) {
    for (const flow of page.entities ?? []) {
      const summary = toLiveFlowSummary(flow);
      if (summary.id !== '' && (wanted.length === 0 || wanted.includes(summary.type))) byId.set(summary.id, summary);
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Ids a listing filters by at once: each one is 44 characters of URL. */
const IDS_PER_LISTING = 50;

/** The current state of these flows, by id, in one listing per 50 ids (deleted or unknown ones are absent). */
export async function listFlowsById(
  session: ApiSession,
  ids: readonly string[],
): Promise<Map<string, LiveFlowSummary>> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_LISTING) chunks.push(ids.slice(i, i + IDS_PER_LISTING));
  const found = await Promise.all(chunks.map((chunk) => listFlows(session, [], { ids: chunk })));
  const wanted = new Set(ids);
  return new Map(
    found
      .flat()
      .filter((f) => wanted.has(f.id) && !f.deleted)
      .map((f) => [f.id, f]),
  );
}

/** Versions a listing page holds: the largest page size the versions endpoint is asked for (a choice, like flows'). */
const VERSIONS_PAGE_SIZE = 100;

/**
 * Every version of one flow (`GET /api/v2/flows/{id}/versions`, SDK `getFlowVersions`), each with who
 * created it: drift finds flowops' own last version among them. Pages are read one after another
 * (a flow has a handful of pages at most).
 */
export async function listFlowVersions(session: ApiSession, flowId: string): Promise<LiveVersion[]> {
  const versions: LiveVersion[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const page: Models.FlowVersionEntityListing = await session.call(`list the versions of flow ${flowId}`, (api) =>
      api.getFlowVersions(flowId, { pageNumber, pageSize: VERSIONS_PAGE_SIZE }),
    );
    for (const version of page.entities ?? []) {
      const summary = versionOf(version);
      if (summary) versions.push(summary);
    }
    const pageCount = page.pageCount ?? Math.ceil((page.total ?? 0) / VERSIONS_PAGE_SIZE);
    if (pageNumber >= pageCount || (page.entities ?? []).length === 0) return versions;
  }
}
