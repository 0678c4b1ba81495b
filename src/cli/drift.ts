import type { Command } from 'commander';
import { fileAtCommit } from '../git/show-file.js';
import { appliedCommitOf, detectDrift, flowsDifferingLive, type DriftReport } from '../plan/drift.js';
import { renderDriftText } from '../render/drift.js';
import { parseFlowDocument } from '../spec/index.js';
import { readLive } from '../workspace/get-plan.js';
import { loadWorkspace } from '../workspace/load-workspace.js';
import { openOrg } from '../workspace/open-org.js';
import { globalOptions, type GlobalOptions } from './global-options.js';
import { Output } from './output.js';
import { checkDesired, liveCacheOf, projectDirOf } from './shared.js';

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
  const workspace = await loadWorkspace({ configPath: global.config, environment: options.env });
  const out = new Output({ color: global.color, secrets: workspace.environment.secrets });
  const check = checkDesired(workspace);
  const projectDir = projectDirOf(workspace);
  const org = await openOrg(workspace.environment, projectDir, process.env, { cache: true, debug: global.debug });
  let report: DriftReport;
  try {
    out.info(`Checking environment ${workspace.environment.name} (${org.description}) for drift.`);
    const live = await readLive(check, org.client, workspace.environment.name, (m) => out.info(m), liveCacheOf(workspace));
    // What git says was applied, for the flows that differ: each live version names the commit
    // flowops applied it from.
    const applied = new Map<string, Record<string, unknown>>();
    for (const flow of flowsDifferingLive(check.flows, live)) {
      const content = live.find((l) => l.type === flow.type && l.name === flow.name)?.content;
      const commit = content ? appliedCommitOf(content) : undefined;
      if (!commit) continue;
      const text = await fileAtCommit(projectDir, commit, flow.path);
      const doc = text === undefined ? undefined : parseFlowDocument({ path: flow.path, text }, workspace.environment.values);
      if (doc) applied.set(`${flow.type}:${flow.name}`, doc);
    }
    report = detectDrift({ environment: workspace.environment.name, desired: check.flows, live, applied });
  } finally {
    await org.close();
  }
  if (global.json) out.json(report);
  else out.line(renderDriftText(report, out.colors));
  return report.drifted.length ? 2 : 0;
}
