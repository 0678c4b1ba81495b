/**
 * Stored records -> the SDK's own response models (`Models.*` in purecloud-platform-client-v2's
 * index.d.ts), so the compiler holds every answer to what real clients expect.
 */
import type { Models } from 'purecloud-platform-client-v2';
import { findVersion } from './org.js';
import type { StoredFlow, StoredJob, StoredMessage, StoredVersion } from './state-store.js';

const FLOWS = '/api/v2/flows';

export function clientRef(clientId: string): Models.DomainEntityRef {
  return { id: clientId, name: clientId, selfUri: `/api/v2/oauth/clients/${encodeURIComponent(clientId)}` };
}

export function toFlowVersion(flow: StoredFlow, version: StoredVersion): Models.FlowVersion {
  const self = `${FLOWS}/${flow.id}/versions/${version.id}`;
  const model: Models.FlowVersion = {
    id: version.id,
    name: flow.name,
    commitVersion: version.id,
    configurationVersion: version.id,
    type: version.type,
    secure: false,
    debug: false,
    createdByClient: clientRef(version.clientId),
    configurationUri: `${self}/configuration`,
    dateCreated: version.createdAt,
    dateCheckedIn: version.createdAt,
    selfUri: self,
  };
  if (version.publishedAt !== undefined) model.datePublished = new Date(version.publishedAt).toISOString();
  if (flow.compatibleFlowTypes) model.compatibleFlowTypes = flow.compatibleFlowTypes;
  return model;
}

/** A draft saved but not checked in; its id is the one the next check-in will get. */
export function draftVersion(flow: StoredFlow): Models.FlowVersion | undefined {
  if (!flow.draft) return undefined;
  const highest = flow.versions.reduce((max, v) => Math.max(max, Number.parseInt(v.id, 10) || 0), 0);
  return {
    id: `${highest + 1}.0`,
    name: flow.name,
    type: 'SAVE',
    secure: false,
    debug: false,
    createdByClient: clientRef(flow.draft.clientId),
    dateSaved: flow.draft.savedAt,
  };
}

function versionModel(flow: StoredFlow, id: string | undefined): Models.FlowVersion | undefined {
  const version = id ? findVersion(flow, id) : undefined;
  return version ? toFlowVersion(flow, version) : undefined;
}

export function toFlow(flow: StoredFlow): Models.Flow {
  const model: Models.Flow = {
    id: flow.id,
    name: flow.name,
    division: {
      id: flow.divisionId,
      name: flow.divisionName,
      selfUri: `/api/v2/authorization/divisions/${flow.divisionId}`,
    },
    type: flow.type.toUpperCase(),
    active: flow.active,
    system: false,
    deleted: flow.deleted,
    selfUri: `${FLOWS}/${flow.id}`,
  };
  if (flow.description !== undefined) model.description = flow.description;
  if (flow.lockedBy !== undefined) model.lockedClient = clientRef(flow.lockedBy);
  const published = versionModel(flow, flow.publishedVersionId);
  const checkedIn = versionModel(flow, flow.checkedInVersionId);
  const saved = draftVersion(flow) ?? checkedIn;
  if (published) model.publishedVersion = published;
  if (checkedIn) model.checkedInVersion = checkedIn;
  if (saved) model.savedVersion = saved;
  if (flow.compatibleFlowTypes) model.compatibleFlowTypes = flow.compatibleFlowTypes;
  return model;
}

export interface Page<T> {
  entities: T[];
  pageNumber: number;
  pageSize: number;
  total: number;
}

/** One page of `items`, with the listing links Genesys returns (`firstUri`, `nextUri`, ...). */
export function paginate<T>(items: T[], pageNumber: number, pageSize: number): Page<T> {
  const start = (pageNumber - 1) * pageSize;
  return { entities: items.slice(start, start + pageSize), pageNumber, pageSize, total: items.length };
}

export interface ListingLinks {
  pageSize: number;
  pageNumber: number;
  total: number;
  pageCount: number;
  firstUri: string;
  lastUri: string;
  selfUri: string;
  nextUri?: string;
  previousUri?: string;
}

export function listingLinks(path: string, query: URLSearchParams, page: Page<unknown>): ListingLinks {
  const pageCount = Math.max(1, Math.ceil(page.total / page.pageSize));
  const uri = (n: number): string => {
    const q = new URLSearchParams(query);
    q.set('pageNumber', String(n));
    q.set('pageSize', String(page.pageSize));
    return `${path}?${q.toString()}`;
  };
  const links: ListingLinks = {
    pageSize: page.pageSize,
    pageNumber: page.pageNumber,
    total: page.total,
    pageCount,
    firstUri: uri(1),
    lastUri: uri(pageCount),
    selfUri: uri(page.pageNumber),
  };
  if (page.pageNumber < pageCount) links.nextUri = uri(page.pageNumber + 1);
  if (page.pageNumber > 1) links.previousUri = uri(Math.min(page.pageNumber - 1, pageCount));
  return links;
}

export function toMessages(messages: StoredMessage[]): Models.ArchitectJobMessage[] {
  return messages.map((m) => ({ ...m }));
}

export function toJobState(job: StoredJob, expandMessages: boolean): Models.ArchitectJobStateResponse {
  const model: Models.ArchitectJobStateResponse = {
    id: job.id,
    status: job.status,
    selfUri: `${FLOWS}/jobs/${job.id}`,
  };
  if (job.command) model.command = job.command;
  if (job.flowId) model.flow = { id: job.flowId, selfUri: `${FLOWS}/${job.flowId}` };
  if (expandMessages) model.messages = toMessages(job.messages);
  return model;
}

/** Dependency-tracking object types of flows (the CLI's list of valid objectType values). */
const DEPENDENCY_TYPES: Record<string, string> = {
  bot: 'BOTFLOW',
  commonmodule: 'COMMONMODULEFLOW',
  digitalbot: 'DIGITALBOTFLOW',
  inboundcall: 'INBOUNDCALLFLOW',
  inboundchat: 'INBOUNDCHATFLOW',
  inboundemail: 'INBOUNDEMAILFLOW',
  inboundshortmessage: 'INBOUNDSHORTMESSAGEFLOW',
  inqueuecall: 'INQUEUECALLFLOW',
  inqueueemail: 'INQUEUEEMAILFLOW',
  inqueueshortmessage: 'INQUEUESHORTMESSAGEFLOW',
  outboundcall: 'OUTBOUNDCALLFLOW',
  securecall: 'SECURECALLFLOW',
  surveyinvite: 'SURVEYINVITEFLOW',
  voice: 'VOICEFLOW',
  voicemail: 'VOICEMAILFLOW',
  voicesurvey: 'VOICESURVEYFLOW',
  workflow: 'WORKFLOW',
  workitem: 'WORKITEMFLOW',
};

export function dependencyTypeOf(flowType: string): string {
  return DEPENDENCY_TYPES[flowType] ?? `${flowType.toUpperCase()}FLOW`;
}

export function toDependency(flow: StoredFlow, version: string | undefined): Models.Dependency {
  const model: Models.Dependency = {
    id: flow.id,
    name: flow.name,
    type: dependencyTypeOf(flow.type),
    deleted: flow.deleted,
    updated: false,
    stateUnknown: false,
    selfUri: `/api/v2/architect/dependencytracking/object?id=${flow.id}`,
  };
  if (version !== undefined) model.version = version;
  return model;
}
