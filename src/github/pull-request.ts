/**
 * The pull request a run belongs to, for the plan comment and for apply's audit record. Pure: the
 * caller reads the event file (readGitHubEvent in event.ts).
 *
 * 1. `FLOWOPS_PR_NUMBER`, when it is a positive whole number: a push to main has no pull request in
 *    its event, so the apply workflow looks it up (`gh api repos/OWNER/REPO/commits/SHA/pulls`) and
 *    passes it on; an empty value means "none found" and falls through.
 * 2. The event: `pull_request` / `pull_request_target` (`pull_request.number`), `issue_comment` on a
 *    pull request (`issue.number` when `issue.pull_request` is present), `workflow_run` (its first
 *    pull request). Shapes as GitHub's webhook payloads document them.
 */
export function pullRequestNumber(
  env: Readonly<Record<string, string | undefined>>,
  event: unknown,
): number | undefined {
  const fromEnv = positive(env.FLOWOPS_PR_NUMBER?.trim());
  if (fromEnv !== undefined) return fromEnv;
  if (!isObject(event)) return undefined;
  if (isObject(event.pull_request)) return positive(event.pull_request.number) ?? positive(event.number);
  if (isObject(event.issue) && event.issue.pull_request !== undefined && event.issue.pull_request !== null)
    return positive(event.issue.number);
  if (isObject(event.workflow_run) && Array.isArray(event.workflow_run.pull_requests)) {
    const first: unknown = event.workflow_run.pull_requests[0];
    if (isObject(first)) return positive(first.number);
  }
  return undefined;
}

function positive(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
