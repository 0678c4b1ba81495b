/**
 * `/api/v2/architect/ivrs`: IVR configurations, as the SDK's ArchitectApi calls them (getArchitectIvrs,
 * postArchitectIvrs, getArchitectIvr, putArchitectIvr, deleteArchitectIvr) with `Models.IVR` bodies.
 * Permissions: `routing:callRoute:view` and `:edit` (the SDK docs); `:add` and `:delete` by analogy.
 */
import type { Models } from 'purecloud-platform-client-v2';
import type { App } from './app.js';
import { badRequest, matcher, parseJson, queryInt } from './http.js';
import { listingLinks, paginate } from './models.js';
import { divisionNameOf } from './org.js';
import {
  createIvr,
  deleteIvr,
  getIvr,
  IVR_FLOW_SLOTS,
  type IvrFlowSlot,
  type IvrInput,
  updateIvr,
} from './org-objects.js';
import type { RequestContext, Router } from './router.js';
import type { EmulatorState, StoredIvr } from './state-store.js';

const IVRS = '/api/v2/architect/ivrs';
const MAX_PAGE_SIZE = 500;

export function addIvrRoutes(router: Router, app: App): void {
  router
    .add('GET', IVRS, 'routing:callRoute:view', (ctx) => ({ status: 200, body: listIvrs(app, ctx) }))
    .add('POST', IVRS, 'routing:callRoute:add', async (ctx) => {
      const ivr = createIvr(app.state, ivrInput(app.state, await bodyOf(ctx)), ctx.caller.clientId, app.now());
      await ctx.commit();
      return { status: 200, body: toIvr(app.state, ivr) };
    })
    .add('GET', `${IVRS}/:ivrId`, 'routing:callRoute:view', (ctx) => ({
      status: 200,
      body: toIvr(app.state, getIvr(app.state, ctx.params.ivrId ?? '')),
    }))
    .add('PUT', `${IVRS}/:ivrId`, 'routing:callRoute:edit', async (ctx) => {
      const body = await bodyOf(ctx);
      const ivr = getIvr(app.state, ctx.params.ivrId ?? '');
      if (body.version !== undefined && typeof body.version !== 'number') throw badRequest('version must be a number.');
      updateIvr(app.state, ivr, ivrInput(app.state, body), body.version, ctx.caller.clientId, app.now());
      await ctx.commit();
      return { status: 200, body: toIvr(app.state, ivr) };
    })
    .add('DELETE', `${IVRS}/:ivrId`, 'routing:callRoute:delete', async (ctx) => {
      deleteIvr(app.state, getIvr(app.state, ctx.params.ivrId ?? ''));
      await ctx.commit();
      return { status: 204 };
    });
}

async function bodyOf(ctx: RequestContext): Promise<Models.IVR> {
  const body = parseJson<Models.IVR>(await ctx.body());
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('The IVR must be a JSON object.');
  return body;
}

/** A reference to another object: by id (Genesys' DomainEntityRef); a name alone is not enough. */
function refId(ref: Models.DomainEntityRef | undefined | null, field: string): string | undefined {
  if (ref === undefined || ref === null) return undefined;
  if (typeof ref !== 'object' || typeof ref.id !== 'string' || ref.id === '')
    throw badRequest('{field} must name an object by its id.', { field });
  return ref.id;
}

function ivrInput(state: EmulatorState, body: Models.IVR): IvrInput {
  if (typeof body.name !== 'string') throw badRequest('The IVR name is required.');
  const dnis = body.dnis ?? [];
  if (!Array.isArray(dnis) || dnis.some((n) => typeof n !== 'string'))
    throw badRequest('dnis must be a list of phone numbers.');
  const input: IvrInput = { name: body.name, dnis, flows: {}, divisionName: divisionNameOf(state, body.division) };
  for (const [slot, field] of Object.entries(IVR_FLOW_SLOTS) as Array<[IvrFlowSlot, keyof Models.IVR]>) {
    const id = refId(body[field] as Models.DomainEntityRef | undefined, field);
    if (id !== undefined) input.flows[slot] = id;
  }
  const scheduleGroupId = refId(body.scheduleGroup, 'scheduleGroup');
  if (scheduleGroupId !== undefined) input.scheduleGroupId = scheduleGroupId;
  if (typeof body.description === 'string') input.description = body.description;
  return input;
}

