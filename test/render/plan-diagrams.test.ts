import { describe, expect, it } from 'vitest';
import { planCommentBodies } from '../../src/github/plan-comment.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { reportPointer, UNCHANGED_GRAPH } from '../../src/render/markdown-diagrams.js';
import { planOf } from '../helpers/drawn-plan.js';
import { mermaidBlocks } from '../helpers/mermaid-blocks.js';

// The drawings in the markdown plan (pull request comment, job summary): where they sit, their
// bounds, the pointer to where the rest are drawn, secrets, and the comment's splitting.
/** A module-free inbound flow: a task of `steps` play-audio actions, the one at `changed` renamed. */
const line = (name: string, steps: number, changed = -1, stepName = (i: number) => `Step ${i}`) =>
  `inboundCall:\n  name: ${name}\n  startUpRef: "/inboundCall/tasks/task[s]"\n  tasks:\n    - task:\n        name: Start\n        refId: s\n        actions:\n${Array.from(
    { length: steps },
    (_, i) =>
      `          - playAudio:\n              name: "${i === changed ? 'Renamed step' : stepName(i)}"\n              audio: {tts: "x"}\n`,
  ).join('')}          - disconnect: {name: Bye}\n`;

/** `count` new flows, each `steps` actions long. */
const creates = (count: number, steps = 3) =>
  planOf(Object.fromEntries(Array.from({ length: count }, (_, i) => [`f${i}.yaml`, line(`Line ${i}`, steps)])));

describe('drawings in the markdown plan', () => {
  it("an updated flow's section holds its drawing, before the table of changes, with a caption", () => {
    const plan = planOf({ 'a.yaml': line('Alpha', 30, 12) }, { 'a.yaml': line('Alpha', 30) });
    const md = renderPlanMarkdown(plan);
    const [block] = mermaidBlocks(md);
    expect(block).toContain('~ Renamed step');
    expect(block).toMatch(/class n\d+ changed/);
    const section = md.slice(md.indexOf('<details><summary>~ <b>update</b>'), md.indexOf('</details>'));
    expect(section.indexOf('```mermaid')).toBeGreaterThan(0);
    expect(section.indexOf('```mermaid')).toBeLessThan(section.indexOf('| | where | was | becomes |'));
    expect(section).toMatch(/_Drawn: the part around the change, \d+ of \d+ nodes/);
    expect(section).toContain('Marked `+` added, `−` removed, `~` changed');
  });

  it('draws at most 10 flows by default; the rest are pointed to the HTML report', () => {
    const md = renderPlanMarkdown(creates(13));
    expect(mermaidBlocks(md).length).toBe(10);
    expect(md).toContain(
      '_3 more changed flow(s) are not drawn here: the HTML report (`flowops plan --html FILE`) draws them._',
    );
    // The summary draws more; the comment says the job summary has them, and where the report is.
    const report = "the HTML report among [this run's artifacts](https://github.com/o/r/actions/runs/7#artifacts)";
    const comment = renderPlanMarkdown(creates(13), { diagrams: { report, summaryDrawsMore: true } });
    expect(comment).toContain(`_3 more changed flow(s) are not drawn here: ${report} and the job summary draw them._`);
    expect(mermaidBlocks(renderPlanMarkdown(creates(13), { diagrams: { max: 50 } })).length).toBe(13);
  });

  it('bounds the total size of the drawings', () => {
    const plan = creates(6, 20);
    const one = mermaidBlocks(renderPlanMarkdown(plan))[0]!.length;
    const md = renderPlanMarkdown(plan, { diagrams: { maxTotalChars: one * 2 + 10 } });
    expect(mermaidBlocks(md).length).toBe(2);
    expect(md).toContain('_4 more changed flow(s) are not drawn here');
  });

  it('a change outside the graph (a setting, the name) is not drawn, and the section says why', () => {
    const plan = planOf(
      { 'a.yaml': line('Alpha', 3).replace('  startUpRef', '  description: New words\n  startUpRef') },
      { 'a.yaml': line('Alpha', 3) },
    );
    expect(plan.flows[0]!.action).toBe('update');
    const md = renderPlanMarkdown(plan);
    expect(mermaidBlocks(md)).toEqual([]);
    expect(md).toContain(UNCHANGED_GRAPH);
    expect(md).not.toContain('not drawn here');
  });

  it('an unchanged plan, and a flow without a graph change, draw nothing', () => {
    const same = planOf({ 'a.yaml': line('Alpha', 3) }, { 'a.yaml': line('Alpha', 3) });
    expect(mermaidBlocks(renderPlanMarkdown(same))).toEqual([]);
    expect(renderPlanMarkdown(same)).not.toContain('not drawn here');
  });

  it("a secret substitution in a changed item's name never reaches the markdown, raw or escaped", () => {
    const secret = 'pa"ss#wo<rd>-4711';
    const desired = line('Alpha', 5, -1, (i) => (i === 2 ? 'Greet {{token}}' : `Step ${i}`)).replace(
      '"Greet {{token}}"',
      "'Greet {{token}}'",
    );
    const plan = planOf({ 'a.yaml': desired }, { 'a.yaml': line('Alpha', 5) }, { token: secret }, ['token']);
    const md = renderPlanMarkdown(plan);
    const [block] = mermaidBlocks(md);
    expect(block).toMatch(/"~ (Greet )?\*\*\*/);
    for (const form of [secret, 'pa#quot;ss', '4711']) expect(md).not.toContain(form);
  });

  it('a plan split over several comments keeps each drawing whole in one comment', () => {
    const plan = creates(12, 120);
    const md = renderPlanMarkdown(plan, { diagrams: { max: 12, maxTotalChars: 1_000_000 } });
    const blocks = mermaidBlocks(md);
    expect(blocks.length).toBe(12);
    const bodies = planCommentBodies(md, { environment: 'prod', maxLength: 30_000 });
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) expect(body.length).toBeLessThanOrEqual(30_000);
    expect(bodies.flatMap(mermaidBlocks)).toEqual(blocks);
  });

  it('points to the HTML report among the run’s artifacts, to the file written, or to how to make one', () => {
    const run = 'https://github.com/o/r/actions/runs/7';
    expect(reportPointer('flowops-plan.html', run)).toBe(
      `the HTML report among [this run's artifacts](${run}#artifacts)`,
    );
    expect(reportPointer('out/`x`.html', undefined)).toBe("the HTML report `out/'x'.html`");
    expect(reportPointer(undefined, run)).toBe('the HTML report (`flowops plan --html FILE`)');
  });
});
