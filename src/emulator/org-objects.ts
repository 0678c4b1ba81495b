/**
 * The org's objects that point at flows by id (shared/reference/org-references.md, "What points at a
 * flow"): IVR configurations (call routing: phone numbers to inbound call flows) and queues (their
 * in-queue flows). Synchronous rules over the state, shared by the HTTP routes and dependency
 * tracking. One store of org objects: a queue here is the queue a flow names (`targetQueue`) too.
 *
 * Choices (no source says what Genesys checks; see README.md): a flow reference must name a flow of
 * the org that is not deleted and is of the slot's type (an IVR's three flows are inbound call flows,
 * a queue's are in-queue flows of its medium), else 400; it need not be published. Names are unique
 * per kind regardless of case (409). A phone number belongs to one IVR at most (the API's IVR model:
 * "Each phone number must be unique and not in use by another"): 400.
 */
import { randomUUID } from 'node:crypto';
import { ApiError, badRequest, notFound } from './http.js';
import { divisionIdFor, HOME_DIVISION } from './org.js';
import type { EmulatorState, StoredFlow, StoredIvr, StoredQueue } from './state-store.js';

/** An IVR's flows: each slot holds an inbound call flow, by id. */
export const IVR_FLOW_SLOTS = {
  openHoursFlowId: 'openHoursFlow',
  closedHoursFlowId: 'closedHoursFlow',
  holidayHoursFlowId: 'holidayHoursFlow',
} as const;
export type IvrFlowSlot = keyof typeof IVR_FLOW_SLOTS;

/** A queue's in-queue flows, by medium: the slot, its field in the model, the flow type it takes. */
export const QUEUE_FLOW_SLOTS = {
  queueFlowId: { field: 'queueFlow', type: 'inqueuecall' },
  emailInQueueFlowId: { field: 'emailInQueueFlow', type: 'inqueueemail' },
  messageInQueueFlowId: { field: 'messageInQueueFlow', type: 'inqueueshortmessage' },
} as const;
export type QueueFlowSlot = keyof typeof QUEUE_FLOW_SLOTS;

export interface IvrInput {
  name: string;
  description?: string;
  dnis: string[];
  flows: Partial<Record<IvrFlowSlot, string>>;
  scheduleGroupId?: string;
  divisionName: string;
}

export interface QueueInput {
  name: string;
  description?: string;
  flows: Partial<Record<QueueFlowSlot, string>>;
  divisionName: string;
}

/** A flow of the org that is not deleted and has this type, else 400 naming the field. */
function assertFlowRef(state: EmulatorState, id: string, type: string, field: string): void {
  const flow: StoredFlow | undefined = Object.hasOwn(state.flows, id) ? state.flows[id] : undefined;
  if (!flow || flow.deleted) throw badRequest('{field}: the flow {id} does not exist.', { field, id });
  if (flow.type !== type) {
    throw badRequest('{field}: the flow {name} is of type {actual}; a flow of type {type} is required.', {
      field,
      name: flow.name,
      actual: flow.type,
      type,
    });
  }
}

function assertUniqueName(
  items: ReadonlyArray<{ id: string; name: string }>,
  name: string,
  selfId: string | undefined,
  kind: string,
): void {
  if (name.trim() === '') throw badRequest('The {kind} name is required.', { kind });
  const clash = items.find((i) => i.id !== selfId && i.name.toLowerCase() === name.toLowerCase());
  if (clash)
    throw new ApiError(409, 'general.conflict', 'A {kind} named {name} already exists.', { kind, name: clash.name });
}

function validateIvr(state: EmulatorState, input: IvrInput, selfId: string | undefined): void {
  assertUniqueName(Object.values(state.ivrs), input.name, selfId, 'IVR');
  const seen = new Set<string>();
  for (const number of input.dnis) {
    if (number.trim() === '') throw badRequest('dnis: a phone number is empty.');
    if (seen.has(number)) throw badRequest('dnis: the phone number {number} is listed twice.', { number });
    seen.add(number);
    const owner = Object.values(state.ivrs).find((i) => i.id !== selfId && i.dnis.includes(number));
    if (owner)
      throw badRequest('dnis: the phone number {number} is in use by the IVR {name}.', { number, name: owner.name });
  }
  for (const [slot, field] of Object.entries(IVR_FLOW_SLOTS) as Array<[IvrFlowSlot, string]>) {
    const id = input.flows[slot];
    if (id !== undefined) assertFlowRef(state, id, 'inboundcall', field);
  }
}

