import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { COMMENT_MAX_LENGTH } from '../../src/github/plan-comment.js';
import { startFakeGitHub, type FakeGitHub } from '../github/fake-github.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { mermaidBlocks } from '../helpers/mermaid-blocks.js';
import { editFile, makeDemoRepo } from '../helpers/demo-org.js';
import { credentials, emulatorForTest } from '../helpers/emulator.js';
import { tempDir } from '../helpers/temp-dir.js';
import { callerYaml, moduleYaml } from '../../bench/generate-org.js';

// `flowops plan --github-comment`, the real binary: the org is the emulator (through the SDK), GitHub
// is a local server standing in for its REST API (GITHUB_API_URL), as in a pull request's workflow run.

let emulator: RunningEmulator;
let github: FakeGitHub;
let repo: { dir: string; seedDir: string };
let work: string;
const outputs: CliResult[] = [];

function actionsEnv(e: RunningEmulator, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...credentials(e),
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/flows',
    GITHUB_RUN_ID: '4242',
    GITHUB_TOKEN: github.token,
    GITHUB_EVENT_PATH: join(work, 'event.json'),
    GITHUB_STEP_SUMMARY: join(work, 'summary.md'),
    FLOWOPS_PR_NUMBER: '',
    ...extra,
  };
}

async function plan(
  dir: string,
  e: RunningEmulator,
  extra: Record<string, string> = {},
  args: string[] = [],
): Promise<CliResult> {
  const r = await runCli(['plan', '--github-comment', ...args], { cwd: dir, env: actionsEnv(e, extra) });
  outputs.push(r);
  return r;
}

/** The demo's module reworded (`words` its prompt now) and planned: the pull request's comment as a test finds it. */
async function commentedWith(words: string): Promise<void> {
  editFile(
    join(repo.dir, 'flows/modules/tag-and-greet.yaml'),
    'tts: This is a message from the shared common module.',
    `tts: ${words}`,
  );
  expect((await plan(repo.dir, emulator)).code).toBe(0);
}

// Each test its own repository, org (the demo, seeded) and GitHub: no test sees another's comments.
beforeEach(async () => {
  repo = makeDemoRepo();
  emulator = await emulatorForTest({ seedDir: repo.seedDir });
  github = await startFakeGitHub();
  work = tempDir(
    {
      'event.json': JSON.stringify({
        action: 'synchronize',
        number: 7,
        pull_request: { number: 7, head: { sha: 'abc' } },
      }),
    },
    'gh-',
  );
});
afterEach(async () => {
  // Whatever happened, the token was never printed.
  for (const r of outputs.splice(0)) expect(r.stdout + r.stderr).not.toContain(github.token);
  expect(github.unexpected).toEqual([]);
  await github?.close();
});

