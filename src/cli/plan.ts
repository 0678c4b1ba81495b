import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../errors.js';
import { currentCommit } from '../git/commit.js';
import { hasChanges, PlanError } from '../plan/build-plan.js';
import type { Plan } from '../plan/types.js';
import { renderPlanMarkdown } from '../render/markdown.js';
import { renderPlanText } from '../render/text.js';
import { getPlan } from '../workspace/get-plan.js';
import { loadWorkspace } from '../workspace/load-workspace.js';
import { openOrg } from '../workspace/open-org.js';
import { globalOptions, type GlobalOptions } from './global-options.js';
import { Output } from './output.js';
import { checkDesired, writeAtomically } from './shared.js';

export interface PlanOptions {
  env?: string;
  out?: string;
  markdown?: string;
  detailedExitcode?: boolean;
  prune?: boolean;
  cache?: boolean;
}

export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description('show what would change inside each live flow, and save it for apply')
    .option('--env <name>', 'environment to plan against (default: defaultEnvironment)')
    .option('--out <file>', 'write the plan as JSON (schemas/plan.schema.json) for `flowops apply`')
    .option('--markdown <file>', 'write the plan as markdown (pull request comment, job summary)')
    .option('--detailed-exitcode', 'exit 0 when nothing changes, 2 when something does, 1 on error')
    .option('--prune', 'plan to delete live flows of the managed types that no file describes')
    .option('--no-cache', 'do not reuse exported content from .flowops/cache')
    .action(async (options: PlanOptions, command: Command) => {
      process.exitCode = await runPlan(options, globalOptions(command));
    });
}

export async function runPlan(options: PlanOptions, global: GlobalOptions): Promise<number> {
  const workspace = await loadWorkspace({ configPath: global.config, environment: options.env });
  const out = new Output({ color: global.color, secrets: workspace.environment.secrets });
  const check = checkDesired(workspace);
  const projectDir = workspace.config ? dirname(resolve(workspace.config.path)) : process.cwd();
  const commit = await currentCommit(projectDir);
  const org = await openOrg(workspace.environment, projectDir, process.env, { cache: options.cache !== false, debug: global.debug });
  let plan: Plan;
  try {
    out.info(`Planning environment ${workspace.environment.name} against ${org.description}.`);
    plan = await getPlan({
      check,
      reader: org.client,
      environment: workspace.environment.name,
      ...(commit ? { gitCommit: commit.dirty ? `${commit.sha}+dirty` : commit.sha } : {}),
      prune: options.prune === true,
      progress: (m) => out.info(m),
    });
    out.info(`${org.client.stats.requests} API request(s).`);
  } catch (err) {
    if (err instanceof PlanError) throw ConfigError.at(workspace.config?.path ?? 'flowops.yaml', err.message);
    throw err;
  } finally {
    await org.close();
  }
  if (options.out) await writeAtomically(options.out, out.redact(JSON.stringify(plan, null, 2)) + '\n');
  if (options.markdown) await writeAtomically(options.markdown, out.redact(renderPlanMarkdown(plan)));
  if (global.json) out.json(plan);
  else {
    out.line(renderPlanText(plan, out.colors));
    if (options.out) out.line(`\nSaved the plan to ${options.out}. Apply exactly this plan with: flowops apply ${options.out}`);
  }
  if (options.detailedExitcode) return hasChanges(plan) ? 2 : 0;
  return 0;
}

