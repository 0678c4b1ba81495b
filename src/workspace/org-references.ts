/**
 * Reading what the reference check needs from the org, then calling the pure check
 * (plan/org-references.ts): one listing per kind of object the changed and created flows name (the client
 * keeps each listing for the run), flows from the plan's own listing, and a listing of more flow
 * types only when a reference names a type the repository does not manage. Flows the plan leaves
 * unchanged are not looked at: nothing is listed for them.
 */
import type { CheckResult, OrgObjectKind } from '../check/types.js';
import { isListableKind, type ListableKind, type OrgObjectListing } from '../genesys/index.js';
import { idOf } from '../identity/index.js';
import type { LiveFlow } from '../plan/build-plan.js';
import {
  checkOrgReferences,
  flowTypesNamed,
  kindLabel,
  kindsNamed,
  type KindListing,
  type OrgObject,
  type PlanReferences,
  type ReferenceMode,
} from '../plan/org-references.js';
import type { Plan, PlanAction } from '../plan/types.js';

/** What the check asks of an org: its objects of one kind, and its flows of some types (all for `[]`). */
export interface ObjectReader {
  listOrgObjects(kind: ListableKind): Promise<OrgObjectListing>;
  listFlows(types: string[]): Promise<Array<{ name: string; type: string }>>;
}

/**
 * The flows checked: those whose file changed (created, updated, renamed). A republished caller's
 * file did not change: its references were checked when it last did, and checking them on every
 * module change would list the org's objects for flows nobody touched.
 */
const CHANGED: ReadonlySet<PlanAction> = new Set(['create', 'update', 'rename']);

export interface ReadReferencesInput {
  check: CheckResult;
  plan: Plan;
  /** The org's flows of the repository's types, as the plan read them. */
  live: readonly LiveFlow[];
  reader: ObjectReader;
  mode: ReferenceMode;
  progress?: (message: string) => void;
}

/** The plan's reference check; undefined when the changed flows name nothing. */
export async function readOrgReferences(input: ReadReferencesInput): Promise<PlanReferences | undefined> {
  const { check, plan } = input;
  const published = new Set(plan.flows.filter((f) => CHANGED.has(f.action)).map((f) => f.id));
  const flows = check.flows.filter((f) => published.has(idOf(f)) && (f.references?.length ?? 0) > 0);
  if (flows.length === 0) return undefined;
  const kinds = kindsNamed(flows);
  if (kinds.length)
    input.progress?.(
      `Checking the ${kinds.map((k) => `${kindLabel(k)}s`).join(', ')} that ${flows.length} flow(s) name against environment ${plan.environment}...`,
    );
  const listings = new Map<OrgObjectKind, KindListing>();
  await Promise.all(
    kinds.map(async (kind) => {
      if (kind === 'flow') listings.set(kind, { outcome: 'listed', objects: await flowsOf(input, flows) });
      else if (isListableKind(kind)) listings.set(kind, toKindListing(await input.reader.listOrgObjects(kind)));
      else listings.set(kind, { outcome: 'unsupported' });
    }),
  );
  return checkOrgReferences({ environment: plan.environment, mode: input.mode, flows, listings });
}

function toKindListing(listing: OrgObjectListing): KindListing {
  if (listing.outcome === 'listed') return { outcome: 'listed', objects: listing.objects };
  if (listing.outcome === 'forbidden') return { outcome: 'forbidden', permission: listing.permission };
  return { outcome: 'unlisted' };
}

/**
 * The flows a reference may name: the org's (less those the plan deletes) and every flow the plan
 * keeps or creates. The plan listed the repository's types already; other types named are listed
 * once more (all types when a reference says none).
 */
async function flowsOf(input: ReadReferencesInput, flows: ReadReferencesInput['check']['flows']): Promise<OrgObject[]> {
  const listedTypes = new Set(input.check.flows.map((f) => f.type));
  const named = flowTypesNamed(flows);
  const more = named === 'all' ? [] : named.filter((t) => !listedTypes.has(t));
  const extra = named === 'all' || more.length > 0 ? await input.reader.listFlows(more) : [];
  const deleted = new Set(input.plan.flows.filter((f) => f.action === 'delete').map((f) => f.liveFlowId));
  const org = input.live.filter((f) => !deleted.has(f.id)).map((f) => ({ name: f.name, type: f.type }));
  const planned = input.plan.flows.filter((f) => f.action !== 'delete').map((f) => ({ name: f.name, type: f.type }));
  return [...org, ...extra.map((f) => ({ name: f.name, type: f.type.toLowerCase() })), ...planned];
}
