/**
 * What points at a flow, from Genesys' dependency tracking:
 * `GET /api/v2/architect/dependencytracking/consumingresources?id=&objectType=` (SDK
 * `getArchitectDependencytrackingConsumingresources`), every page. Prune asks it before deleting a
 * flow: phone numbers reach inbound flows through IVR configurations, and queues reach their
 * in-queue flows, by flow id (shared/reference/org-references.md), so deleting such a flow breaks them.
 *
 * Facts:
 * - A flow's object type is its type in capitals followed by FLOW (`INBOUNDCALLFLOW`,
 *   `COMMONMODULEFLOW`, `BOTFLOW`), except `WORKFLOW` (the Terraform provider's flow-type map in
 *   `genesyscloud/dependent_consumers/dependent_consumers.go`).
 * - Consumers carry the dependency types of the SDK docs' list and of that file: `IVRCONFIGURATION`,
 *   `QUEUE`, `EMAILROUTE`, `COMPOSERSCRIPT`, the flow types (`...FLOW`, `WORKFLOW`), `BOTFLOW` and
 *   `DIGITALBOTFLOW` for bots.
 * - The default `flowFilter` (published versions) is kept: a published flow is what runs.
 */
import type { Models } from 'purecloud-platform-client-v2';
import type { ApiSession } from './api-session.js';
import type { FlowConsumer, GenesysStats } from './types.js';

/** Consumers a page holds (a choice: most flows have none, a module a few dozen callers). */
const PAGE_SIZE = 100;
/** A runaway listing stops here rather than paging forever. */
const MAX_PAGES = 50;

/** The dependency-tracking object type of a flow of this API type (`inboundcall`). Pure. */
export function dependencyTypeOfFlow(flowType: string): string {
  const upper = flowType.toUpperCase();
  return upper === 'WORKFLOW' ? upper : `${upper}FLOW`;
}

const PEOPLE_NAMES: Record<string, string> = {
  IVRCONFIGURATION: 'IVR',
  QUEUE: 'queue',
  BOTFLOW: 'bot',
  DIGITALBOTFLOW: 'bot',
  EMAILROUTE: 'email route',
  COMPOSERSCRIPT: 'script',
  WORKFLOW: 'flow',
};

/** A dependency type as people say it: `IVR`, `queue`, `flow`, `bot`, ... Pure. */
export function consumerTypeName(dependencyType: string | undefined): string {
  const type = (dependencyType ?? '').toUpperCase();
  return PEOPLE_NAMES[type] ?? (type.endsWith('FLOW') ? 'flow' : type.toLowerCase() || 'object');
}

/** Everything that consumes the flow `id` of type `flowType` (lowercase API type), in the API's order. */
export async function listFlowConsumers(
  session: ApiSession,
  stats: GenesysStats,
  id: string,
  flowType: string,
): Promise<FlowConsumer[]> {
  const objectType = dependencyTypeOfFlow(flowType);
  const consumers: FlowConsumer[] = [];
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber++) {
    stats.consumerChecks += 1;
    const page: Models.ConsumingResourcesEntityListing = await session.call(`ask what uses flow ${id}`, (api) =>
      api.getArchitectDependencytrackingConsumingresources(id, objectType, { pageNumber, pageSize: PAGE_SIZE }),
    );
    for (const dependency of page.entities ?? []) {
      if (dependency.id === id) continue; // never the flow itself
      consumers.push({
        type: consumerTypeName(dependency.type),
        name: dependency.name ?? dependency.id ?? '?',
        id: dependency.id ?? '',
      });
    }
    const pageCount = page.pageCount ?? Math.ceil((page.total ?? 0) / PAGE_SIZE);
    if (pageNumber >= pageCount || (page.entities ?? []).length === 0) return consumers;
  }
  return consumers;
}
