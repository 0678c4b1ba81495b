import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';

/** Octokit with GitHub's recommended pacing of writes and retries (octokit's own plugins). */
const GitHubOctokit = Octokit.plugin(throttling, retry);
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

export interface GitHubClientOptions {
  token: string;
  /** `GITHUB_API_URL`: https://api.github.com, a GitHub Enterprise Server's `/api/v3`, or a test server. */
  apiUrl: string;
  /** Retries and warnings, for people (stderr, through Output so nothing secret is printed). */
  log: (message: string) => void;
}

/** Retries of one request after a rate limit: GitHub asks to give up after a few. */
export const MAX_RATE_LIMIT_RETRIES = 3;
/** A wait longer than this (a primary limit resetting in an hour) fails now instead. */
export const MAX_RATE_LIMIT_WAIT_SECONDS = 600;

/**
 * Whether to wait out a rate limit and retry. Pure. GitHub documents a secondary limit as a 403 or
 * 429 whose message says so, to be retried after `retry-after` seconds (else after a minute: the
 * throttling plugin's fallback), a bounded number of times; the plugin recognises it and asks here.
 */
export function shouldRetryRateLimit(retryAfterSeconds: number, retryCount: number): boolean {
  return retryCount < MAX_RATE_LIMIT_RETRIES && retryAfterSeconds <= MAX_RATE_LIMIT_WAIT_SECONDS;
}

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const again = shouldRetryRateLimit(retryAfter, retryCount);
      options.log(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}${again ? `: retrying in ${retryAfter}s (retry ${retryCount + 1} of ${MAX_RATE_LIMIT_RETRIES})` : ': giving up'}.`,
      );
      return again;
    };
  return new GitHubOctokit({
    auth: options.token,
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    userAgent: 'flowops',
    // Octokit logs through console by default; route what matters through our (masking) output.
    log: { debug: () => {}, info: () => {}, warn: (m: string) => options.log(`GitHub: ${m}`), error: () => {} },
    throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
    // 5xx and network errors; 4xx other than rate limits are answers, not accidents.
    retry: { retries: 3 },
  });
}
