/**
 * Dependency tracking. `consumingresources` of a flow lists what points at it: the flows that call it
 * (a common module), the IVR configurations that route to it (object type `IVRCONFIGURATION`) and the
 * queues whose in-queue flow it is (`QUEUE`), the type names of the SDK docs' list of dependency
 * object types and of the Terraform provider's `dependent_consumers.go`. `consumedresources` of a
 * flow version lists the modules it calls.
 */
import type { Models } from 'purecloud-platform-client-v2';
import type { App } from './app.js';
import { badRequest, queryInt, queryList, requireQuery } from './http.js';
import { dependencyTypeOf, listingLinks, paginate, toDependency } from './models.js';
import { COMMON_MODULE, findByTypeName, findVersion, getFlow, liveFlows } from './org.js';
import { objectsPointingAt } from './org-objects.js';
import type { RequestContext, Router } from './router.js';
import type { StoredFlow, StoredVersion } from './state-store.js';
import { flowKey, keyOf } from '../identity/index.js';

const VIEW = 'architect:dependencyTracking:view';

export function addDependencyRoutes(router: Router, app: App): void {
  router
    .add('GET', '/api/v2/architect/dependencytracking/consumingresources', VIEW, (ctx) => ({
      status: 200,
      body: consuming(app, ctx),
    }))
    .add('GET', '/api/v2/architect/dependencytracking/consumedresources', VIEW, (ctx) => ({
      status: 200,
      body: consumed(app, ctx),
    }));
}

function page(ctx: RequestContext, items: Models.Dependency[]): Models.ConsumingResourcesEntityListing {
  const pageNumber = queryInt(ctx.query, 'pageNumber', 1, 1, 1_000_000);
  const pageSize = queryInt(ctx.query, 'pageSize', 25, 1, 500);
  const types = queryList(ctx.query, 'resourceType').map((t) => t.toUpperCase());
  const filtered = types.length > 0 ? items.filter((d) => types.includes(d.type ?? '')) : items;
  const result = paginate(filtered, pageNumber, pageSize);
  return { ...listingLinks(ctx.path, ctx.query, result), entities: result.entities };
}

/** Which version of a caller counts: `flowFilter=checkedIn` or `published` (default). */
function versionFor(flow: StoredFlow, filter: string): StoredVersion | undefined {
  const id = filter === 'checkedin' ? flow.checkedInVersionId : flow.publishedVersionId;
  return id ? findVersion(flow, id) : undefined;
}

function consuming(app: App, ctx: RequestContext): Models.ConsumingResourcesEntityListing {
  const id = requireQuery(ctx.query, 'id');
  const objectType = requireQuery(ctx.query, 'objectType').toUpperCase();
  const filter = (ctx.query.get('flowFilter') ?? 'published').toLowerCase();
  if (filter !== 'published' && filter !== 'checkedin') throw badRequest('flowFilter must be checkedIn or published.');
  const target = getFlow(app.state, id, true);
  if (dependencyTypeOf(target.type) !== objectType) {
    throw badRequest('The object {id} is not of type {objectType}.', { id, objectType });
  }
  const pointing = objectsPointingAt(app.state, target.id);
  const objects = [
    ...pointing.ivrs.map((i) => objectDependency(i, 'IVRCONFIGURATION')),
    ...pointing.queues.map((q) => objectDependency(q, 'QUEUE')),
  ];
  return page(ctx, [...callersOf(app, target, filter), ...objects]);
}

/** The flows whose version (published, or checked in) calls the module `target`; none for other flows. */
function callersOf(app: App, target: StoredFlow, filter: string): Models.Dependency[] {
  if (target.type !== COMMON_MODULE) return [];
  const wanted = keyOf(target);
  return liveFlows(app.state)
    .map((flow) => ({ flow, version: versionFor(flow, filter) }))
    .filter(({ version }) => version?.calls.some((c) => flowKey(COMMON_MODULE, c) === wanted))
    .sort((a, b) => a.flow.name.localeCompare(b.flow.name))
    .map(({ flow, version }) => toDependency(flow, version?.id));
}

function objectDependency(object: { id: string; name: string }, type: 'IVRCONFIGURATION' | 'QUEUE'): Models.Dependency {
  return {
    id: object.id,
    name: object.name,
    type,
    deleted: false,
    updated: false,
    stateUnknown: false,
    selfUri: `/api/v2/architect/dependencytracking/object?id=${object.id}`,
  };
}

function consumed(app: App, ctx: RequestContext): Models.ConsumedResourcesEntityListing {
  const id = requireQuery(ctx.query, 'id');
  const versionId = requireQuery(ctx.query, 'version');
  const objectType = requireQuery(ctx.query, 'objectType').toUpperCase();
  const flow = getFlow(app.state, id, true);
  if (dependencyTypeOf(flow.type) !== objectType) {
    throw badRequest('The object {id} is not of type {objectType}.', { id, objectType });
  }
  const version = findVersion(flow, versionId);
  if (!version) throw badRequest('The flow {id} has no version {version}.', { id, version: versionId });
  const modules = version.calls.map((name) => {
    const module = findByTypeName(app.state, COMMON_MODULE, name);
    if (module) return toDependency(module, module.publishedVersionId);
    const unknown: Models.Dependency = {
      name,
      type: 'COMMONMODULEFLOW',
      deleted: false,
      updated: false,
      stateUnknown: true,
    };
    return unknown;
  });
  return page(ctx, modules);
}
