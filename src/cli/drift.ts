import type { Command } from 'commander';
import { detectDrift, flowsPublishedByOthers, lastOwnVersion, type DriftReport, type OwnVersion } from '../plan/drift.js';
import type { LiveVersion } from '../plan/types.js';
import { renderDriftText } from '../render/drift.js';
import { readLive } from '../workspace/get-plan.js';
import { loadWorkspace } from '../workspace/load-workspace.js';
import { openOrg } from '../workspace/open-org.js';
import { globalOptions, type GlobalOptions } from './global-options.js';
import { Output } from './output.js';
import { checkDesired, liveCacheOf, projectDirOf } from './shared.js';
import { keyOf } from '../identity/index.js';

export function registerDriftCommand(program: Command): void {
  program
    .command('drift')
    .description('report flows changed in the org outside flowops (e.g. in the Architect UI)')
    .option('--env <name>', 'environment to check (default: defaultEnvironment)')
    .action(async (options: { env?: string }, command: Command) => {
      process.exitCode = await runDrift(options, globalOptions(command));
    });
}

/** Exit 0 in sync, 2 drift, 1 error. */
export async function runDrift(options: { env?: string }, global: GlobalOptions): Promise<number> {
  const workspace = await loadWorkspace({ configPath: global.config, environment: options.env, outside: false });
  const out = new Output({ color: global.color, secrets: workspace.environment.secrets });
  const check = checkDesired(workspace);
  const projectDir = projectDirOf(workspace);
  const org = await openOrg(workspace.environment, projectDir, process.env, { cache: true, debug: global.debug });
  let report: DriftReport;
  try {
    out.info(`Checking environment ${workspace.environment.name} (${org.description}) for drift.`);
    const live = await readLive(check, org.client, workspace.environment.name, org.identity, (m) => out.info(m), liveCacheOf(workspace));
    // Flows someone else published: what they changed is shown against flowops' own last version.
    const others = flowsPublishedByOthers(check.flows, live, org.identity);
    const own = new Map<string, { flow: (typeof others)[number]; version: LiveVersion }>();
    for (const flow of others) {
      const version = lastOwnVersion(await org.client.listFlowVersions(flow.id), org.identity.clientId);
      if (version) own.set(flow.id, { flow, version });
    }
    if (own.size) out.info(`${others.length} flow(s) published by someone else; reading flowops' last version of ${own.size}...`);
    const secretHolders = new Set(check.flows.filter((f) => f.secretPlaces?.length).map(keyOf));
    const refs = [...own.values()].map(({ flow, version }) => ({ id: flow.id, version: version.id, name: flow.name, ...(secretHolders.has(keyOf(flow)) ? { holdsSecrets: true } : {}) }));
    const contents = refs.length ? await org.client.exportFlows(refs) : new Map<string, string>();
    const ownVersions = new Map<string, OwnVersion>();
    for (const { flow, version } of own.values()) {
      const content = contents.get(flow.id);
      if (content !== undefined) ownVersions.set(keyOf(flow), { version, content });
    }
    report = detectDrift({ environment: workspace.environment.name, desired: check.flows, live, identity: org.identity, ownVersions });
  } finally {
    await org.close();
  }
  if (global.json) out.json(report);
  else out.line(renderDriftText(report, out.colors));
  return report.drifted.length ? 2 : 0;
}
