/**
 * Dependency tracking. `consumingresources` of a flow lists what points at it: the flows that call it
 * (a common module), the IVR configurations that route to it (object type `IVRCONFIGURATION`) and the
 * queues whose in-queue flow it is (`QUEUE`), the type names of the SDK docs' list of dependency
 * object types and of the Terraform provider's `dependent_consumers.go`. `consumedresources` of a
 * flow version lists the modules it calls. When the emulator models the org's objects (an objects
 * file), a version also consumes the objects it names (flow-references.ts: `QUEUE`, `DATAACTION`,
 * `USERPROMPT`...), and `consumingresources` of such an object lists the flows naming it.
 */
import type { Models } from 'purecloud-platform-client-v2';
import type { App } from './app.js';
import { badRequest, notFound, queryInt, queryList, requireQuery } from './http.js';
import { dependencyTypeOf, listingLinks, paginate, toDependency } from './models.js';
import { COMMON_MODULE, findByTypeName, findVersion, getFlow, liveFlows } from './org.js';
import { flowReferences } from './flow-references.js';
import { distinctReferences, resolveReference } from './object-check.js';
import type { ObjectKind } from './org-catalog.js';
import { objectsPointingAt } from './org-objects.js';
import { versionDocument } from './version-content.js';
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

/**
 * Dependency object types of the objects a flow names: the reference's list (org-references.md) and
 * the SDK docs'; `SCHEDULE` and `SYSTEMPROMPT` by analogy (a choice). Divisions are not dependencies.
 */
const OBJECT_TYPES: Partial<Record<ObjectKind, string>> = {
  queue: 'QUEUE',
  dataAction: 'DATAACTION',
  dataTable: 'DATATABLE',
  scheduleGroup: 'SCHEDULEGROUP',
  schedule: 'SCHEDULE',
  emergencyGroup: 'EMERGENCYGROUP',
  prompt: 'USERPROMPT',
  systemPrompt: 'SYSTEMPROMPT',
  skill: 'ACDSKILL',
  language: 'ACDLANGUAGE',
  wrapupCode: 'ACDWRAPUPCODE',
};

/** The objects of the org a version names, each once, as dependencies (an unknown one: stateUnknown). */
function objectsNamedBy(app: App, version: StoredVersion): Array<{ kind: ObjectKind; dependency: Models.Dependency }> {
  const document = app.objects ? versionDocument(version) : undefined;
  if (!app.objects || !document) return [];
  const catalog = app.objects;
  return distinctReferences(flowReferences(document)).flatMap((ref) => {
    const type = OBJECT_TYPES[ref.kind];
    if (!type) return [];
    const object = resolveReference(app.state, catalog, ref);
    const dependency: Models.Dependency = object
      ? { ...objectDependency(object, type) }
      : { name: ref.name, type, deleted: false, updated: false, stateUnknown: true };
    return [{ kind: ref.kind, dependency }];
  });
}

function consuming(app: App, ctx: RequestContext): Models.ConsumingResourcesEntityListing {
  const id = requireQuery(ctx.query, 'id');
  const objectType = requireQuery(ctx.query, 'objectType').toUpperCase();
  const filter = (ctx.query.get('flowFilter') ?? 'published').toLowerCase();
  if (filter !== 'published' && filter !== 'checkedin') throw badRequest('flowFilter must be checkedIn or published.');
  if (app.objects && Object.values(OBJECT_TYPES).includes(objectType) && !Object.hasOwn(app.state.flows, id))
    return page(ctx, consumersOfObject(app, id, objectType, filter));
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

/** The flows whose version (published, or checked in) names the object `id` of type `objectType`. */
function consumersOfObject(app: App, id: string, objectType: string, filter: string): Models.Dependency[] {
  const known = objectType === 'QUEUE' ? Object.hasOwn(app.state.queues, id) : app.objects?.get(id) !== undefined;
  if (!known) throw notFound(objectType.toLowerCase(), id);
  return liveFlows(app.state)
    .map((flow) => ({ flow, version: versionFor(flow, filter) }))
    .filter(({ version }) => version && objectsNamedBy(app, version).some((o) => o.dependency.id === id))
    .sort((a, b) => a.flow.name.localeCompare(b.flow.name))
    .map(({ flow, version }) => toDependency(flow, version?.id));
}

function objectDependency(object: { id: string; name: string }, type: string): Models.Dependency {
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
  return page(ctx, [...modules, ...objectsNamedBy(app, version).map((o) => o.dependency)]);
}
