import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { applyPlan, releaseLeftoverLocks } from '../apply/apply-plan.js';
import { parsePlanFile } from '../apply/load-plan.js';
import type { ApplyReport, LockPolicy } from '../apply/types.js';
import { ConfigError, UsageError } from '../errors.js';
import { currentCommit } from '../git/commit.js';
import { pullRequestNumber, readGitHubEvent } from '../github/index.js';
import { desiredHashOf, idOf } from '../identity/index.js';
import { hasChanges } from '../plan/build-plan.js';
import type { Plan } from '../plan/types.js';
import { releasedLocksLine, renderApplyMarkdown, renderApplyText } from '../render/apply-report.js';
import { renderPlanText } from '../render/text.js';
import type { CheckResult } from '../check/types.js';
import { getPlan } from '../workspace/get-plan.js';
import { loadWorkspace } from '../workspace/load-workspace.js';
import { openOrg } from '../workspace/open-org.js';
import { liveProgress, plainProgress } from './apply-progress.js';
import { globalOptions, type GlobalOptions } from './global-options.js';
import { Output } from './output.js';
import { checkDesired, liveCacheOf, planSourcesOf, projectDirOf, writeAtomically } from './shared.js';

export interface ApplyCliOptions {
  env?: string;
  autoApprove?: boolean;
  concurrency: number;
  lockPolicy: LockPolicy;
  forceUnlock?: boolean;
  prune?: boolean;
  markdown?: string;
}

export function registerApplyCommand(program: Command): void {
  program
    .command('apply')
    .description('apply a saved plan exactly, or plan and apply; in dependency order, never overwriting an unplanned edit')
    .argument('[plan]', 'a plan saved by `flowops plan --out` (default: plan now, then apply)')
    .option('--env <name>', 'environment (default: defaultEnvironment)')
    .option('--auto-approve', 'apply without asking (needed without a terminal, unless a saved plan file is applied)')
    .option('--concurrency <n>', 'flows being written at once (their looks, locks and jobs; requests stay within the token budget)', positiveInt, 10)
    .option('--lock-policy <policy>', 'a flow locked by someone else: fail, or wait for the lock', lockPolicy, 'fail' as LockPolicy)
    .option('--force-unlock', "unlock flows locked by someone else (this checks in the holder's draft)")
    .option('--prune', 'carry out the deletes of the plan (or plan them, without a plan file); a flow something points at (an IVR, a queue, a flow) is never deleted')
    .option('--markdown <file>', 'write the report as markdown')
    .action(async (planFile: string | undefined, options: ApplyCliOptions, command: Command) => {
      process.exitCode = await runApply(planFile, options, globalOptions(command));
    });
}