function flowRef(state: EmulatorState, id: string): Models.DomainEntityRef {
  // A flow deleted since keeps its id here (Genesys points by id): the name is the one it had.
  const flow = Object.hasOwn(state.flows, id) ? state.flows[id] : undefined;
  return { id, ...(flow ? { name: flow.name } : {}), selfUri: `/api/v2/flows/${id}` };
}

function toIvr(state: EmulatorState, ivr: StoredIvr): Models.IVR {
  const model: Models.IVR = {
    id: ivr.id,
    name: ivr.name,
    division: {
      id: ivr.divisionId,
      name: ivr.divisionName,
      selfUri: `/api/v2/authorization/divisions/${ivr.divisionId}`,
    },
    version: ivr.version,
    dateCreated: new Date(ivr.createdAt).toISOString(),
    dateModified: new Date(ivr.modifiedAt).toISOString(),
    createdBy: ivr.createdBy,
    modifiedBy: ivr.modifiedBy,
    state: 'active',
    dnis: [...ivr.dnis],
    selfUri: `${IVRS}/${ivr.id}`,
  };
  if (ivr.description !== undefined) model.description = ivr.description;
  for (const [slot, field] of Object.entries(IVR_FLOW_SLOTS) as Array<
    [IvrFlowSlot, 'openHoursFlow' | 'closedHoursFlow' | 'holidayHoursFlow']
  >) {
    const id = ivr[slot];
    if (id !== undefined) model[field] = flowRef(state, id);
  }
  if (ivr.scheduleGroupId !== undefined)
    model.scheduleGroup = {
      id: ivr.scheduleGroupId,
      selfUri: `/api/v2/architect/schedulegroups/${ivr.scheduleGroupId}`,
    };
  return model;
}

const SORT_KEYS: Record<string, (i: StoredIvr) => string> = { name: (i) => i.name.toLowerCase(), id: (i) => i.id };

/** Filters `name` (not exact, as the flows' one), `dnis` (one of its numbers), `scheduleGroup` (id); sorted by name. */
function listIvrs(app: App, ctx: RequestContext): Models.IVREntityListing {
  const pageNumber = queryInt(ctx.query, 'pageNumber', 1, 1, 1_000_000);
  const pageSize = queryInt(ctx.query, 'pageSize', 25, 1, MAX_PAGE_SIZE);
  const by = ctx.query.get('sortBy') || 'name';
  const key = SORT_KEYS[by];
  if (!key) throw badRequest('The value {value} of sortBy is not supported.', { value: by });
  const order = (ctx.query.get('sortOrder') || 'asc').toLowerCase();
  if (order !== 'asc' && order !== 'desc') throw badRequest('sortOrder must be ASC or DESC.');
  const name = ctx.query.get('name');
  const dnis = ctx.query.get('dnis');
  const scheduleGroup = ctx.query.get('scheduleGroup');
  const sign = order === 'asc' ? 1 : -1;
  const nameMatches = name ? matcher(name) : () => true;
  const ivrs = Object.values(app.state.ivrs)
    .filter((i) => nameMatches(i.name))
    .filter((i) => !dnis || i.dnis.includes(dnis))
    .filter((i) => !scheduleGroup || i.scheduleGroupId === scheduleGroup)
    .sort((a, b) => sign * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1));
  const page = paginate(ivrs, pageNumber, pageSize);
  return { ...listingLinks(ctx.path, ctx.query, page), entities: page.entities.map((i) => toIvr(app.state, i)) };
}
