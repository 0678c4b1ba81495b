/**
 * The plan operation: the files read and checked (only those changed since a commit, with
 * `--changed-since`), the org read, the plan made. `planAgainstOrg` is the step apply reuses, so
 * that a plan made by `apply` is the plan `plan` would show.
 */
import type { CheckResult } from '../check/types.js';
import { UsageError } from '../errors.js';
import { commitLabel } from '../git/commit.js';
import { narrowCheck, withoutRepositoryFlows } from '../git/select-changed-flows.js';
import type { Plan } from '../plan/types.js';
import { getPlan } from '../workspace/get-plan.js';
import type { OpenOrg } from '../workspace/open-org.js';
import { findRenames } from '../workspace/renames.js';
import { changedScope, type ChangedScope } from './changed-scope.js';
import type { OperationContext } from './context.js';
import { checkDesired, liveCacheOf, openProject, withOrg, type Project } from './project.js';

export interface PlanArgs {
  /** --config */
  configPath?: string;
  /** --env */
  environment?: string;
  /** Plan to delete live flows no file describes. */
  prune: boolean;
  /** Reuse exported content and live hashes from `.flowops/cache`. */
  cache: boolean;
  /** Plan only the flows whose files changed since this commit, branch or tag. */
  changedSince?: string;
  /** `--rename OLD=NEW`, as given. */
  renames?: readonly string[];
}

export interface PlanResult {
  plan: Plan;
  /** With --changed-since: which flows were planned, and the notes saying so. */
  scope?: ChangedScope;
}

export async function makePlan(args: PlanArgs, ctx: OperationContext): Promise<PlanResult> {
  if (args.changedSince !== undefined && args.prune)
    throw new UsageError('--changed-since plans some of the flows, --prune needs all of them: use one or the other');
  // Nothing is asked of the org before the files are known to be valid. (Logging in and listing
  // while a large repository's files were checked saved 2-5 % of a plan at 50 ms a request and
  // nothing at 0 ms, once unchanged flows need no export: README "Performance".)
  const project = await openProject(
    { configPath: args.configPath, environment: args.environment, outside: args.prune },
    ctx,
  );
  // git answers (another process) while the files are checked; it never rejects.
  const commit = commitLabel(project.dir);
  const all = await checkDesired(project);
  const gitCommit = await commit;
  const scope =
    args.changedSince === undefined ? undefined : await changedScope(args.changedSince, project.workspace, all, ctx);
  const check = scope ? narrowCheck(all, scope.selection.ids) : all;
  const plan = await withOrg(project, { cache: args.cache }, ctx, async (org) => {
    const made = await planAgainstOrg(
      project,
      check,
      org,
      {
        prune: args.prune,
        cache: args.cache,
        ...(args.renames ? { renames: args.renames } : {}),
        ...(gitCommit ? { gitCommit } : {}),
      },
      ctx,
    );
    ctx.info(`${org.client.stats.requests} API request(s).`);
    return made;
  });
  return scope ? { plan: withoutRepositoryFlows(plan, all), scope } : { plan };
}

export interface PlanStepOptions {
  prune: boolean;
  cache: boolean;
  renames?: readonly string[];
  gitCommit?: string;
}

/**
 * The checked flows planned against an open org: who flowops runs as, the files no glob takes (for
 * --prune), and how renames are found (audit notes and git, and --rename).
 */
export async function planAgainstOrg(
  project: Project,
  check: CheckResult,
  org: OpenOrg,
  options: PlanStepOptions,
  ctx: OperationContext,
): Promise<Plan> {
  const { workspace } = project;
  ctx.info(`Planning environment ${workspace.environment.name} against ${org.description}.`);
  const liveHashCache = options.cache ? liveCacheOf(project) : undefined;
  return getPlan({
    check,
    reader: org.client,
    environment: workspace.environment.name,
    identity: org.identity,
    outside: workspace.outside,
    renames: (live) =>
      findRenames(check, live, {
        projectDir: ctx.cwd,
        identity: org.identity,
        substitutions: workspace.environment.values,
        files: workspace.fileSubstitutions,
        said: options.renames ?? [],
      }),
    ...(options.gitCommit ? { gitCommit: options.gitCommit } : {}),
    prune: options.prune,
    progress: (m) => ctx.info(m),
    ...(liveHashCache ? { liveHashCache } : {}),
    references: workspace.environment.references ?? 'error',
  });
}