/** Writes the input's fields over the record (a PUT replaces the whole configuration). */
function assignIvr(ivr: StoredIvr, input: IvrInput): void {
  ivr.name = input.name;
  ivr.dnis = [...input.dnis];
  ivr.divisionName = input.divisionName;
  ivr.divisionId = divisionIdFor(input.divisionName);
  for (const slot of Object.keys(IVR_FLOW_SLOTS) as IvrFlowSlot[]) {
    const id = input.flows[slot];
    if (id === undefined) delete ivr[slot];
    else ivr[slot] = id;
  }
  if (input.description === undefined) delete ivr.description;
  else ivr.description = input.description;
  if (input.scheduleGroupId === undefined) delete ivr.scheduleGroupId;
  else ivr.scheduleGroupId = input.scheduleGroupId;
}

export function createIvr(state: EmulatorState, input: IvrInput, clientId: string, now: number): StoredIvr {
  validateIvr(state, input, undefined);
  const ivr: StoredIvr = {
    id: randomUUID(),
    name: input.name,
    dnis: [],
    divisionId: divisionIdFor(HOME_DIVISION),
    divisionName: HOME_DIVISION,
    version: 1,
    createdBy: clientId,
    modifiedBy: clientId,
    createdAt: now,
    modifiedAt: now,
  };
  assignIvr(ivr, input);
  state.ivrs[ivr.id] = ivr;
  return ivr;
}

export function getIvr(state: EmulatorState, id: string): StoredIvr {
  const ivr = Object.hasOwn(state.ivrs, id) ? state.ivrs[id] : undefined;
  if (!ivr) throw notFound('IVR', id);
  return ivr;
}

/**
 * Replaces the configuration. `expectedVersion`, when the body carries one, must be the current
 * version (409 otherwise: someone changed it since it was read).
 */
export function updateIvr(
  state: EmulatorState,
  ivr: StoredIvr,
  input: IvrInput,
  expectedVersion: number | undefined,
  clientId: string,
  now: number,
): void {
  if (expectedVersion !== undefined && expectedVersion !== ivr.version) {
    throw new ApiError(409, 'general.conflict', 'The IVR {name} is at version {current}, not {expected}.', {
      name: ivr.name,
      current: String(ivr.version),
      expected: String(expectedVersion),
    });
  }
  validateIvr(state, input, ivr.id);
  assignIvr(ivr, input);
  ivr.version += 1;
  ivr.modifiedBy = clientId;
  ivr.modifiedAt = now;
}

/** Gone for good: a later GET is a 404. */
export function deleteIvr(state: EmulatorState, ivr: StoredIvr): void {
  delete state.ivrs[ivr.id];
}

export function createQueue(state: EmulatorState, input: QueueInput, clientId: string, now: number): StoredQueue {
  assertUniqueName(Object.values(state.queues), input.name, undefined, 'queue');
  for (const [slot, { field, type }] of Object.entries(QUEUE_FLOW_SLOTS) as Array<
    [QueueFlowSlot, { field: string; type: string }]
  >) {
    const id = input.flows[slot];
    if (id !== undefined) assertFlowRef(state, id, type, field);
  }
  const queue: StoredQueue = {
    id: randomUUID(),
    name: input.name,
    divisionId: divisionIdFor(input.divisionName),
    divisionName: input.divisionName,
    createdBy: clientId,
    createdAt: now,
    ...input.flows,
  };
  if (input.description !== undefined) queue.description = input.description;
  state.queues[queue.id] = queue;
  return queue;
}

export function getQueue(state: EmulatorState, id: string): StoredQueue {
  const queue = Object.hasOwn(state.queues, id) ? state.queues[id] : undefined;
  if (!queue) throw notFound('queue', id);
  return queue;
}

export function deleteQueue(state: EmulatorState, queue: StoredQueue): void {
  delete state.queues[queue.id];
}

/** The IVRs and queues that point at the flow `flowId` (by any of their flow slots), by name. */
export function objectsPointingAt(state: EmulatorState, flowId: string): { ivrs: StoredIvr[]; queues: StoredQueue[] } {
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  const ivrs = Object.values(state.ivrs).filter((i) =>
    (Object.keys(IVR_FLOW_SLOTS) as IvrFlowSlot[]).some((s) => i[s] === flowId),
  );
  const queues = Object.values(state.queues).filter((q) =>
    (Object.keys(QUEUE_FLOW_SLOTS) as QueueFlowSlot[]).some((s) => q[s] === flowId),
  );
  return { ivrs: ivrs.sort(byName), queues: queues.sort(byName) };
}
