import { RemoteError } from '../errors.js';
import type { GitHubClient } from './client.js';
import { planCommentWrites, type CommentWrite } from './comment-writes.js';

export interface CommentTarget {
  owner: string;
  repo: string;
  /** A pull request's number is also its issue number: its conversation is the issue's comments. */
  issueNumber: number;
}

export interface UpsertResult {
  created: number;
  updated: number;
  kept: number;
  deleted: number;
  /** The first part's address. */
  url?: string;
}

/** Reads the pull request's comments, decides (planCommentWrites) and carries the writes out. */
export async function upsertPlanComments(
  client: GitHubClient,
  target: CommentTarget,
  environment: string,
  bodies: readonly string[],
): Promise<UpsertResult> {
  const { owner, repo, issueNumber } = target;
  const existing = await guarded('read the comments of', target, () =>
    client.paginate(client.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 }),
  );
  const writes = planCommentWrites(
    existing.map((c) => ({ id: c.id, body: c.body ?? '' })),
    bodies,
    environment,
  );
  const urls = new Map(existing.map((c) => [c.id, c.html_url]));
  const result: UpsertResult = { created: 0, updated: 0, kept: 0, deleted: 0 };
  for (const write of writes) {
    const url = await carryOut(client, target, write, urls);
    if (write.part === 1 && write.op !== 'delete') result.url = url;
  }
  for (const w of writes)
    result[w.op === 'create' ? 'created' : w.op === 'update' ? 'updated' : w.op === 'keep' ? 'kept' : 'deleted']++;
  return result;
}

async function carryOut(
  client: GitHubClient,
  target: CommentTarget,
  write: CommentWrite,
  urls: Map<number, string>,
): Promise<string | undefined> {
  const { owner, repo, issueNumber } = target;
  switch (write.op) {
    case 'keep':
      return urls.get(write.id);
    case 'create':
      return (
        await guarded('comment on', target, () =>
          client.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body: write.body }),
        )
      ).data.html_url;
    case 'update':
      return (
        await guarded('edit the plan comment on', target, () =>
          client.rest.issues.updateComment({ owner, repo, comment_id: write.id, body: write.body }),
        )
      ).data.html_url;
    case 'delete':
      await guarded('delete an old part of the plan comment on', target, () =>
        client.rest.issues.deleteComment({ owner, repo, comment_id: write.id }),
      );
      return undefined;
  }
}

/** GitHub's refusals as one line that says what to fix (the token is never part of it). */
async function guarded<T>(action: string, target: CommentTarget, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const status =
      typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : undefined;
    const message = (err instanceof Error ? err.message : String(err))
      .split('\n')[0]!
      .replace(/ - https:\/\/docs\.github\.com\S*$/, '');
    const where = `pull request #${target.issueNumber} of ${target.owner}/${target.repo}`;
    throw new RemoteError(
      `GitHub: could not ${action} ${where}${status ? ` (${status} ${message})` : `: ${message}`}${hint(status)}`,
      status,
    );
  }
}

function hint(status: number | undefined): string {
  if (status === 401) return ': GITHUB_TOKEN is not a valid token';
  if (status === 403)
    return ': the job needs `permissions: pull-requests: write` (a pull request from a fork only gets a read-only token)';
  if (status === 404) return ': no such pull request, or the token cannot see the repository';
  return '';
}
