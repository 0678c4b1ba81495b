/**
 * `/api/v2/routing/queues`: the little of RoutingApi that flows need, so that tests can make queues
 * whose in-queue flows point at flows (getRoutingQueues, postRoutingQueues, getRoutingQueue,
 * deleteRoutingQueue; `Models.CreateQueueRequest` in, `Models.Queue` out). Only the name, the
 * description, the division and the three in-queue flows are kept; other fields of the request are
 * accepted and dropped. Permissions: `routing:queue:view`, `:add`, `:delete`.
 */
import type { Models } from 'purecloud-platform-client-v2';
import type { App } from './app.js';
import { ApiError, badRequest, parseJson, queryInt, queryList } from './http.js';
import { listingLinks, paginate } from './models.js';
import { nameMatcher } from './objects-routes.js';
import { divisionNameOf } from './org.js';
import {
  createQueue,
  deleteQueue,
  getQueue,
  QUEUE_FLOW_SLOTS,
  type QueueFlowSlot,
  type QueueInput,
} from './org-objects.js';
import type { RequestContext, Router } from './router.js';
import type { EmulatorState, StoredQueue } from './state-store.js';

const QUEUES = '/api/v2/routing/queues';
const MAX_PAGE_SIZE = 500;

export function addQueueRoutes(router: Router, app: App): void {
  router
    .add('GET', QUEUES, 'routing:queue:view', (ctx) => {
      // Without an objects file the org models no objects, and its object listings answer 404, this
      // one too (issue 15): a plan then says references were not checked rather than finding every
      // queue missing. Queues made through the API are still read, changed and deleted by id.
      if (!app.objects)
        throw new ApiError(404, 'not.found', 'No resource at {method} {path}.', { method: 'GET', path: QUEUES });
      return { status: 200, body: listQueues(app, ctx) };
    })
    .add('POST', QUEUES, 'routing:queue:add', async (ctx) => {
      const queue = createQueue(
        app.state,
        queueInput(app.state, parseJson<Models.CreateQueueRequest>(await ctx.body())),
        ctx.caller.clientId,
        app.now(),
      );
      await ctx.commit();
      return { status: 200, body: toQueue(app.state, queue) };
    })
    .add('GET', `${QUEUES}/:queueId`, 'routing:queue:view', (ctx) => ({
      status: 200,
      body: toQueue(app.state, getQueue(app.state, ctx.params.queueId ?? '')),
    }))
    .add('DELETE', `${QUEUES}/:queueId`, 'routing:queue:delete', async (ctx) => {
      deleteQueue(app.state, getQueue(app.state, ctx.params.queueId ?? ''));
      await ctx.commit();
      return { status: 204 };
    });
}

function queueInput(state: EmulatorState, body: Models.CreateQueueRequest): QueueInput {
  if (body === null || typeof body !== 'object' || typeof body.name !== 'string')
    throw badRequest('The queue name is required.');
  const input: QueueInput = { name: body.name, flows: {}, divisionName: divisionNameOf(state, body.division) };
  for (const [slot, { field }] of Object.entries(QUEUE_FLOW_SLOTS) as Array<
    [QueueFlowSlot, { field: keyof Models.CreateQueueRequest }]
  >) {
    const ref = body[field] as Models.DomainEntityRef | undefined | null;
    if (ref === undefined || ref === null) continue;
    if (typeof ref !== 'object' || typeof ref.id !== 'string' || ref.id === '')
      throw badRequest('{field} must name a flow by its id.', { field });
    input.flows[slot] = ref.id;
  }
  if (typeof body.description === 'string') input.description = body.description;
  return input;
}

function toQueue(state: EmulatorState, queue: StoredQueue): Models.Queue {
  const model: Models.Queue = {
    id: queue.id,
    name: queue.name,
    division: {
      id: queue.divisionId,
      name: queue.divisionName,
      selfUri: `/api/v2/authorization/divisions/${queue.divisionId}`,
    },
    dateCreated: new Date(queue.createdAt).toISOString(),
    createdBy: queue.createdBy,
    selfUri: `${QUEUES}/${queue.id}`,
  };
  if (queue.description !== undefined) model.description = queue.description;
  for (const [slot, { field }] of Object.entries(QUEUE_FLOW_SLOTS) as Array<
    [QueueFlowSlot, { field: 'queueFlow' | 'emailInQueueFlow' | 'messageInQueueFlow' }]
  >) {
    const id = queue[slot];
    if (id === undefined) continue;
    const flow = Object.hasOwn(state.flows, id) ? state.flows[id] : undefined;
    model[field] = { id, ...(flow ? { name: flow.name } : {}), selfUri: `/api/v2/flows/${id}` };
  }
  return model;
}

/**
 * Sorted by name (`sortOrder`); filters `id` (a list), `divisionId` (a list) and `name`: exact
 * regardless of case, or a pattern with `*` (the SDK: "leading and trailing asterisks allowed").
 */
function listQueues(app: App, ctx: RequestContext): Models.QueueEntityListing {
  const pageNumber = queryInt(ctx.query, 'pageNumber', 1, 1, 1_000_000);
  const pageSize = queryInt(ctx.query, 'pageSize', 25, 1, MAX_PAGE_SIZE);
  const order = (ctx.query.get('sortOrder') || 'asc').toLowerCase();
  if (order !== 'asc' && order !== 'desc') throw badRequest('sortOrder must be asc or desc.');
  const name = ctx.query.get('name');
  const nameMatches = name ? nameMatcher('exactOrPattern', name) : () => true;
  const ids = queryList(ctx.query, 'id');
  const divisions = queryList(ctx.query, 'divisionId');
  const sign = order === 'asc' ? 1 : -1;
  const queues = Object.values(app.state.queues)
    .filter(
      (q) =>
        nameMatches(q.name) &&
        (ids.length === 0 || ids.includes(q.id)) &&
        (divisions.length === 0 || divisions.includes(q.divisionId)),
    )
    .sort((a, b) => sign * a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || (a.id < b.id ? -1 : 1));
  const page = paginate(queues, pageNumber, pageSize);
  return { ...listingLinks(ctx.path, ctx.query, page), entities: page.entities.map((q) => toQueue(app.state, q)) };
}
