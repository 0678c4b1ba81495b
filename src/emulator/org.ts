/**
 * The org's flows and the rules Architect enforces on them: names unique per type, locks,
 * versions "1.0", "2.0", ..., modules that are in use cannot be deleted. Synchronous functions over
 * the state, shared by the HTTP routes, the Architect jobs and the seeding.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ApiError, notFound } from './http.js';
import type { EmulatorState, StoredFlow, StoredVersion, VersionType } from './state-store.js';
import { trackNewVersion } from './version-content.js';
import { flowKey, keyOf } from '../identity/index.js';

/** The API's flow types (the SDK CLI's list of valid `type` values, plus the reference's extras). */
export const FLOW_TYPES: readonly string[] = [
  'bot',
  'commonmodule',
  'digitalbot',
  'emailsend',
  'inboundcall',
  'inboundchat',
  'inboundemail',
  'inboundshortmessage',
  'inqueuecall',
  'inqueueemail',
  'inqueueshortmessage',
  'outboundcall',
  'securecall',
  'speech',
  'surveyinvite',
  'voice',
  'voicemail',
  'voicesurvey',
  'workflow',
  'workitem',
];
export const COMMON_MODULE = 'commonmodule';
export const HOME_DIVISION = 'Home';

/** Divisions are not modelled: a division's id is derived from its name, so it is stable. */
export function divisionIdFor(name: string): string {
  const hex = createHash('sha1').update(`division:${name.toLowerCase()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The division a request body names: by name, else by id (Home's, or one a flow or object of the org
 * is in; an unknown id is a 404). Absent: Home.
 */
export function divisionNameOf(state: EmulatorState, division: { id?: string; name?: string } | undefined): string {
  if (division?.name) return division.name;
  if (!division?.id || division.id === divisionIdFor(HOME_DIVISION)) return HOME_DIVISION;
  const holders = [...Object.values(state.flows), ...Object.values(state.ivrs), ...Object.values(state.queues)];
  const known = holders.find((f) => f.divisionId === division.id);
  if (!known) throw notFound('division', division.id);
  return known.divisionName;
}

export function liveFlows(state: EmulatorState): StoredFlow[] {
  return Object.values(state.flows).filter((f) => !f.deleted);
}

/** Each flow's key, worked out again only when its type or name changed (a rename). */
const flowKeys = new WeakMap<StoredFlow, { type: string; name: string; key: string }>();

function keyOfStored(flow: StoredFlow): string {
  const known = flowKeys.get(flow);
  if (known && known.type === flow.type && known.name === flow.name) return known.key;
  const key = keyOf(flow);
  flowKeys.set(flow, { type: flow.type, name: flow.name, key });
  return key;
}

/**
 * Flow names are unique per type, compared case-insensitively (the one flow key, identity/flow-key.ts).
 * Asked several times at each job's end, of every flow of the org: each flow's key is kept.
 */
export function findByTypeName(state: EmulatorState, type: string, name: string): StoredFlow | undefined {
  const wanted = flowKey(type, name);
  for (const flow of Object.values(state.flows)) if (!flow.deleted && keyOfStored(flow) === wanted) return flow;
  return undefined;
}

/** The flow with this id; 404 if unknown, 410 if deleted (unless `allowDeleted`). */
export function getFlow(state: EmulatorState, id: string, allowDeleted = false): StoredFlow {
  const flow = Object.hasOwn(state.flows, id) ? state.flows[id] : undefined;
  if (!flow) throw notFound('flow', id);
  if (flow.deleted && !allowDeleted) {
    throw new ApiError(410, 'architect.flow.deleted', 'The flow {id} has been deleted.', { id });
  }
  return flow;
}

export interface NewFlow {
  name: string;
  type: string;
  description?: string;
  divisionName?: string;
}

export function createFlow(state: EmulatorState, input: NewFlow, now: number): StoredFlow {
  const type = input.type.toLowerCase();
  if (!FLOW_TYPES.includes(type)) {
    throw new ApiError(400, 'bad.request', 'The flow type {type} is not valid.', { type: input.type });
  }
  const existing = findByTypeName(state, type, input.name);
  if (existing) {
    throw new ApiError(
      409,
      'architect.flow.name.already.exists',
      'A flow of type {type} named {name} already exists.',
      {
        type,
        name: existing.name,
      },
    );
  }
  const divisionName = input.divisionName || HOME_DIVISION;
  const flow: StoredFlow = {
    id: randomUUID(),
    name: input.name,
    type,
    divisionId: divisionIdFor(divisionName),
    divisionName,
    active: false,
    deleted: false,
    versions: [],
    createdAt: now,
  };
  if (input.description !== undefined) flow.description = input.description;
  state.flows[flow.id] = flow;
  return flow;
}

export function findVersion(flow: StoredFlow, versionId: string): StoredVersion | undefined {
  return flow.versions.find((v) => v.id === versionId);
}

export function publishedVersion(flow: StoredFlow): StoredVersion | undefined {
  return flow.publishedVersionId ? findVersion(flow, flow.publishedVersionId) : undefined;
}

export interface NewVersion {
  type: VersionType;
  /** The flow as data: Architect keeps it so, and writes every export from it. */
  document: Record<string, unknown>;
  calls: string[];
  clientId: string;
}

/**
 * Appends version "N.0" (one more than the highest so far), with its own copy of the document and
 * its tracking numbers, and makes it the checked-in version.
 */
export function addVersion(flow: StoredFlow, input: NewVersion, now: number): StoredVersion {
  const highest = flow.versions.reduce((max, v) => Math.max(max, Number.parseInt(v.id, 10) || 0), 0);
  // A JSON copy: the state file holds exactly what later reads of the version see.
  const document = JSON.parse(JSON.stringify(input.document)) as Record<string, unknown>;
  const tracking = trackNewVersion(flow, document);
  const version: StoredVersion = { id: `${highest + 1}.0`, createdAt: now, ...input, document, tracking };
  flow.versions.push(version);
  flow.checkedInVersionId = version.id;
  return version;
}

export function publish(flow: StoredFlow, version: StoredVersion, now: number): void {
  version.type = 'PUBLISH';
  version.publishedAt = now;
  flow.publishedVersionId = version.id;
  flow.active = true;
}

export function releaseLock(flow: StoredFlow): void {
  delete flow.lockedBy;
  delete flow.lockedAt;
}

/** 409 unless the flow is unlocked or locked by `clientId`. */
export function assertNotLockedByOther(flow: StoredFlow, clientId: string): void {
  if (flow.lockedBy !== undefined && flow.lockedBy !== clientId) throw lockedError(flow);
}

export function lockedError(flow: StoredFlow): ApiError {
  return new ApiError(
    409,
    'architect.flow.locked.by.user',
    'The flow {flowName} is locked by another entity: client {holder}.',
    { flowName: flow.name, flowId: flow.id, holder: flow.lockedBy ?? '' },
  );
}

/** 409 unless `clientId` holds the lock ("flow not locked by requesting user"). */
export function assertLockedBy(flow: StoredFlow, clientId: string): void {
  if (flow.lockedBy === clientId) return;
  if (flow.lockedBy !== undefined) throw lockedError(flow);
  throw new ApiError(
    409,
    'architect.flow.not.locked.by.requesting.user',
    'The flow {flowName} is not locked by the requesting user.',
    { flowName: flow.name, flowId: flow.id },
  );
}

/** Names of the published common modules: what a flow may call. */
export function publishedModuleNames(state: EmulatorState): string[] {
  return liveFlows(state)
    .filter((f) => f.type === COMMON_MODULE && f.publishedVersionId)
    .map((f) => f.name);
}

/** Names of the published flows of the org other than modules: the bots and transfer targets a flow may name. */
export function publishedFlowNames(state: EmulatorState): string[] {
  return liveFlows(state)
    .filter((f) => f.type !== COMMON_MODULE && f.publishedVersionId)
    .map((f) => f.name);
}

/** Live flows whose published version calls the module `moduleName`. */
export function callersOf(state: EmulatorState, moduleName: string): StoredFlow[] {
  const wanted = flowKey(COMMON_MODULE, moduleName);
  return liveFlows(state).filter((f) => publishedVersion(f)?.calls.some((c) => flowKey(COMMON_MODULE, c) === wanted));
}

/** Soft delete; a common module that published flows call cannot be deleted. */
export function deleteFlow(state: EmulatorState, flow: StoredFlow, clientId: string, now: number): void {
  assertNotLockedByOther(flow, clientId);
  if (flow.type === COMMON_MODULE) {
    const callers = callersOf(state, flow.name).filter((f) => f.id !== flow.id);
    if (callers.length > 0) {
      throw new ApiError(
        409,
        'architect.flow.in.use',
        'The flow {flowName} cannot be deleted: it is used by one or more flows ({callers}).',
        { flowName: flow.name, callers: callers.map((c) => c.name).join(', ') },
      );
    }
  }
  flow.deleted = true;
  flow.deletedAt = now;
  flow.active = false;
  releaseLock(flow);
}
