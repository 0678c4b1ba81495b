import { createGitHubClient } from './client.js';
import { gitHubApiUrl, gitHubRepository, gitHubToken, workflowRunUrl } from './context.js';
import { readGitHubEvent } from './event.js';
import { planCommentBodies } from './plan-comment.js';
import { pullRequestNumber } from './pull-request.js';
import { upsertPlanComments, type UpsertResult } from './upsert-comments.js';

export interface PostPlanCommentInput {
  /** The plan as markdown, secrets already masked. */
  markdown: string;
  environment: string;
  env: Readonly<Record<string, string | undefined>>;
  log: (message: string) => void;
}

export type PostPlanCommentResult =
  | { posted: false; reason: string }
  | { posted: true; pullRequest: number; parts: number; result: UpsertResult };

/**
 * `flowops plan --github-comment`: shows the plan on the pull request, editing the comment(s) an
 * earlier run of the same environment left there. Outside a pull request there is nothing to
 * comment on: that is said, not an error (one workflow step can serve pushes and pull requests).
 */
export async function postPlanComment(input: PostPlanCommentInput): Promise<PostPlanCommentResult> {
  const token = gitHubToken(input.env);
  const { owner, repo } = gitHubRepository(input.env);
  const pullRequest = pullRequestNumber(input.env, await readGitHubEvent(input.env));
  if (pullRequest === undefined) {
    return {
      posted: false,
      reason: 'no pull request in GITHUB_EVENT_PATH or FLOWOPS_PR_NUMBER: the plan was not posted as a comment',
    };
  }
  const runUrl = workflowRunUrl(input.env);
  const bodies = planCommentBodies(input.markdown, { environment: input.environment, ...(runUrl ? { runUrl } : {}) });
  const client = createGitHubClient({ token, apiUrl: gitHubApiUrl(input.env), log: input.log });
  const result = await upsertPlanComments(client, { owner, repo, issueNumber: pullRequest }, input.environment, bodies);
  return { posted: true, pullRequest, parts: bodies.length, result };
}
