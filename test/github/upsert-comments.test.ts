import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemoteError } from '../../src/errors.js';
import { createGitHubClient, shouldRetryRateLimit } from '../../src/github/client.js';
import { upsertPlanComments } from '../../src/github/upsert-comments.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';

let github: FakeGitHub;
let logs: string[];
const target = { owner: 'acme', repo: 'flows', issueNumber: 7 };
const client = (token = github.token) => createGitHubClient({ token, apiUrl: github.url, log: (m) => logs.push(m) });

beforeEach(async () => {
  github = await startFakeGitHub();
  logs = [];
});
afterEach(async () => {
  expect(github.unexpected).toEqual([]);
  await github.close();
});

describe('upsertPlanComments (octokit against a local stand-in for the GitHub API)', () => {
  it('finds its comment among many (pages of 100) and edits it', async () => {
    for (let i = 0; i < 150; i++) github.addComment(7, `comment ${i}`, 'someone');
    const ours = github.addComment(7, '<!-- flowops-plan:prod -->\nold plan');
    github.addComment(7, 'after', 'someone');
    const result = await upsertPlanComments(client(), target, 'prod', ['<!-- flowops-plan:prod -->\nnew plan']);
    expect(result).toEqual({ created: 0, updated: 1, kept: 0, deleted: 0, url: ours.html_url });
    expect(github.comments.get(ours.id)!.body).toBe('<!-- flowops-plan:prod -->\nnew plan');
    expect(github.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
  });

  it("waits out GitHub's secondary rate limit (403 with retry-after) and then writes once", async () => {
    github.secondaryRateLimit('POST', 1, 1);
    const started = Date.now();
    const result = await upsertPlanComments(client(), target, 'prod', ['<!-- flowops-plan:prod -->\nplan']);
    expect(result.created).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(github.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([403, 201]);
    expect(github.issueComments(7)).toHaveLength(1);
    expect(logs.join('\n')).toMatch(/GitHub secondary rate limit on POST .*: retrying in 1s \(retry 1 of 3\)/);
  });

  it('a refusal that is not a rate limit fails at once, saying what to fix, without the token', async () => {
    const r = upsertPlanComments(client('ghs_wrongToken987'), target, 'prod', ['<!-- flowops-plan:prod -->\nplan']);
    await expect(r).rejects.toBeInstanceOf(RemoteError);
    await expect(r).rejects.toThrow(
      /^GitHub: could not read the comments of pull request #7 of acme\/flows \(401 Bad credentials\): GITHUB_TOKEN is not a valid token$/,
    );
    await r.catch((err: Error) => expect(err.message).not.toContain('ghs_wrongToken987'));
    expect(github.requests).toHaveLength(1);
  });

  it('gives up on a rate limit after a few retries, or at once when the wait is too long', () => {
    expect(shouldRetryRateLimit(60, 0)).toBe(true);
    expect(shouldRetryRateLimit(60, 3)).toBe(false);
    expect(shouldRetryRateLimit(3600, 0)).toBe(false);
  });
});