describe('flowops plan --github-comment', () => {
  it('the first run comments the plan on the pull request and writes it to the job summary', async () => {
    editFile(
      join(repo.dir, 'flows/modules/tag-and-greet.yaml'),
      'tts: This is a message from the shared common module.',
      'tts: Hello from the shared module.',
    );
    const r = await plan(repo.dir, emulator, {}, ['--detailed-exitcode']);
    expect(r.code).toBe(2);
    const comments = github.issueComments(7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/^<!-- flowops-plan:test -->\n### flowops plan: `test`/);
    expect(comments[0]!.body).toContain('Hello from the shared module.');
    expect(r.stderr).toContain(
      `Plan posted on pull request #7 as one comment (1 created, 0 edited, 0 unchanged, 0 deleted): ${comments[0]!.html_url}.`,
    );
    const summary = readFileSync(join(work, 'summary.md'), 'utf8');
    expect(summary).toContain('### flowops plan: `test`');
    expect(summary).toContain('| 0 | 1 | 3 | 0 | 0 |');
    expect(summary).not.toContain('flowops-plan:'); // the marker is the comment's business
    // Each changed flow drawn (the module, its three republished callers), then the modules' graph.
    const drawings = mermaidBlocks(comments[0]!.body);
    expect(drawings).toHaveLength(5);
    expect(drawings[0]).toMatch(/"~ Shared message/);
    for (const d of drawings.slice(1, 4)) expect(d).toContain('"~ module: Shared Common Module - Tag and Greet"');
    expect(mermaidBlocks(summary)).toEqual(drawings);
  });

  it('a later run edits the same comment: still one comment, now with the new plan', async () => {
    await commentedWith('Hello from the shared module.');
    const first = github.issueComments(7)[0]!;
    editFile(
      join(repo.dir, 'flows/modules/tag-and-greet.yaml'),
      'tts: Hello from the shared module.',
      'tts: Hello again.',
    );
    const r = await plan(repo.dir, emulator);
    expect(r.code).toBe(0);
    const comments = github.issueComments(7);
    expect(comments.map((c) => c.id)).toEqual([first.id]);
    expect(comments[0]!.body).toContain('Hello again.');
    expect(comments[0]!.body).not.toContain('Hello from the shared module.');
    expect(github.requests.filter((q) => q.method === 'POST')).toHaveLength(1);
    expect(github.requests.filter((q) => q.method === 'PATCH')).toHaveLength(1);
    expect(r.stderr).toContain('(0 created, 1 edited, 0 unchanged, 0 deleted)');
    // The job summary of each step gets its plan appended.
    expect(readFileSync(join(work, 'summary.md'), 'utf8').match(/### flowops plan: `test`/g)).toHaveLength(2);
  });

  it("GitHub's secondary rate limit (403, retry-after) is waited out and the edit goes through", async () => {
    await commentedWith('Hello again.');
    editFile(join(repo.dir, 'flows/modules/tag-and-greet.yaml'), 'tts: Hello again.', 'tts: Hello a third time.');
    github.secondaryRateLimit('PATCH', 1, 1);
    const before = github.requests.length;
    const r = await plan(repo.dir, emulator);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/GitHub secondary rate limit on PATCH .*: retrying in 1s \(retry 1 of 3\)\./);
    expect(github.requests.slice(before).map((q) => `${q.method} ${q.status}`)).toEqual([
      'GET 200',
      'PATCH 403',
      'PATCH 200',
    ]);
    expect(github.issueComments(7)).toHaveLength(1);
    expect(github.issueComments(7)[0]!.body).toContain('Hello a third time.');
  });

  it('another environment gets its own comment; an unchanged plan is left as it is', async () => {
    await commentedWith('Hello a third time.');
    const before = github.requests.length;
    const r = await plan(repo.dir, emulator);
    expect(r.stderr).toContain('(0 created, 0 edited, 1 unchanged, 0 deleted)');
    expect(github.requests.slice(before).map((q) => q.method)).toEqual(['GET']);
    // The same flows planned as environment "staging": a second, separate comment.
    const config = readFileSync(join(repo.dir, 'flowops.yaml'), 'utf8');
    writeFileSync(
      join(repo.dir, 'flowops.yaml'),
      config
        .replace('environments:\n  test:', 'environments:\n  staging:')
        .replace('defaultEnvironment: test', 'defaultEnvironment: staging'),
    );
    try {
      const s = await plan(repo.dir, emulator);
      expect(s.code).toBe(0);
    } finally {
      writeFileSync(join(repo.dir, 'flowops.yaml'), config);
    }
    expect(github.issueComments(7).map((c) => c.body.split('\n')[0])).toEqual([
      '<!-- flowops-plan:test -->',
      '<!-- flowops-plan:staging -->',
    ]);
  });

  it('outside a pull request nothing is posted, and it says so; the plan itself succeeds', async () => {
    writeFileSync(join(work, 'push.json'), JSON.stringify({ ref: 'refs/heads/main', after: 'abc' }));
    const before = github.requests.length;
    const r = await plan(repo.dir, emulator, { GITHUB_EVENT_PATH: join(work, 'push.json') });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'no pull request in GITHUB_EVENT_PATH or FLOWOPS_PR_NUMBER: the plan was not posted as a comment',
    );
    expect(github.requests.length).toBe(before);
  });

  it('without GITHUB_TOKEN: one line saying what is missing, exit 1', async () => {
    const r = await plan(repo.dir, emulator, { GITHUB_TOKEN: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: --github-comment needs GITHUB_TOKEN/m);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('a wrong token: GitHub refuses, exit 1 with its answer, the token never printed', async () => {
    const r = await plan(repo.dir, emulator, { GITHUB_TOKEN: 'ghs_notTheRightOne42' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: GitHub: could not read the comments of pull request #7 of acme/flows (401 Bad credentials)',
    );
    expect(r.stdout + r.stderr).not.toContain('ghs_notTheRightOne42');
  });
});

describe('flowops plan --github-comment, a plan longer than one comment', () => {
  let big: RunningEmulator;
  let dir: string;
  const N = 100;

  beforeEach(async () => {
    // An org of N lines with 12 announcements each; the repository rewords every announcement.
    dir = tempDir({}, 'big-');
    const seed = join(dir, 'seed');
    mkdirSync(join(dir, 'flows'));
    mkdirSync(seed);
    writeFileSync(
      join(dir, 'flowops.yaml'),
      'flows: flows/*.yaml\nenvironments:\n  prod:\n    region: mypurecloud.com\n',
    );
    for (const d of [join(dir, 'flows'), seed]) writeFileSync(join(d, 'module-0.yaml'), moduleYaml(0));
    for (let i = 0; i < N; i++) {
      writeFileSync(join(seed, `line-${i}.yaml`), callerYaml(i, 0, { actions: 12 }));
      writeFileSync(
        join(dir, 'flows', `line-${i}.yaml`),
        callerYaml(i, 0, { actions: 12 }).replace(/tts: "Line (\d+) step/g, 'tts: "Reworded line $1, announcement'),
      );
    }
    big = await emulatorForTest({ seedDir: seed });
    expect(big.seeded).toBe(N + 1);
  });

  it('is split between flows into several comments, each within 65,536 characters; a shorter plan later needs fewer', async () => {
    const r = await plan(dir, big, { FLOWOPS_PR_NUMBER: '9' }, ['--markdown', 'plan.md']);
    expect(r.code).toBe(0);
    const markdown = readFileSync(join(dir, 'plan.md'), 'utf8');
    expect(markdown.length).toBeGreaterThan(2 * COMMENT_MAX_LENGTH);
    const comments = github.issueComments(9);
    expect(comments.length).toBeGreaterThanOrEqual(3);
    comments.forEach((c, i) => {
      expect(c.body.length).toBeLessThanOrEqual(COMMENT_MAX_LENGTH);
      expect(c.body.split('\n')[0]).toBe(
        i === 0 ? '<!-- flowops-plan:prod -->' : `<!-- flowops-plan:prod part ${i + 1} -->`,
      );
    });
    expect(comments[1]!.body).toContain(`_flowops plan for \`prod\`, continued: part 2 of ${comments.length}._`);
    // Every line's section is in exactly one of the comments.
    for (let i = 0; i < N; i++)
      expect(comments.filter((c) => c.body.includes(`<code>Line ${i}</code>`))).toHaveLength(1);
    expect(r.stderr).toContain(
      `as ${comments.length} comments (${comments.length} created, 0 edited, 0 unchanged, 0 deleted)`,
    );
    // The comments draw 10 of the changed lines, each drawing whole; the job summary 50; both say where the rest are.
    const drawn = comments.flatMap((c) => mermaidBlocks(c.body));
    expect(drawn.filter((d) => d.includes('"~ '))).toHaveLength(10);
    expect(comments.map((c) => c.body).join('\n')).toContain(
      '_90 more changed flow(s) are not drawn here: the HTML report (`flowops plan --html FILE`) and the job summary draw them._',
    );
    const summary = readFileSync(join(work, 'summary.md'), 'utf8');
    expect(mermaidBlocks(summary).filter((d) => d.includes('"~ '))).toHaveLength(50);
    expect(summary).toContain(
      '_50 more changed flow(s) are not drawn here: the HTML report (`flowops plan --html FILE`) draws them._',
    );

    // Most lines back as they were: the plan fits in one comment, the other parts are deleted.
    for (let i = 10; i < N; i++) writeFileSync(join(dir, 'flows', `line-${i}.yaml`), callerYaml(i, 0, { actions: 12 }));
    const again = await plan(dir, big, { FLOWOPS_PR_NUMBER: '9' });
    expect(again.code).toBe(0);
    const now = github.issueComments(9);
    expect(now.map((c) => c.id)).toEqual([comments[0]!.id]);
    expect(again.stderr).toContain(`as one comment (0 created, 1 edited, 0 unchanged, ${comments.length - 1} deleted)`);
    expect(existsSync(join(work, 'summary.md'))).toBe(true);
  });
});
