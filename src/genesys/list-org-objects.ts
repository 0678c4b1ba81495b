/**
 * Listing the org's objects of one kind (queues, prompts, data actions...) by name, every page,
 * through the SDK's list endpoints: what plan checks the references of changed flows against.
 *
 * - Page sizes: the largest each endpoint is asked for by the Terraform provider's proxies
 *   (MyPureCloud/terraform-provider-genesyscloud `genesyscloud/<resource>/*_proxy.go`): 500 for
 *   queues, skills and groups, 100 for the rest (the SDK's own docs say 100 is the most contact
 *   lists return). A larger pageSize than an endpoint allows is capped by Genesys, not refused, so
 *   the page count is read from each answer (`pageCount`, else `total`), never assumed.
 * - Pages after the first are fetched concurrently; the session's limiter bounds them.
 * - A 404 on the listing means the org (or an emulator without objects) does not model the kind:
 *   'unlisted'. A 403 means the OAuth client's role lacks the permission: 'forbidden', naming it.
 *   Anything else is a RemoteError as for every request.
 * - Read only: nothing here writes to the org.
 */
import { platformClient } from './sdk.js';
import type { OrgObjectKind } from '../check/types.js';
import { RemoteError } from '../errors.js';
import type { ApiClient, ApiSession } from './api-session.js';
import { GenesysApiError, missingPermissions } from './errors.js';

/** One object as a reference matches it: its name, and for a data action its category (the integration's name). */
export interface OrgObjectName {
  name: string;
  integration?: string;
}

/** What listing one kind gave. */
export type OrgObjectListing =
  | { kind: ListableKind; outcome: 'listed'; objects: OrgObjectName[] }
  /** The org answers 404: it models no objects of this kind (an emulator started without objects). */
  | { kind: ListableKind; outcome: 'unlisted' }
  /** The OAuth client may not list them (403). */
  | { kind: ListableKind; outcome: 'forbidden'; permission: string };

/** A page of any SDK listing, as far as names go. */
interface NamedPage {
  entities?: Array<{ name?: string; category?: string }>;
  pageSize?: number;
  pageCount?: number;
  total?: number;
}

interface KindSpec {
  /** For messages: `list queues`. */
  noun: string;
  /** The endpoint the SDK method calls (GET). */
  path: string;
  /** The permission the listing needs (SDK docs: "Requires ANY permissions"); absent: none. */
  permission?: string;
  pageSize: number;
  page(client: ApiClient, pageNumber: number, pageSize: number): Promise<NamedPage>;
}

const routing = (c: ApiClient) => new platformClient.RoutingApi(c);
const architect = (c: ApiClient) => new platformClient.ArchitectApi(c);

/**
 * Each kind flowops lists, its endpoint, page size and permission (README "plan", the table of the
 * permissions). Users are not listed: an org has thousands, and the list endpoint has no name
 * filter; references to users are "not checked".
 */
