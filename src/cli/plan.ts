import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { changedFilesSince } from '../git/changed-files.js';
import { currentCommit } from '../git/commit.js';
import { flowNameChanges, narrowCheck, selectChangedFlows, withoutRepositoryFlows, type FlowSelection } from '../git/select-changed-flows.js';
import { fileAtCommit } from '../git/show-file.js';
import { appendStepSummary } from '../github/step-summary.js';
import { postPlanComment } from '../github/post-plan-comment.js';
import { hasChanges } from '../plan/build-plan.js';
import type { Plan } from '../plan/types.js';
import type { CheckResult } from '../check/types.js';
import { renderPlanMarkdown } from '../render/markdown.js';
import { renderPlanText } from '../render/text.js';
import { getPlan } from '../workspace/get-plan.js';
import { loadWorkspace, type Workspace } from '../workspace/load-workspace.js';
import { openOrg } from '../workspace/open-org.js';
import { globalOptions, type GlobalOptions } from './global-options.js';
import { Output } from './output.js';
import { checkDesiredAsync, liveCacheOf, planSourcesOf, projectDirOf, writeAtomically } from './shared.js';

export interface PlanOptions {
  env?: string;
  out?: string;
  markdown?: string;
  detailedExitcode?: boolean;
  prune?: boolean;
  cache?: boolean;
  changedSince?: string;
  githubComment?: boolean;
  rename?: string[];
}

export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description('show what would change inside each live flow, and save it for apply')
    .option('--env <name>', 'environment to plan against (default: defaultEnvironment)')
    .option('--out <file>', 'write the plan as JSON (schemas/plan.schema.json) for `flowops apply`')
    .option('--markdown <file>', 'write the plan as markdown (pull request comment, job summary)')
    .option('--detailed-exitcode', 'exit 0 when nothing changes, 2 when something does, 1 on error')
    .option('--prune', 'plan to delete live flows of the managed types that no file describes (never one an IVR, a queue or another flow points at: such a delete is shown refused)')
    .option('--no-cache', 'do not reuse exported content from .flowops/cache')
    .option('--changed-since <ref>', 'plan only the flows whose files changed since REF (a commit, branch or tag), and the callers of changed modules')
    .option('--rename <OLD=NEW>', 'the flow named NEW in the files is the live flow named OLD, renamed (it keeps its id); repeatable. Not needed for flows flowops applied: their audit note and git history tell', (value: string, all: string[] = []) => [...all, value])
    .option('--github-comment', 'post the markdown plan on the pull request, editing the same comment on later runs (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH)')
    .action(async (options: PlanOptions, command: Command) => {
      process.exitCode = await runPlan(options, globalOptions(command));
    });
}

export async function runPlan(options: PlanOptions, global: GlobalOptions): Promise<number> {
  if (options.changedSince !== undefined && options.prune) throw new UsageError('--changed-since plans some of the flows, --prune needs all of them: use one or the other');
  // Nothing is asked of the org before the files are known to be valid. (Logging in and listing
  // while a large repository's files were checked saved 2-5 % of a plan at 50 ms a request and
  // nothing at 0 ms, once unchanged flows need no export: README "Performance".)
  const workspace = await loadWorkspace({ configPath: global.config, environment: options.env, outside: options.prune === true });
  const out = new Output({ color: global.color, secrets: [...workspace.environment.secrets, process.env.GITHUB_TOKEN ?? ''] });
  const projectDir = projectDirOf(workspace);
  const all = await checkDesiredAsync(workspace);
  const commit = await currentCommit(projectDir);
  const scope = options.changedSince === undefined ? undefined : await changedScope(options.changedSince, workspace, all, out);
  const check = scope ? narrowCheck(all, scope.selection.ids) : all;
  const org = await openOrg(workspace.environment, projectDir, process.env, { cache: options.cache !== false, debug: global.debug });
  let plan: Plan;
  try {
    out.info(`Planning environment ${workspace.environment.name} against ${org.description}.`);
    plan = await getPlan({
      check,
      reader: org.client,
      environment: workspace.environment.name,
      ...planSourcesOf(workspace, org, check, options.rename),
      ...(commit ? { gitCommit: commit.dirty ? `${commit.sha}+dirty` : commit.sha } : {}),
      prune: options.prune === true,
      progress: (m) => out.info(m),
      ...(options.cache !== false ? { liveHashCache: liveCacheOf(workspace) } : {}),
    });
    out.info(`${org.client.stats.requests} API request(s).`);
  } finally {
    await org.close();
  }
  if (scope) plan = withoutRepositoryFlows(plan, all);
  const markdown = out.redact(renderPlanMarkdown(plan, scope ? { title: scope.title } : {}) + (scope?.notes.length ? `\n${scope.notes.map((n) => `> ${n}`).join('\n>\n')}\n` : ''));
  if (options.out) await writeAtomically(options.out, out.redact(JSON.stringify(plan, null, 2)) + '\n');
  if (options.markdown) await writeAtomically(options.markdown, markdown);
  if (global.json) out.json(plan);
  else {
    out.line(renderPlanText(plan, out.colors));
    if (options.out) out.line(`\nSaved the plan to ${options.out}. Apply exactly this plan with: flowops apply ${options.out}`);
  }
  await publishOnGitHub(markdown, plan.environment, options.githubComment === true, out);
  if (options.detailedExitcode) return hasChanges(plan) ? 2 : 0;
  return 0;
}

