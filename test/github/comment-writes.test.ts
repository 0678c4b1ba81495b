import { describe, expect, it } from 'vitest';
import { planCommentWrites } from '../../src/github/comment-writes.js';
import { pullRequestNumber } from '../../src/github/pull-request.js';

const body = (env: string, part: number, text: string) =>
  `${part === 1 ? `<!-- flowops-plan:${env} -->` : `<!-- flowops-plan:${env} part ${part} -->`}\n${text}`;

describe('planCommentWrites', () => {
  it('no comment yet: create each part', () => {
    expect(planCommentWrites([], [body('prod', 1, 'a'), body('prod', 2, 'b')], 'prod')).toEqual([
      { op: 'create', part: 1, body: body('prod', 1, 'a') },
      { op: 'create', part: 2, body: body('prod', 2, 'b') },
    ]);
  });

  it('edits its own parts, keeps an identical one, ignores other environments and people', () => {
    const existing = [
      { id: 1, body: 'LGTM' },
      { id: 2, body: body('prod', 1, 'old') },
      { id: 3, body: body('dev', 1, 'dev plan') },
      { id: 4, body: `> ${body('prod', 1, 'quoted by a reviewer')}` },
      { id: 5, body: body('prod', 2, 'same').replace(/\n/g, '\r\n') },
    ];
    expect(planCommentWrites(existing, [body('prod', 1, 'new'), body('prod', 2, 'same')], 'prod')).toEqual([
      { op: 'update', part: 1, id: 2, body: body('prod', 1, 'new') },
      { op: 'keep', part: 2, id: 5 },
    ]);
  });

  it('a shorter plan deletes the parts it no longer needs; duplicates of a part go too (oldest stays)', () => {
    const existing = [
      { id: 10, body: body('prod', 1, 'a') },
      { id: 11, body: body('prod', 2, 'b') },
      { id: 12, body: body('prod', 3, 'c') },
      { id: 9, body: body('prod', 1, 'raced') },
    ];
    expect(planCommentWrites(existing, [body('prod', 1, 'only')], 'prod')).toEqual([
      { op: 'update', part: 1, id: 9, body: body('prod', 1, 'only') },
      { op: 'delete', part: 1, id: 10 },
      { op: 'delete', part: 2, id: 11 },
      { op: 'delete', part: 3, id: 12 },
    ]);
  });
});

describe('pullRequestNumber', () => {
  it('FLOWOPS_PR_NUMBER first; an empty or bad value falls through to the event', () => {
    expect(pullRequestNumber({ FLOWOPS_PR_NUMBER: '42' }, { pull_request: { number: 7 } })).toBe(42);
    expect(pullRequestNumber({ FLOWOPS_PR_NUMBER: '' }, { pull_request: { number: 7 } })).toBe(7);
    expect(pullRequestNumber({ FLOWOPS_PR_NUMBER: 'abc' }, undefined)).toBeUndefined();
    expect(pullRequestNumber({ FLOWOPS_PR_NUMBER: '0' }, undefined)).toBeUndefined();
  });

  it('from the events that carry one; none for a push', () => {
    expect(pullRequestNumber({}, { number: 12, pull_request: { number: 12 } })).toBe(12);
    expect(pullRequestNumber({}, { issue: { number: 5, pull_request: { url: 'x' } } })).toBe(5);
    expect(pullRequestNumber({}, { issue: { number: 5 } })).toBeUndefined(); // a plain issue
    expect(pullRequestNumber({}, { workflow_run: { pull_requests: [{ number: 8 }] } })).toBe(8);
    expect(
      pullRequestNumber({}, { ref: 'refs/heads/main', head_commit: { message: 'Merge pull request #3' } }),
    ).toBeUndefined();
    expect(pullRequestNumber({}, 'not an object')).toBeUndefined();
  });
});
