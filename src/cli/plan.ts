/** `flowops plan`: the arguments, the plan operation, then the plan shown, saved and posted as asked. */
import type { Command } from 'commander';
import { makePlan, type PlanResult } from '../operations/plan.js';
import { hasChanges } from '../plan/build-plan.js';
import { workflowRunUrl } from '../github/context.js';
import { hasReferenceErrors, referenceDiagnostics, uncheckedNotes } from '../plan/org-references.js';
import type { PlanMarkdownOptions } from '../render/markdown.js';
import { renderPlanText } from '../render/text.js';
import { operationContext } from './context.js';
import { globalOptions, type GlobalOptions } from './global-options.js';
import { Output } from './output.js';
import { publishPlanOnGitHub } from './publish-plan.js';
import { writeAtomically } from './write-file.js';

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
  /** The HTML report's file (`--html`): where the markdown says every flow is drawn. */
  html?: string;
}

export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description('show what would change inside each live flow, and save it for apply')
    .option('--env <name>', 'environment to plan against (default: defaultEnvironment)')
    .option('--out <file>', 'write the plan as JSON (schemas/plan.schema.json) for `flowops apply`')
    .option('--markdown <file>', 'write the plan as markdown (pull request comment, job summary)')
    .option(
      '--html <file>',
      'write the plan as one self-contained HTML page: each changed flow drawn with its changes marked (a CI artifact)',
    )
    .option('--detailed-exitcode', 'exit 0 when nothing changes, 2 when something does, 1 on error')
    .option(
      '--prune',
      'plan to delete live flows of the managed types that no file describes (never one an IVR, a queue or another flow points at: such a delete is shown refused)',
    )
    .option('--no-cache', 'do not reuse exported content from .flowops/cache')
    .option(
      '--changed-since <ref>',
      'plan only the flows whose files changed since REF (a commit, branch or tag), and the callers of changed modules',
    )
    .option(
      '--rename <OLD=NEW>',
      'the flow named NEW in the files is the live flow named OLD, renamed (it keeps its id); repeatable. Not needed for flows flowops applied: their audit note and git history tell',
      (value: string, all: string[] = []) => [...all, value],
    )
    .option(
      '--github-comment',
      'post the markdown plan on the pull request, editing the same comment on later runs (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH)',
    )
    .action(async (options: PlanOptions, command: Command) => {
      process.exitCode = await runPlan(options, globalOptions(command));
    });
}

export async function runPlan(options: PlanOptions, global: GlobalOptions): Promise<number> {
  const out = new Output({ color: global.color, secrets: [process.env.GITHUB_TOKEN ?? ''] });
  const result = await makePlan(
    {
      configPath: global.config,
      environment: options.env,
      prune: options.prune === true,
      cache: options.cache !== false,
      changedSince: options.changedSince,
      renames: options.rename ?? [],
    },
    operationContext(out, global),
  );
  const { plan } = result;
  // The markdown is made only where it goes: a file, a comment, a job summary (most plans need none).
  let made: string | undefined;
  const markdown = async () => (made ??= out.redact(await planMarkdown(result, options)));
  // A plan naming objects the org lacks would fail at publish: it is shown (and posted) but not saved.
  const failed = hasReferenceErrors(plan.references);
  if (options.out && !failed) await writeAtomically(options.out, out.redact(JSON.stringify(plan, null, 2)) + '\n');
  if (options.markdown) await writeAtomically(options.markdown, await markdown());
  // Like the markdown, written also when the plan fails its checks: the drawing helps find why.
  if (options.html) {
    // Loaded only when asked for: elkjs is 1.6 MB of JavaScript that every other plan would parse.
    const { renderPlanHtml } = await import('../render/html/plan-report.js');
    const title = result.scope?.title.replace(/`/g, '');
    await writeAtomically(options.html, out.redact(await renderPlanHtml(plan, { title })));
  }
  const problems = referenceDiagnostics(plan.references);
  if (global.json) {
    out.json(plan);
    // stdout is the plan; the problems and notes go to stderr as lines.
    for (const d of problems) out.info(`${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`);
    for (const note of uncheckedNotes(plan.references)) out.info(note);
  } else {
    out.line(renderPlanText(plan, out.colors));
    if (options.out && !failed)
      out.line(`\nSaved the plan to ${options.out}. Apply exactly this plan with: flowops apply ${options.out}`);
    if (process.env.GITHUB_ACTIONS === 'true') for (const d of problems) out.annotation(d);
  }
  // The job summary (1 MiB) has room for more drawings than a comment.
  const summary = async () =>
    process.env.GITHUB_ACTIONS === 'true' && process.env.GITHUB_STEP_SUMMARY
      ? out.redact(await planMarkdown(result, options, SUMMARY_DIAGRAMS))
      : await markdown();
  await publishPlanOnGitHub({ comment: markdown, summary }, plan.environment, options.githubComment === true, out);
  if (failed) {
    const n = problems.filter((d) => d.severity === 'error').length;
    out.info(
      `The flows name ${n} object(s) that environment ${plan.environment} lacks${options.out ? `: the plan was not saved to ${options.out}` : ''}. Create them in the org, fix the names, or set references: warn for the environment in flowops.yaml.`,
    );
    return 1;
  }
  if (options.detailedExitcode) return hasChanges(plan) ? 2 : 0;
  return 0;
}

/**
 * The markdown plan; with --changed-since, under its own title and followed by the notes of what was
 * left out. `more`: the job summary's bounds on drawings. Its renderer (and the drawings') is loaded
 * only when a plan is written as markdown.
 */
async function planMarkdown(
  { plan, scope }: PlanResult,
  options: PlanOptions,
  more: Partial<NonNullable<PlanMarkdownOptions['diagrams']>> = {},
): Promise<string> {
  const [{ renderPlanMarkdown }, { reportPointer }] = await Promise.all([
    import('../render/markdown.js'),
    import('../render/markdown-diagrams.js'),
  ]);
  // The comment's drawings: where the flows it does not draw are (the HTML report among the run's
  // artifacts, the file `--html` wrote, or how to make one), and whether the job summary draws more.
  const actions = process.env.GITHUB_ACTIONS === 'true';
  const diagrams = {
    report: reportPointer(options.html, actions ? workflowRunUrl(process.env) : undefined),
    summaryDrawsMore: actions && Boolean(process.env.GITHUB_STEP_SUMMARY),
    ...more,
  };
  if (!scope) return renderPlanMarkdown(plan, { diagrams });
  const notes = scope.notes.length ? `\n${scope.notes.map((n) => `> ${n}`).join('\n>\n')}\n` : '';
  return renderPlanMarkdown(plan, { title: scope.title, diagrams }) + notes;
}

/** The job summary's bounds on drawings: more of them than a comment's (markdown-diagrams.ts). */
const SUMMARY_DIAGRAMS = { max: 50, maxTotalChars: 400_000, summaryDrawsMore: false };