interface ChangedScope {
  selection: FlowSelection;
  title: string;
  /** Said on stderr and under the markdown plan. */
  notes: string[];
}

/** --changed-since: git says which files changed; selectChangedFlows (pure) picks the flows. */
async function changedScope(ref: string, workspace: Workspace, check: CheckResult, out: Output): Promise<ChangedScope> {
  const cwd = process.cwd();
  const changes = await changedFilesSince(ref, cwd);
  const selection = selectChangedFlows({
    flows: check.flows,
    graph: check.graph,
    changes,
    ...(workspace.config ? { configPath: relative(cwd, resolve(workspace.config.path)) } : {}),
  });
  const shown = /^[0-9a-f]{40}$/i.test(ref) ? ref.slice(0, 7) : ref;
  const notes: string[] = [];
  if (selection.all) notes.push(`The config file changed since \`${shown}\`: every flow is planned.`);
  else notes.push(`Only the flows changed since \`${shown}\` are planned: ${selection.changed.length} changed, ${selection.callers.length} calling a changed module, ${check.flows.length - selection.ids.length} left out.`);
  for (const r of selection.renamed) notes.push(`\`${r.from}\` was renamed to \`${r.to}\`.`);
  if (selection.deleted.length) notes.push(`${selection.deleted.length} YAML file(s) deleted since \`${shown}\` (${selection.deleted.slice(0, 3).map((p) => `\`${p}\``).join(', ')}${selection.deleted.length > 3 ? ', ...' : ''}): deleting their flows needs a full plan with --prune.`);
  // A new name is a rename when flowops applied the flow (its note and git tell), else --rename says it.
  const paths = new Map(changes.filter((c) => c.status === 'modified' || c.status === 'renamed').map((c) => [c.path, c.previousPath ?? c.path]));
  const texts = new Map(workspace.sources.map((s) => [s.path, s.text]));
  const files: Array<{ path: string; before: string; after: string }> = [];
  for (const flow of check.flows.filter((f) => paths.has(f.path))) {
    const before = await fileAtCommit(cwd, ref, paths.get(flow.path)!);
    if (before !== undefined) files.push({ path: flow.path, before, after: texts.get(flow.path) ?? '' });
  }
  for (const c of flowNameChanges(files)) {
    notes.push(`\`${c.path}\`: the flow's name changed from "${c.from}" to "${c.to}": planned as a rename (the flow keeps its id) when flowops applied "${c.from}"; otherwise say it with \`--rename "${c.from}=${c.to}"\`.`);
  }
  for (const n of notes) out.info(n.replace(/`/g, ''));
  return { selection, title: `flowops plan of the flows changed since \`${shown}\``, notes };
}

/** Under GitHub Actions: the job summary; with --github-comment: the pull request's comment. */
async function publishOnGitHub(markdown: string, environment: string, comment: boolean, out: Output): Promise<void> {
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (process.env.GITHUB_ACTIONS === 'true' && summary) {
    const written = await appendStepSummary(summary, markdown);
    if (!written.complete) out.info('The plan is too long for the job summary (1 MiB): its end is left out there.');
  }
  if (!comment) return;
  const posted = await postPlanComment({ markdown, environment, env: process.env, log: (m) => out.info(m) });
  if (!posted.posted) out.info(posted.reason);
  else {
    const r = posted.result;
    const parts = posted.parts === 1 ? 'one comment' : `${posted.parts} comments`;
    out.info(`Plan posted on pull request #${posted.pullRequest} as ${parts} (${r.created} created, ${r.updated} edited, ${r.kept} unchanged, ${r.deleted} deleted)${r.url ? `: ${r.url}` : ''}.`);
  }
}
