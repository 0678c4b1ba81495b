/**
 * `/api/v2/flows/actions/{checkout,checkin,publish,revert,unlock}?flow=ID`: the lock life cycle
 * (shared/reference/genesys-flow-api.md section 4). Check-in and publish are asynchronous in
 * Genesys (they answer an Operation); the emulator finishes them before answering.
 */
import { randomUUID } from 'node:crypto';
import type { Models } from 'purecloud-platform-client-v2';
import type { App } from './app.js';
import { ApiError, notFound, requireQuery } from './http.js';
import { clientRef, toFlow } from './models.js';
import {
  addVersion,
  assertLockedBy,
  assertNotLockedByOther,
  findVersion,
  getFlow,
  lockedError,
  publish,
  publishedModuleNames,
  releaseLock,
  COMMON_MODULE,
} from './org.js';
import type { RequestContext, Router } from './router.js';
import type { StoredDraft, StoredFlow } from './state-store.js';
import { versionDocument } from './version-content.js';
import { flowKey } from '../identity/index.js';

const EDIT = 'architect:flow:edit';

export function addFlowActionRoutes(router: Router, app: App): void {
  router
    .add('POST', '/api/v2/flows/actions/checkout', EDIT, (ctx) => run(app, ctx, checkout))
    .add('POST', '/api/v2/flows/actions/checkin', EDIT, (ctx) => run(app, ctx, checkin))
    .add('POST', '/api/v2/flows/actions/publish', 'architect:flow:publish', (ctx) => run(app, ctx, publishAction))
    .add('POST', '/api/v2/flows/actions/revert', EDIT, (ctx) => run(app, ctx, revert))
    .add('POST', '/api/v2/flows/actions/unlock', 'architect:flow:unlock', (ctx) => run(app, ctx, unlock));
}

type Action = (app: App, flow: StoredFlow, ctx: RequestContext) => Models.Flow | Models.Operation;

async function run(app: App, ctx: RequestContext, action: Action) {
  const flow = getFlow(app.state, requireQuery(ctx.query, 'flow'));
  const body = action(app, flow, ctx);
  await ctx.commit();
  return { status: 200, body };
}

function operation(ctx: RequestContext, actionName: string): Models.Operation {
  return {
    id: randomUUID(),
    complete: true,
    client: clientRef(ctx.caller.clientId),
    actionName,
    actionStatus: 'SUCCESS',
  };
}

/** A second checkout answers 409, even for the client that holds the lock (INFERRED: see README). */
function checkout(app: App, flow: StoredFlow, ctx: RequestContext): Models.Flow {
  if (flow.lockedBy !== undefined) throw lockedError(flow);
  flow.lockedBy = ctx.caller.clientId;
  flow.lockedAt = app.now();
  return toFlow(flow);
}

/** The saved draft (if any) becomes a new version; the lock is released. */
function checkin(app: App, flow: StoredFlow, ctx: RequestContext): Models.Operation {
  assertLockedBy(flow, ctx.caller.clientId);
  checkInDraft(app, flow);
  releaseLock(flow);
  return operation(ctx, 'CHECKIN');
}

function checkInDraft(app: App, flow: StoredFlow): void {
  if (!flow.draft) return;
  const previous = flow.checkedInVersionId ? findVersion(flow, flow.checkedInVersionId) : undefined;
  addVersion(
    flow,
    {
      type: 'CHECKIN',
      // The saved JSON is the stored flow (what `.../configuration` answered, edited by the client).
      document: draftDocument(flow.draft),
      // A configuration saved through the API is opaque JSON: it keeps the module calls it had.
      calls: previous?.calls ?? [],
      clientId: flow.draft.clientId,
    },
    app.now(),
  );
  delete flow.draft;
}

function draftDocument(draft: StoredDraft): Record<string, unknown> {
  const data = versionDocument(draft);
  return data ?? {};
}

/** Publishes `version` (default: the checked-in version). An unsaved draft must be checked in first. */
function publishAction(app: App, flow: StoredFlow, ctx: RequestContext): Models.Operation {
  assertNotLockedByOther(flow, ctx.caller.clientId);
  const versionId = ctx.query.get('version') || flow.checkedInVersionId;
  if (flow.draft || !versionId) {
    throw new ApiError(
      409,
      'architect.flow.not.checked.in',
      'The flow {flowName} cannot be published: it must be checked in first.',
      {
        flowName: flow.name,
      },
    );
  }
  const version = findVersion(flow, versionId);
  if (!version) throw notFound('flow version', versionId);
  const modules = new Set(publishedModuleNames(app.state).map((n) => flowKey(COMMON_MODULE, n)));
  const missing = version.calls.filter((name) => !modules.has(flowKey(COMMON_MODULE, name)));
  if (missing.length > 0) {
    throw new ApiError(
      409,
      'architect.flow.missing.dependencies',
      'The flow {flowName} cannot be published due to missing dependencies: {dependencies}.',
      { flowName: flow.name, dependencies: missing.join(', ') },
    );
  }
  publish(flow, version, app.now());
  releaseLock(flow);
  return operation(ctx, 'PUBLISH');
}

/** Discards the caller's draft and releases the lock. */
function revert(_app: App, flow: StoredFlow, ctx: RequestContext): Models.Flow {
  assertLockedBy(flow, ctx.caller.clientId);
  delete flow.draft;
  releaseLock(flow);
  return toFlow(flow);
}

/** Breaks anyone's lock; their saved draft is checked in as a new version, as Genesys does. */
function unlock(app: App, flow: StoredFlow): Models.Flow {
  if (flow.lockedBy !== undefined) {
    checkInDraft(app, flow);
    releaseLock(flow);
  }
  return toFlow(flow);
}
