import { UsageError } from '../errors.js';

type Env = Readonly<Record<string, string | undefined>>;

/** `GITHUB_API_URL`, set by the runner (GitHub Enterprise Server included); api.github.com otherwise. */
export function gitHubApiUrl(env: Env): string {
  return env.GITHUB_API_URL?.trim() || 'https://api.github.com';
}

/** `GITHUB_REPOSITORY` is `owner/name`. */
export function gitHubRepository(env: Env): { owner: string; repo: string } {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(env.GITHUB_REPOSITORY?.trim() ?? '');
  if (!m) throw new UsageError('--github-comment needs GITHUB_REPOSITORY=owner/name (set by GitHub Actions)');
  return { owner: m[1]!, repo: m[2]! };
}

export function gitHubToken(env: Env): string {
  const token = env.GITHUB_TOKEN?.trim();
  if (!token)
    throw new UsageError(
      '--github-comment needs GITHUB_TOKEN: in a workflow, `env: GITHUB_TOKEN: ${{ github.token }}` and `permissions: pull-requests: write`',
    );
  return token;
}

/** The workflow run's page (its summary holds the whole plan), when the runner says which run this is. */
export function workflowRunUrl(env: Env): string | undefined {
  const server = env.GITHUB_SERVER_URL?.trim().replace(/\/+$/, '');
  const repository = env.GITHUB_REPOSITORY?.trim();
  const run = env.GITHUB_RUN_ID?.trim();
  if (!server || !repository || !run || !/^\d+$/.test(run)) return undefined;
  return `${server}/${repository}/actions/runs/${run}`;
}
