/**
 * The list endpoints of the org's objects (org-catalog.ts), through the real paths the official SDK
 * calls: ArchitectApi getArchitectPrompts, getArchitectSystemprompts, getArchitectSchedulegroups,
 * getArchitectSchedules, getArchitectEmergencygroups, getFlowsDatatables; IntegrationsApi
 * getIntegrations, getIntegrationsActions; RoutingApi getRoutingLanguages, getRoutingSkills,
 * getRoutingWrapupcodes; AuthorizationApi getAuthorizationDivisions. Each answers the SDK's entity
 * listing (pageNumber, pageSize, total, pageCount, entities, links), sorted by name, filtered by
 * `name` as the SDK's docs describe the filter (NAME_FILTERS; a choice where they say nothing:
 * README.md). Registered only when the emulator models objects: otherwise these paths are a 404.
 * Queues (queues-routes.ts) and IVRs (ivrs-routes.ts) have routes of their own.
 */
import type { Models } from 'purecloud-platform-client-v2';
import { badRequest, matcher, queryInt, queryList } from './http.js';
import { listingLinks, paginate } from './models.js';
import { divisionIdFor } from './org.js';
import type { CatalogObject, OrgCatalog } from './org-catalog.js';
import type { RequestContext, Router } from './router.js';

const MAX_PAGE_SIZE = 500;

/**
 * How a `name` filter matches, regardless of case: `contains` a substring (with `*` wildcards, then
 * the whole name must match, as the flows' filter), `prefix` ("starts with this value"), or
 * `exactOrPattern` (the whole name, or a `*` pattern).
 */
type NameFilter = 'contains' | 'prefix' | 'exactOrPattern';

export function nameMatcher(filter: NameFilter, value: string): (name: string) => boolean {
  const lower = value.toLowerCase();
  if (filter === 'prefix' && !value.includes('*')) return (name) => name.toLowerCase().startsWith(lower);
  if (filter === 'exactOrPattern' && !value.includes('*')) return (name) => name.toLowerCase() === lower;
  return matcher(value);
}

interface ListRoute {
  path: string;
  permission: string;
  kind: CatalogObject['kind'];
  /** Absent: the endpoint has no `name` filter (getIntegrations). */
  name?: NameFilter;
  /** The `name` parameter may repeat (getArchitectPrompts takes a list): any value matches. */
  names?: boolean;
  /** Further filters of the endpoint (`category` of actions, `divisionId`, `id`). */
  filter?: (object: CatalogObject, query: URLSearchParams) => boolean;
  model: (object: CatalogObject) => unknown;
}

const divisionRef = (o: CatalogObject): Models.WritableDivision => ({
  id: divisionIdFor(o.divisionName),
  name: o.divisionName,
  selfUri: `/api/v2/authorization/divisions/${divisionIdFor(o.divisionName)}`,
});

const inDivisions = (o: CatalogObject, query: URLSearchParams): boolean => {
  const wanted = queryList(query, 'divisionId');
  return wanted.length === 0 || wanted.includes(divisionIdFor(o.divisionName));
};

const withIds =
  (parameter: string) =>
  (o: CatalogObject, query: URLSearchParams): boolean => {
    const wanted = queryList(query, parameter);
    return wanted.length === 0 || wanted.includes(o.id);
  };

const described = (o: CatalogObject): { description?: string } =>
  o.description === undefined ? {} : { description: o.description };

/** A schedule or group's fields of Architect's scheduling objects (version, state). */
const scheduling = (o: CatalogObject, self: string) => ({
  id: o.id,
  name: o.name,
  division: divisionRef(o),
  ...described(o),
  version: 1,
  state: 'active',
  selfUri: `${self}/${o.id}`,
});

