import { describe, expect, it } from 'vitest';
import { parsePlanMarker, planMarker } from '../../src/github/markers.js';
import { COMMENT_MAX_LENGTH, planCommentBodies } from '../../src/github/plan-comment.js';
import { cutBlock, markdownBlocks, packBlocks, utf8Bytes } from '../../src/github/split-markdown.js';
import { stepSummaryText } from '../../src/github/step-summary.js';

/** A plan's markdown as renderPlanMarkdown shapes it: header, table, one <details> per flow, a graph. */
function planMarkdown(flows: number, rowsPerFlow: number, cell = 'x'): string {
  const out = [
    '### flowops plan: `prod` at `abc1234`',
    '',
    '| create | update |',
    '|---:|---:|',
    `| 0 | ${flows} |`,
    '',
  ];
  for (let f = 0; f < flows; f++) {
    out.push(
      `<details><summary>~ <b>update</b> inboundcall <code>Line ${f}</code></summary>`,
      '',
      `file \`flows/line-${f}.yaml\``,
      '',
      '| | where | was | becomes |',
      '|---|---|---|---|',
    );
    for (let r = 0; r < rowsPerFlow; r++)
      out.push(`| ~ | \`action ${r}\` | \`"${cell.repeat(20)} ${r}"\` | \`"new ${r}"\` |`);
    out.push('', '</details>', '');
  }
  out.push(
    '<details><summary>Modules and their callers</summary>',
    '',
    '```mermaid',
    'graph LR',
    '',
    '  f0 --> f1',
    '```',
    '',
    '</details>',
    '',
  );
  return out.join('\n');
}

function balanced(body: string): boolean {
  const opens = body.match(/<details[\s>]/g)?.length ?? 0;
  const closes = body.match(/<\/details>/g)?.length ?? 0;
  const fences = body.split('\n').filter((l) => l.trimStart().startsWith('```')).length;
  return opens === closes && fences % 2 === 0;
}

describe('markdown blocks', () => {
  it('cuts between top-level blocks only: never inside a <details> section or a code fence', () => {
    const blocks = markdownBlocks(planMarkdown(2, 3));
    expect(blocks).toHaveLength(2 + 2 + 1); // heading, table, two flows, the graph (its fence has a blank line)
    expect(blocks[2]).toMatch(/^<details><summary>.*Line 0/);
    expect(blocks[2]).toMatch(/<\/details>$/);
    expect(blocks[4]).toContain('graph LR\n\n  f0 --> f1');
    for (const b of blocks) expect(balanced(b)).toBe(true);
    expect(blocks.join('\n\n')).toBe(planMarkdown(2, 3).trimEnd());
  });

  it('a block longer than the budget keeps its first lines, closes what it opened and says so', () => {
    const block = markdownBlocks(planMarkdown(1, 500))[2]!;
    const cut = cutBlock(block, 2_000);
    expect(cut.length).toBeLessThanOrEqual(2_000);
    expect(balanced(cut)).toBe(true);
    expect(cut).toMatch(/<\/details>\n\n_… this section is longer than one comment can hold/);
    const fenced = cutBlock('```\n' + 'line\n'.repeat(1000) + '```', 300);
    expect(fenced.length).toBeLessThanOrEqual(300);
    expect(balanced(fenced)).toBe(true);
  });

  it('packs blocks in order and stops after the last allowed piece', () => {
    const blocks = ['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40), 'd'.repeat(40)];
    expect(packBlocks(blocks, 100, 10)).toEqual({
      parts: [
        [blocks[0], blocks[1]],
        [blocks[2], blocks[3]],
      ],
      omitted: 0,
    });
    expect(packBlocks(blocks, 50, 2)).toEqual({ parts: [[blocks[0]], [blocks[1]]], omitted: 2 });
  });
});

describe('plan comment bodies', () => {
  it('a plan that fits is one comment: the marker, then the plan as rendered', () => {
    const md = planMarkdown(3, 5);
    const bodies = planCommentBodies(md, { environment: 'prod' });
    expect(bodies).toEqual([`<!-- flowops-plan:prod -->\n${md.trimEnd()}`]);
  });

  it("a plan longer than a comment is split between flows into parts, each under GitHub's limit", () => {
    const md = planMarkdown(120, 30);
    expect(md.length).toBeGreaterThan(2 * COMMENT_MAX_LENGTH);
    const bodies = planCommentBodies(md, { environment: 'prod' });
    expect(bodies.length).toBeGreaterThanOrEqual(3);
    bodies.forEach((body, i) => {
      expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_LENGTH);
      expect(parsePlanMarker(body)).toEqual({ environment: 'prod', part: i + 1 });
      expect(balanced(body)).toBe(true);
      if (i > 0) expect(body).toContain(`_flowops plan for \`prod\`, continued: part ${i + 1} of ${bodies.length}._`);
      if (i < bodies.length - 1) expect(body).toContain(`the plan continues in part ${i + 2}`);
    });
    // Nothing lost, nothing repeated: every flow's section is in exactly one part.
    for (let f = 0; f < 120; f++) expect(bodies.filter((b) => b.includes(`<code>Line ${f}</code>`))).toHaveLength(1);
  });

  it('past the most parts allowed, the last part points to the job summary of the run', () => {
    const md = planMarkdown(60, 30);
    const bodies = planCommentBodies(md, {
      environment: 'prod',
      maxLength: 10_000,
      maxParts: 2,
      runUrl: 'https://github.com/acme/flows/actions/runs/42',
    });
    expect(bodies).toHaveLength(2);
    for (const b of bodies) expect(b.length).toBeLessThanOrEqual(10_000);
    expect(bodies[1]).toMatch(
      /_\d+ more section\(s\) of the plan did not fit in 2 comment\(s\): the whole plan is in the job summary of \[this run\]\(https:\/\/github.com\/acme\/flows\/actions\/runs\/42\)._$/,
    );
  });

  it('markers are per environment and only count at the very start of a comment', () => {
    expect(planMarker('prod')).toBe('<!-- flowops-plan:prod -->');
    expect(planMarker('prod', 3)).toBe('<!-- flowops-plan:prod part 3 -->');
    expect(parsePlanMarker('<!-- flowops-plan:dev.eu-1 part 2 -->\nplan')).toEqual({
      environment: 'dev.eu-1',
      part: 2,
    });
    expect(parsePlanMarker('> <!-- flowops-plan:prod -->\nquoted')).toBeUndefined();
    expect(planMarker('a b-->c')).toBe('<!-- flowops-plan:a_b--_c -->');
  });
});

describe('job summary', () => {
  it('the whole plan when it fits; else cut between blocks under the room left, with a note', () => {
    const md = planMarkdown(5, 5);
    expect(stepSummaryText(md, 1_000_000)).toBe(`${md.trimEnd()}\n\n`);
    const big = planMarkdown(200, 40, 'é');
    const text = stepSummaryText(big, 100_000);
    expect(utf8Bytes(text)).toBeLessThanOrEqual(100_000);
    expect(balanced(text)).toBe(true);
    expect(text).toMatch(/more section\(s\) of the plan are not shown: a job summary holds at most 1 MiB/);
  });
});
