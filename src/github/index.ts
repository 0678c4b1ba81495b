/** The GitHub edge: pull request comments, the job summary, the pull request a run belongs to. */
export { createGitHubClient, shouldRetryRateLimit, type GitHubClient } from './client.js';
export { planCommentWrites, type CommentWrite, type ExistingComment } from './comment-writes.js';
export { gitHubApiUrl, gitHubRepository, gitHubToken, workflowRunUrl } from './context.js';
export { readGitHubEvent } from './event.js';
export { parsePlanMarker, planMarker } from './markers.js';
export { COMMENT_MAX_LENGTH, COMMENT_MAX_PARTS, planCommentBodies } from './plan-comment.js';
export { postPlanComment, type PostPlanCommentResult } from './post-plan-comment.js';
export { pullRequestNumber } from './pull-request.js';
export { appendStepSummary, STEP_SUMMARY_MAX_BYTES, stepSummaryText } from './step-summary.js';
export { upsertPlanComments, type UpsertResult } from './upsert-comments.js';
