/**
 * The drift operation: the live flows read as a plan reads them; for those someone else published,
 * flowops' own last version exported too, so that what they changed is shown against it
 * (plan/drift.ts decides, purely).
 */
import { keyOf } from '../identity/index.js';
import {
  detectDrift,
  flowsPublishedByOthers,
  lastOwnVersion,
  type DriftReport,
  type OwnVersion,
} from '../plan/drift.js';
import type { LiveVersion } from '../plan/types.js';
import { readLive } from '../workspace/get-plan.js';
import type { OperationContext } from './context.js';
import { checkDesired, liveCacheOf, openProject, withOrg } from './project.js';

export interface DriftArgs {
  configPath?: string;
  environment?: string;
}

export async function findDrift(args: DriftArgs, ctx: OperationContext): Promise<DriftReport> {
  const project = await openProject(
    { configPath: args.configPath, environment: args.environment, outside: false },
    ctx,
  );
  const check = await checkDesired(project);
  const environment = project.workspace.environment.name;
  return withOrg(project, { cache: true }, ctx, async (org) => {
    ctx.info(`Checking environment ${environment} (${org.description}) for drift.`);
    const live = await readLive(check, org.client, environment, org.identity, (m) => ctx.info(m), liveCacheOf(project));
    // Flows someone else published: what they changed is shown against flowops' own last version.
    const others = flowsPublishedByOthers(check.flows, live, org.identity);
    const own = new Map<string, { flow: (typeof others)[number]; version: LiveVersion }>();
    for (const flow of others) {
      const version = lastOwnVersion(await org.client.listFlowVersions(flow.id), org.identity.clientId);
      if (version) own.set(flow.id, { flow, version });
    }
    if (own.size)
      ctx.info(`${others.length} flow(s) published by someone else; reading flowops' last version of ${own.size}...`);
    const secretHolders = new Set(check.flows.filter((f) => f.secretPlaces?.length).map(keyOf));
    const refs = [...own.values()].map(({ flow, version }) => ({
      id: flow.id,
      version: version.id,
      name: flow.name,
      ...(secretHolders.has(keyOf(flow)) ? { holdsSecrets: true } : {}),
    }));
    const contents = refs.length ? await org.client.exportFlows(refs) : new Map<string, string>();
    const ownVersions = new Map<string, OwnVersion>();
    for (const { flow, version } of own.values()) {
      const content = contents.get(flow.id);
      if (content !== undefined) ownVersions.set(keyOf(flow), { version, content });
    }
    return detectDrift({ environment, desired: check.flows, live, identity: org.identity, ownVersions });
  });
}