const ROUTES: ListRoute[] = [
  {
    path: '/api/v2/architect/prompts',
    permission: 'architect:userPrompt:view',
    kind: 'prompt',
    name: 'contains',
    names: true,
    filter: inDivisions,
    model: (o): Models.Prompt => ({
      id: o.id,
      name: o.name,
      division: divisionRef(o),
      ...described(o),
      resources: [],
      selfUri: `/api/v2/architect/prompts/${o.id}`,
    }),
  },
  {
    path: '/api/v2/architect/systemprompts',
    permission: 'architect:systemPrompt:view',
    kind: 'systemPrompt',
    name: 'contains',
    model: (o): Models.SystemPrompt => ({
      id: o.id,
      name: o.name,
      ...described(o),
      resources: [],
      selfUri: `/api/v2/architect/systemprompts/${o.id}`,
    }),
  },
  {
    path: '/api/v2/architect/schedulegroups',
    permission: 'routing:scheduleGroup:view',
    kind: 'scheduleGroup',
    name: 'contains',
    filter: inDivisions,
    model: (o): Models.ScheduleGroup => ({
      ...scheduling(o, '/api/v2/architect/schedulegroups'),
      timeZone: 'UTC',
      openSchedules: [],
      closedSchedules: [],
      holidaySchedules: [],
    }),
  },
  {
    path: '/api/v2/architect/schedules',
    permission: 'routing:schedule:view',
    kind: 'schedule',
    name: 'contains',
    filter: inDivisions,
    // Times are not modelled: every schedule is weekdays 08:00-17:00.
    model: (o): Models.Schedule => ({
      ...scheduling(o, '/api/v2/architect/schedules'),
      start: '2020-01-06T08:00:00.000',
      end: '2020-01-06T17:00:00.000',
      rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
    }),
  },
  {
    path: '/api/v2/architect/emergencygroups',
    permission: 'architect:emergencyGroup:view',
    kind: 'emergencyGroup',
    name: 'contains',
    model: (o): Models.EmergencyGroup => ({
      ...scheduling(o, '/api/v2/architect/emergencygroups'),
      enabled: false,
      emergencyCallFlows: [],
    }),
  },
  {
    path: '/api/v2/flows/datatables',
    permission: 'architect:datatable:view',
    kind: 'dataTable',
    name: 'exactOrPattern',
    filter: inDivisions,
    model: (o): Models.DataTable => ({
      id: o.id,
      name: o.name,
      division: divisionRef(o),
      ...described(o),
      selfUri: `/api/v2/flows/datatables/${o.id}`,
    }),
  },
  {
    path: '/api/v2/integrations',
    permission: 'integrations:integration:view',
    kind: 'integration',
    filter: withIds('ids'),
    model: (o): Models.Integration => {
      // Genesys' own data actions integration has its own type; any other is a web services one.
      const type = o.name === 'Genesys Cloud Data Actions' ? 'purecloud-data-actions' : 'custom-rest-actions';
      return {
        id: o.id,
        name: o.name,
        integrationType: { id: type, selfUri: `/api/v2/integrations/types/${type}` },
        intendedState: 'ENABLED',
        selfUri: `/api/v2/integrations/${o.id}`,
      };
    },
  },
  {
    path: '/api/v2/integrations/actions',
    permission: 'integrations:action:view',
    kind: 'dataAction',
    name: 'contains',
    filter: (o, query) => {
      const category = query.get('category');
      return (!category || category.toLowerCase() === (o.integration ?? '').toLowerCase()) && withIds('ids')(o, query);
    },
    // In real orgs an action's category is the name of its integration.
    model: (o): Models.Action => ({
      id: o.id,
      name: o.name,
      integrationId: o.integrationId ?? '',
      category: o.integration ?? '',
      version: 1,
      secure: false,
      selfUri: `/api/v2/integrations/actions/${o.id}`,
    }),
  },
  {
    path: '/api/v2/routing/languages',
    permission: 'routing:skill:view',
    kind: 'language',
    name: 'contains',
    filter: withIds('id'),
    model: (o): Models.Language => ({
      id: o.id,
      name: o.name,
      state: 'active',
      version: '1',
      selfUri: `/api/v2/routing/languages/${o.id}`,
    }),
  },
  {
    path: '/api/v2/routing/skills',
    permission: 'routing:skill:view',
    kind: 'skill',
    name: 'prefix',
    filter: withIds('id'),
    model: (o): Models.RoutingSkill => ({
      id: o.id,
      name: o.name,
      division: divisionRef(o),
      state: 'active',
      version: '1',
      selfUri: `/api/v2/routing/skills/${o.id}`,
    }),
  },
  {
    path: '/api/v2/routing/wrapupcodes',
    permission: 'routing:wrapupCode:view',
    kind: 'wrapupCode',
    name: 'contains',
    filter: (o, query) => inDivisions(o, query) && withIds('id')(o, query),
    model: (o): Models.WrapupCode => ({
      id: o.id,
      name: o.name,
      division: divisionRef(o),
      ...described(o),
      selfUri: `/api/v2/routing/wrapupcodes/${o.id}`,
    }),
  },
  {
    path: '/api/v2/authorization/divisions',
    permission: 'authorization:division:view',
    kind: 'division',
    name: 'contains',
    filter: withIds('id'),
    model: (o): Models.AuthzDivision => ({
      id: o.id,
      name: o.name,
      description: o.description ?? '',
      homeDivision: o.id === divisionIdFor('Home'),
      selfUri: `/api/v2/authorization/divisions/${o.id}`,
    }),
  },
];

export function addObjectRoutes(router: Router, catalog: OrgCatalog): void {
  for (const route of ROUTES) {
    router.add('GET', route.path, route.permission, (ctx) => ({ status: 200, body: list(catalog, route, ctx) }));
  }
}

function list(catalog: OrgCatalog, route: ListRoute, ctx: RequestContext) {
  const pageNumber = queryInt(ctx.query, 'pageNumber', 1, 1, 1_000_000);
  const pageSize = queryInt(ctx.query, 'pageSize', 25, 1, MAX_PAGE_SIZE);
  const order = (ctx.query.get('sortOrder') || 'asc').toLowerCase();
  if (order !== 'asc' && order !== 'desc') throw badRequest('sortOrder must be asc or desc.');
  const byId = (ctx.query.get('sortBy') || '').toLowerCase() === 'id';
  // Names may hold commas: a repeated `name` is several names, a single one is never split.
  const names = route.name ? (route.names ? ctx.query.getAll('name') : [ctx.query.get('name') ?? '']) : [];
  const matchers = names.filter((n) => n !== '').map((n) => nameMatcher(route.name!, n));
  const sign = order === 'asc' ? 1 : -1;
  const key = (o: CatalogObject) => (byId ? o.id : o.name.toLowerCase());
  const objects = catalog
    .list(route.kind)
    .filter((o) => (matchers.length === 0 || matchers.some((m) => m(o.name))) && (route.filter?.(o, ctx.query) ?? true))
    .sort((a, b) => sign * key(a).localeCompare(key(b)) || (a.id < b.id ? -1 : 1));
  const page = paginate(objects, pageNumber, pageSize);
  return { ...listingLinks(ctx.path, ctx.query, page), entities: page.entities.map(route.model) };
}
