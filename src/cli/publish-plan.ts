/**
 * A plan's outputs on GitHub: under GitHub Actions the job summary, and with --github-comment the
 * pull request's comment (github/post-plan-comment.ts finds and edits it). Outputs like the
 * --markdown file, so the command line writes them, and says what became of them on stderr.
 */
import { appendStepSummary } from '../github/step-summary.js';
import type { Output } from './output.js';

export async function publishPlanOnGitHub(
  /** The comment's markdown, and the job summary's (with more drawings: it has more room), made when needed. */
  markdown: { comment: () => Promise<string>; summary: () => Promise<string> },
  environment: string,
  comment: boolean,
  out: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const summary = env.GITHUB_STEP_SUMMARY;
  if (env.GITHUB_ACTIONS === 'true' && summary) {
    const written = await appendStepSummary(summary, await markdown.summary());
    if (!written.complete) out.info('The plan is too long for the job summary (1 MiB): its end is left out there.');
  }
  if (!comment) return;
  // Loaded only when a comment is posted: Octokit is not part of every plan's start.
  const { postPlanComment } = await import('../github/post-plan-comment.js');
  const posted = await postPlanComment({
    markdown: await markdown.comment(),
    environment,
    env,
    log: (m) => out.info(m),
  });
  if (!posted.posted) out.info(posted.reason);
  else {
    const r = posted.result;
    const parts = posted.parts === 1 ? 'one comment' : `${posted.parts} comments`;
    out.info(
      `Plan posted on pull request #${posted.pullRequest} as ${parts} (${r.created} created, ${r.updated} edited, ${r.kept} unchanged, ${r.deleted} deleted)${r.url ? `: ${r.url}` : ''}.`,
    );
  }
}