export async function runApply(planFile: string | undefined, options: ApplyCliOptions, global: GlobalOptions): Promise<number> {
  const workspace = await loadWorkspace({ configPath: global.config, environment: options.env, outside: options.prune === true });
  const out = new Output({ color: global.color, secrets: workspace.environment.secrets });
  const check = checkDesired(workspace);
  const projectDir = projectDirOf(workspace);
  const savedPlan = planFile ? parsePlanFile(planFile, await readPlanText(planFile), workspace.environment.name) : undefined;
  if (savedPlan) refuseIfFilesChanged(savedPlan, check, planFile!);
  // Applying a saved plan is the approval (as Terraform does); otherwise someone must say yes, and
  // nothing is asked of the org before it is known that they can.
  if (!savedPlan && !options.autoApprove && !canAsk(global)) throw new UsageError(NEEDS_APPROVAL);
  const commit = await currentCommit(projectDir);
  const gitCommit = commit ? `${commit.sha}${commit.dirty ? '+dirty' : ''}` : undefined;
  const pullRequest = pullRequestNumber(process.env, await readGitHubEvent(process.env));
  const org = await openOrg(workspace.environment, projectDir, process.env, { cache: true, debug: global.debug });
  let report: ApplyReport | undefined;
  try {
    let plan = savedPlan;
    if (!plan) {
      out.info(`Planning environment ${workspace.environment.name} against ${org.description}.`);
      plan = await getPlan({ check, reader: org.client, environment: workspace.environment.name, ...planSourcesOf(workspace, org, check), ...(gitCommit ? { gitCommit } : {}), prune: options.prune === true, progress: (m) => out.info(m), liveHashCache: liveCacheOf(workspace) });
      if (!global.json) out.line(renderPlanText(plan, out.colors));
      if (!hasChanges(plan)) {
        const leftovers = await releaseLeftoverLocks(plan, org.client, org.clientId);
        if (leftovers.released.length) out.line(releasedLocksLine(leftovers.released));
        for (const note of leftovers.notes) out.info(`note: ${note}`);
        return 0;
      }
      if (!(await approved(options, global, out, plan.environment))) {
        out.line('Apply cancelled: nothing was changed.');
        return 1;
      }
    } else if (!options.prune && plan.flows.some((f) => f.action === 'delete')) {
      out.info('The plan deletes flows; without --prune those deletes are skipped.');
      plan = { ...plan, flows: plan.flows.filter((f) => f.action !== 'delete') };
    }
    const interactive = process.stderr.isTTY === true && !global.json;
    const progress = interactive ? liveProgress(plan) : plainProgress(out);
    out.info(`Applying ${plan.flows.filter((f) => f.action !== 'unchanged').length} flow(s) to environment ${plan.environment} (${org.description}).`);
    report = await applyPlan({
      plan,
      yamlById: new Map(check.flows.map((f) => [idOf(f), f.text])),
      writer: org.client,
      options: {
        concurrency: options.concurrency,
        lockPolicy: options.lockPolicy,
        forceUnlock: options.forceUnlock === true,
        clientId: org.clientId,
        ...(gitCommit ? { gitCommit } : {}),
        ...(pullRequest ? { pullRequest } : {}),
        lockWaitMs: 10 * 60_000,
        maxAttempts: 5,
        backoffMs: 1_000,
      },
      emit: (e) => progress.emit(e),
    });
    await progress.finish();
    out.info(`${org.client.stats.requests} API request(s), ${org.client.stats.retries} retried.`);
  } finally {
    await org.close();
  }
  if (options.markdown) await writeAtomically(options.markdown, out.redact(renderApplyMarkdown(report)));
  if (global.json) out.json(report);
  else out.line(renderApplyText(report, out.colors));
  return report.converged ? 0 : 1;
}

async function readPlanText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the plan file ${path}`);
  }
}

/** Apply exactly the approved plan: if a file's content changed since, the plan is not that. */
function refuseIfFilesChanged(plan: Plan, check: CheckResult, planFile: string): void {
  const desired = new Map(check.flows.map((f) => [idOf(f), desiredHashOf(f)]));
  const changed = plan.flows.filter((f) => f.action !== 'delete' && desired.get(f.id) !== f.desiredHash).map((f) => f.path ?? f.id);
  if (changed.length) {
    throw ConfigError.at(planFile, `the flow files changed since this plan was made (${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', ...' : ''}): make a new plan and review it`, 1, 1, 'stale-plan');
  }
}

/** Asks on a terminal unless --auto-approve; never asks when nobody can answer. */
const NEEDS_APPROVAL = 'apply needs approval: answer on a terminal, pass --auto-approve, or apply a saved plan file';

/** A person can be asked: a terminal on both ends, and not --json (machine output never prompts). */
function canAsk(global: GlobalOptions): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true && !global.json;
}

async function approved(options: ApplyCliOptions, global: GlobalOptions, out: Output, environment: string): Promise<boolean> {
  if (options.autoApprove) return true;
  if (!canAsk(global)) throw new UsageError(NEEDS_APPROVAL);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`\nApply these changes to environment ${out.colors.bold(environment)}? Only 'yes' is accepted: `);
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

function lockPolicy(value: string): LockPolicy {
  if (value !== 'fail' && value !== 'wait') throw new InvalidArgumentError('expected fail or wait');
  return value;
}
