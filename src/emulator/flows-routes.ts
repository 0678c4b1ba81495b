/** `/api/v2/flows`: list, lookup, create, read, update, delete, versions and their configuration. */
import type { Models } from 'purecloud-platform-client-v2';
import type { App } from './app.js';
import {
  ApiError,
  badRequest,
  matcher,
  notFound,
  parseJson,
  queryBool,
  queryInt,
  queryList,
  requireQuery,
} from './http.js';
import { draftVersion, listingLinks, paginate, toFlow, toFlowVersion } from './models.js';
import {
  assertLockedBy,
  assertNotLockedByOther,
  createFlow,
  deleteFlow,
  divisionIdFor,
  divisionNameOf,
  findByTypeName,
  findVersion,
  getFlow,
} from './org.js';
import type { RequestContext, Router } from './router.js';
import type { StoredFlow } from './state-store.js';
import { versionConfiguration } from './version-content.js';

const VIEW = 'architect:flow:view';
const MAX_PAGE_SIZE = 500;

export function addFlowRoutes(router: Router, app: App): void {
  router
    .add('GET', '/api/v2/flows', VIEW, (ctx) => ({ status: 200, body: listFlows(app, ctx) }))
    .add('GET', '/api/v2/flows/lookup', VIEW, (ctx) => ({ status: 200, body: lookupFlows(app, ctx) }))
    .add('POST', '/api/v2/flows', 'architect:flow:add', (ctx) => postFlow(app, ctx))
    .add('GET', '/api/v2/flows/:flowId', VIEW, (ctx) => ({
      status: 200,
      body: toFlow(getFlow(app.state, ctx.params.flowId ?? '', queryBool(ctx.query, 'deleted'))),
    }))
    .add('PUT', '/api/v2/flows/:flowId', 'architect:flow:edit', (ctx) => putFlow(app, ctx))
    .add('DELETE', '/api/v2/flows/:flowId', 'architect:flow:delete', async (ctx) => {
      deleteFlow(app.state, getFlow(app.state, ctx.params.flowId ?? ''), ctx.caller.clientId, app.now());
      await ctx.commit();
      return { status: 204 };
    })
    .add('GET', '/api/v2/flows/:flowId/versions', VIEW, (ctx) => ({ status: 200, body: listVersions(app, ctx) }))
    .add('POST', '/api/v2/flows/:flowId/versions', 'architect:flow:edit', (ctx) => saveDraft(app, ctx))
    .add('GET', '/api/v2/flows/:flowId/versions/:versionId', VIEW, (ctx) => {
      const flow = getFlow(app.state, ctx.params.flowId ?? '');
      const version = findVersion(flow, ctx.params.versionId ?? '');
      if (!version) throw notFound('flow version', ctx.params.versionId ?? '');
      return { status: 200, body: toFlowVersion(flow, version) };
    })
    .add('GET', '/api/v2/flows/:flowId/versions/:versionId/configuration', VIEW, (ctx) => {
      const flow = getFlow(app.state, ctx.params.flowId ?? '');
      const version = findVersion(flow, ctx.params.versionId ?? '');
      if (!version) throw notFound('flow version', ctx.params.versionId ?? '');
      return { status: 200, body: versionConfiguration(version) };
    })
    .add('GET', '/api/v2/flows/:flowId/latestconfiguration', VIEW, (ctx) => {
      const flow = getFlow(app.state, ctx.params.flowId ?? '');
      const latest = flow.draft ?? flow.versions.at(-1);
      if (!latest) throw notFound('flow configuration', flow.id);
      return { status: 200, body: versionConfiguration(latest) };
    });
}

function filterFlows(app: App, query: URLSearchParams): StoredFlow[] {
  const types = queryList(query, 'type').map((t) => t.toLowerCase());
  const ids = queryList(query, 'id');
  const divisions = queryList(query, 'divisionId');
  const includeDeleted = queryBool(query, 'deleted');
  const checks: ((f: StoredFlow) => boolean)[] = [(f) => includeDeleted || !f.deleted];
  if (types.length > 0) checks.push((f) => types.includes(f.type));
  if (ids.length > 0) {
    const wanted = new Set(ids);
    checks.push((f) => wanted.has(f.id));
  }
  if (divisions.length > 0) checks.push((f) => divisions.includes(f.divisionId));
  const name = query.get('name');
  if (name) checks.push((f) => matcher(name)(f.name));
  const description = query.get('description');
  if (description) checks.push((f) => matcher(description)(f.description));
  const either = query.get('nameOrDescription');
  if (either) checks.push((f) => matcher(either)(f.name) || matcher(either)(f.description));
  const lockedClient = query.get('lockedByClientId');
  if (lockedClient) checks.push((f) => f.lockedBy === lockedClient);
  const publishVersionId = query.get('publishVersionId');
  if (publishVersionId) checks.push((f) => f.publishedVersionId === publishVersionId);
  const after = dateParam(query, 'publishedAfter');
  const before = dateParam(query, 'publishedBefore');
  if (after !== undefined || before !== undefined) {
    checks.push((f) => {
      const at = f.publishedVersionId ? findVersion(f, f.publishedVersionId)?.publishedAt : undefined;
      return at !== undefined && (after === undefined || at > after) && (before === undefined || at < before);
    });
  }
  return Object.values(app.state.flows).filter((f) => checks.every((check) => check(f)));
}

function dateParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (!raw) return undefined;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) throw badRequest('The value {value} of {name} is not a date.', { name, value: raw });
  return at;
}

const SORT_KEYS: Record<string, (f: StoredFlow) => string> = {
  id: (f) => f.id,
  name: (f) => f.name.toLowerCase(),
  type: (f) => f.type,
  description: (f) => (f.description ?? '').toLowerCase(),
};

function sortFlows(flows: StoredFlow[], query: URLSearchParams): StoredFlow[] {
  const by = query.get('sortBy') || 'id';
  const key = SORT_KEYS[by];
  if (!key) throw badRequest('The value {value} of sortBy is not supported.', { value: by });
  const order = (query.get('sortOrder') || 'asc').toLowerCase();
  if (order !== 'asc' && order !== 'desc') throw badRequest('sortOrder must be asc or desc.');
  const sign = order === 'asc' ? 1 : -1;
  return flows.sort((a, b) => sign * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1));
}

function listFlows(app: App, ctx: RequestContext): Models.FlowEntityListing {
  const pageNumber = queryInt(ctx.query, 'pageNumber', 1, 1, 1_000_000);
  const pageSize = queryInt(ctx.query, 'pageSize', 25, 1, MAX_PAGE_SIZE);
  const flows = sortFlows(filterFlows(app, ctx.query), ctx.query);
  const page = paginate(flows, pageNumber, pageSize);
  return { ...listingLinks(ctx.path, ctx.query, page), entities: page.entities.map(toFlow) };
}

function lookupFlows(app: App, ctx: RequestContext): Models.FlowEntityListing {
  requireQuery(ctx.query, 'id');
  return listFlows(app, ctx);
}

async function postFlow(app: App, ctx: RequestContext) {
  const body = parseJson<Models.Flow>(await ctx.body());
  if (typeof body.name !== 'string' || body.name.trim() === '') throw badRequest('The flow name is required.');
  if (typeof body.type !== 'string' || body.type === '') throw badRequest('The flow type is required.');
  const input = { name: body.name, type: body.type, divisionName: divisionNameOf(app.state, body.division) };
  const flow = createFlow(
    app.state,
    body.description === undefined ? input : { ...input, description: body.description },
    app.now(),
  );
  // Architect opens a new flow checked out to its creator (INFERRED: see README).
  flow.lockedBy = ctx.caller.clientId;
  flow.lockedAt = app.now();
  await ctx.commit();
  return { status: 200, body: toFlow(flow) };
}

async function putFlow(app: App, ctx: RequestContext) {
  const body = parseJson<Models.Flow>(await ctx.body());
  const flow = getFlow(app.state, ctx.params.flowId ?? '');
  assertNotLockedByOther(flow, ctx.caller.clientId);
  if (body.type && body.type.toLowerCase() !== flow.type) throw badRequest('The type of a flow cannot change.');
  if (typeof body.name === 'string' && body.name.trim() !== '' && body.name !== flow.name) {
    const other = findByTypeName(app.state, flow.type, body.name);
    if (other && other.id !== flow.id) {
      throw new ApiError(
        409,
        'architect.flow.name.already.exists',
        'A flow of type {type} named {name} already exists.',
        {
          type: flow.type,
          name: body.name,
        },
      );
    }
    flow.name = body.name;
  }
  if (body.description !== undefined) flow.description = body.description;
  if (body.division) {
    flow.divisionName = divisionNameOf(app.state, body.division);
    flow.divisionId = divisionIdFor(flow.divisionName);
  }
  await ctx.commit();
  return { status: 200, body: toFlow(flow) };
}

function listVersions(app: App, ctx: RequestContext): Models.FlowVersionEntityListing {
  const flow = getFlow(app.state, ctx.params.flowId ?? '');
  const pageNumber = queryInt(ctx.query, 'pageNumber', 1, 1, 1_000_000);
  const pageSize = queryInt(ctx.query, 'pageSize', 25, 1, MAX_PAGE_SIZE);
  const page = paginate(flow.versions, pageNumber, pageSize);
  return { ...listingLinks(ctx.path, ctx.query, page), entities: page.entities.map((v) => toFlowVersion(flow, v)) };
}

/** Saving needs the lock: "flow not locked by requesting user" is a 409. */
async function saveDraft(app: App, ctx: RequestContext) {
  const body = parseJson<unknown>(await ctx.body());
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('The flow configuration must be a JSON object.');
  const flow = getFlow(app.state, ctx.params.flowId ?? '');
  assertLockedBy(flow, ctx.caller.clientId);
  flow.draft = {
    content: JSON.stringify(body),
    contentType: 'json',
    clientId: ctx.caller.clientId,
    savedAt: app.now(),
  };
  await ctx.commit();
  return { status: 200, body: draftVersion(flow) };
}