const KINDS = {
  queue: {
    noun: 'queues',
    path: '/api/v2/routing/queues',
    permission: 'routing:queue:view',
    pageSize: 500,
    page: (c, pageNumber, pageSize) => routing(c).getRoutingQueues({ pageNumber, pageSize }),
  },
  prompt: {
    noun: 'user prompts',
    path: '/api/v2/architect/prompts',
    permission: 'architect:userPrompt:view',
    pageSize: 100,
    page: (c, pageNumber, pageSize) =>
      architect(c).getArchitectPrompts({ pageNumber, pageSize, includeMediaUris: false, includeResources: false }),
  },
  systemPrompt: {
    noun: 'system prompts',
    path: '/api/v2/architect/systemprompts',
    permission: 'architect:systemPrompt:view',
    pageSize: 100,
    page: (c, pageNumber, pageSize) =>
      architect(c).getArchitectSystemprompts({
        pageNumber,
        pageSize,
        includeMediaUris: false,
        includeResources: false,
      }),
  },
  dataAction: {
    noun: 'data actions',
    path: '/api/v2/integrations/actions',
    permission: 'integrations:action:view',
    pageSize: 100,
    page: (c, pageNumber, pageSize) =>
      new platformClient.IntegrationsApi(c).getIntegrationsActions({ pageNumber, pageSize }),
  },
  dataTable: {
    noun: 'data tables',
    path: '/api/v2/flows/datatables',
    permission: 'architect:datatable:view',
    pageSize: 100,
    page: (c, pageNumber, pageSize) => architect(c).getFlowsDatatables({ pageNumber, pageSize }),
  },
  scheduleGroup: {
    noun: 'schedule groups',
    path: '/api/v2/architect/schedulegroups',
    permission: 'routing:scheduleGroup:view',
    pageSize: 100,
    page: (c, pageNumber, pageSize) => architect(c).getArchitectSchedulegroups({ pageNumber, pageSize }),
  },
  schedule: {
    noun: 'schedules',
    path: '/api/v2/architect/schedules',
    permission: 'routing:schedule:view',
    pageSize: 100,
    page: (c, pageNumber, pageSize) => architect(c).getArchitectSchedules({ pageNumber, pageSize }),
  },
  emergencyGroup: {
    noun: 'emergency groups',
    path: '/api/v2/architect/emergencygroups',
    permission: 'routing:emergencyGroup:view',
    pageSize: 100,
    page: (c, pageNumber, pageSize) => architect(c).getArchitectEmergencygroups({ pageNumber, pageSize }),
  },
  language: {
    noun: 'language skills',
    path: '/api/v2/routing/languages',
    pageSize: 100,
    page: (c, pageNumber, pageSize) => routing(c).getRoutingLanguages({ pageNumber, pageSize }),
  },
  skill: {
    noun: 'skills',
    path: '/api/v2/routing/skills',
    pageSize: 500,
    page: (c, pageNumber, pageSize) => routing(c).getRoutingSkills({ pageNumber, pageSize }),
  },
  wrapupCode: {
    noun: 'wrap-up codes',
    path: '/api/v2/routing/wrapupcodes',
    permission: 'routing:wrapupCode:view',
    pageSize: 100,
    page: (c, pageNumber, pageSize) => routing(c).getRoutingWrapupcodes({ pageNumber, pageSize }),
  },
  division: {
    noun: 'divisions',
    path: '/api/v2/authorization/divisions',
    pageSize: 100,
    page: (c, pageNumber, pageSize) =>
      new platformClient.AuthorizationApi(c).getAuthorizationDivisions({ pageNumber, pageSize }),
  },
  group: {
    noun: 'groups',
    path: '/api/v2/groups',
    pageSize: 500,
    page: (c, pageNumber, pageSize) => new platformClient.GroupsApi(c).getGroups({ pageNumber, pageSize }),
  },
  contactList: {
    noun: 'contact lists',
    path: '/api/v2/outbound/contactlists',
    permission: 'outbound:contactList:view',
    pageSize: 100,
    page: (c, pageNumber, pageSize) =>
      new platformClient.OutboundApi(c).getOutboundContactlists({ pageNumber, pageSize }),
  },
} satisfies Partial<Record<OrgObjectKind, KindSpec>>;

/** The kinds flowops can list (the others, users and flows, are not listed here). */
export type ListableKind = keyof typeof KINDS;

export function isListableKind(kind: OrgObjectKind): kind is ListableKind {
  return Object.hasOwn(KINDS, kind);
}

/** The endpoints (GET) that list org objects: the bench counts the requests a plan spends on them. */
export const LISTING_PATHS: readonly string[] = Object.values(KINDS).map((k) => k.path);

/** Every object of the kind, by name (all pages), or why the org did not list them. */
export async function listOrgObjects(session: ApiSession, kind: ListableKind): Promise<OrgObjectListing> {
  const spec: KindSpec = KINDS[kind];
  const fetchPage = (pageNumber: number): Promise<NamedPage> =>
    session.call(`list ${spec.noun}${pageNumber > 1 ? ` (page ${pageNumber})` : ''}`, (_api, client) =>
      spec.page(client, pageNumber, spec.pageSize),
    );
  let first: NamedPage;
  try {
    first = await fetchPage(1);
  } catch (error) {
    const unlisted = unlistedBecause(error, kind, spec);
    if (unlisted) return unlisted;
    throw error;
  }
  // Genesys caps a pageSize larger than an endpoint allows: the answer says what it used.
  const pageCount = first.pageCount ?? Math.ceil((first.total ?? 0) / (first.pageSize || spec.pageSize));
  const rest = await Promise.all(Array.from({ length: Math.max(0, pageCount - 1) }, (_, i) => fetchPage(i + 2)));
  const objects: OrgObjectName[] = [];
  for (const page of [first, ...rest]) {
    for (const entity of page.entities ?? []) {
      if (typeof entity.name !== 'string') continue;
      objects.push(
        kind === 'dataAction' && typeof entity.category === 'string'
          ? { name: entity.name, integration: entity.category }
          : { name: entity.name },
      );
    }
  }
  return { kind, outcome: 'listed', objects };
}

/** A 404 or 403 on a listing's first page: the kind is not checked, and why. */
function unlistedBecause(error: unknown, kind: ListableKind, spec: KindSpec): OrgObjectListing | undefined {
  if (!(error instanceof RemoteError)) return undefined;
  if (error.status === 404) return { kind, outcome: 'unlisted' };
  if (error.status === 403) {
    // The answer names the permission it wants (Genesys' messageParams); else the documented one.
    const named = error instanceof GenesysApiError ? missingPermissions({ messageParams: error.params }) : [];
    return { kind, outcome: 'forbidden', permission: named[0] ?? spec.permission ?? 'a view permission' };
  }
  return undefined;
}
