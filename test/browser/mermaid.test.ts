import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { flowGraph } from '../../src/plan/flow-graph.js';
import { diffGraphs } from '../../src/plan/graph-diff.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { changeMermaid, text } from '../../src/render/mermaid-flow.js';
import { AWKWARD_NAMES } from '../helpers/awkward-names.js';
import type { WatchedPage } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { planOf } from '../helpers/drawn-plan.js';
import { blueprintFiles } from '../helpers/flow-documents.js';
import { blueprintSubstitutions, blueprintsDir, repoRoot } from '../helpers/fixtures.js';
import { mermaidBlocks } from '../helpers/mermaid-blocks.js';
import { mermaidPage, type RenderedDiagram, renderMermaid } from '../helpers/mermaid-browser.js';
import { tempDir } from '../helpers/temp-dir.js';

// The mermaid text flowops writes, rendered by the `mermaid` package itself in headless Chromium
// (as GitHub renders a comment's ```mermaid blocks): the demo plan's markdown, a plan changing a
// real blueprint, awkward names, and `graph --mermaid` of every blueprint. Each must parse and
// render, and the SVG must hold the marked nodes: their class and their text marker.
let watched: WatchedPage;
beforeAll(async () => {
  watched = await mermaidPage();
}, 60_000);
afterAll(async () => {
  await watched?.page.context().close();
});

const render = (texts: string[]) => renderMermaid(watched.page, texts);
const ok = (diagrams: RenderedDiagram[]) =>
  expect(diagrams.map((d) => d.error ?? 'ok')).toEqual(diagrams.map(() => 'ok'));
/** The nodes of a diagram marked `status`, by class. */
const markedNodes = (d: RenderedDiagram, status: string) => d.nodes.filter((n) => n.classes.includes(status));
const MARKER: Record<string, string> = { added: '+', removed: '−', changed: '~' };

/** Every marked node shows its marker first, and every node showing a marker has the class. */
function expectMarking(d: RenderedDiagram): void {
  for (const [status, marker] of Object.entries(MARKER)) {
    for (const n of markedNodes(d, status)) expect(n.text.startsWith(`${marker} `), n.text).toBe(true);
    for (const n of d.nodes.filter((x) => x.text.startsWith(`${marker} `))) expect(n.classes).toContain(status);
  }
}

describe('mermaid renders what flowops writes', () => {
  it('the demo plan: every drawing renders, the added module call marked in each line', async () => {
    const dir = tempDir({}, 'flowops-demo-');
    for (const p of ['flowops.yaml', 'flows', 'test/fixtures/demo-before', 'test/fixtures/demo-objects.yaml'])
      cpSync(join(repoRoot, p), join(dir, p), { recursive: true });
    const r = await runCli(['plan', '--markdown', 'plan.md'], {
      cwd: dir,
      env: { GENESYS_ENV_URL: '', GENESYS_CLIENT_ID: '', GENESYS_CLIENT_SECRET: '' },
    });
    expect(r.code, r.stderr).toBe(0);
    const blocks = mermaidBlocks(readFileSync(join(dir, 'plan.md'), 'utf8'));
    // The created module, the three updated lines, and the modules-and-callers graph.
    expect(blocks.length).toBe(5);
    const diagrams = await render(blocks);
    ok(diagrams);
    expect(diagrams[0]!.nodes.length).toBeGreaterThan(2);
    expect(diagrams[0]!.nodes.every((n) => n.classes.includes('added'))).toBe(true);
    for (const d of diagrams.slice(1, 4)) {
      expectMarking(d);
      expect(markedNodes(d, 'added').map((n) => n.text)).toEqual(
        expect.arrayContaining(['+ Tag and greet(callCommonModule)', '+ module: Shared Common Module - Tag and Greet']),
      );
      expect(d.nodes.some((n) => n.classes.includes('elided') && /^… \d+ more$/.test(n.text))).toBe(true);
      expect(d.clusters).toContain('task Startup Task');
    }
  }, 120_000);

  it('a plan changing a real blueprint (DR-Emergency-IVR): added, removed and changed nodes render marked', async () => {
    const file = 'DR-Emergency-IVR.yaml';
    const before = readFileSync(join(blueprintsDir, file), 'utf8');
    const after = before
      .replace(/^(\s+)name: Annuities$/m, '$1name: Annuities and pensions')
      .replace(/^(\s{20,})name: Brokerage$/m, '$1name: Brokerage Desk');
    expect(after).not.toBe(before);
    const plan = planOf({ [file]: after }, { [file]: before }, blueprintSubstitutions);
    expect(plan.flows[0]!.action).toBe('update');
    const blocks = mermaidBlocks(renderPlanMarkdown(plan));
    expect(blocks.length).toBe(1);
    const [d] = await render(blocks);
    ok([d!]);
    expectMarking(d!);
    const texts = (status: string) => markedNodes(d!, status).map((n) => n.text);
    expect(texts('changed')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^~ \d: Annuities and pensions/),
        expect.stringMatching(/^~ Transfer to ACD/),
      ]),
    );
    expect(texts('added')).toContain('+ queue: Brokerage Desk');
    expect(texts('removed')).toContain('− queue: Brokerage');
    expect(d!.edgeLabels).toEqual(expect.arrayContaining(['~ transfer', '− transfer']));
  }, 60_000);

  it('awkward names (quotes, brackets, -->, HTML, markdown, |, emoji, right-to-left) render as written', async () => {
    const names = Object.values(AWKWARD_NAMES);
    const flow = (list: string[], more: boolean) => ({
      inboundCall: {
        name: 'Awkward',
        startUpRef: '/inboundCall/tasks/task[t]',
        tasks: [
          {
            task: {
              name: names[0],
              refId: 't',
              actions: [
                ...list.map((name) => ({ playAudio: { name, audio: { tts: 'x' } } })),
                ...(more
                  ? [
                      { transferToAcd: { name: 'To queue', targetQueue: { lit: { name: names[3] } } } },
                      { jumpToTask: { name: 'Nowhere', targetTaskRef: `/inboundCall/tasks/task[${names[1]}]` } },
                    ]
                  : []),
              ],
            },
          },
        ],
      },
    });
    const diagram = changeMermaid(diffGraphs(flowGraph(flow([], false)), flowGraph(flow(names, true))))!;
    const [d] = await render([diagram.text]);
    ok([d!]);
    expect(watched.errors).toEqual([]);
    const shown = d!.nodes.map((n) => n.text);
    for (const name of names) expect(shown).toContain(`+ ${name.replace(/\s+/g, ' ')}(playAudio)`);
    // A queue named like a script is text, never an element; the broken jump reaches a missing node.
    expect(shown).toContain(`+ queue: ${names[3]}`);
    expect(await watched.page.locator('#out script, #out img').count()).toBe(0);
    expect(shown.some((t) => t.startsWith('+ missing: '))).toBe(true);
    expect(d!.clusters).toContain(`task ${names[0]}`);
    // The escaping is what makes this work: the same names written raw do not parse.
    const raw = diagram.text.replace(text(names[0]!), names[0]!);
    const [broken] = await render([raw]);
    expect(broken!.error).toBeDefined();
  }, 60_000);

  it('the modules-and-callers graph of a plan whose flows have awkward names renders them as written', async () => {
    const module = AWKWARD_NAMES.script!;
    const caller = AWKWARD_NAMES.entities!;
    const callerText = (tts: string) =>
      `inboundCall:\n  name: ${JSON.stringify(caller)}\n  startUpRef: "/inboundCall/tasks/task[s]"\n  tasks:\n    - task:\n        name: Start\n        refId: s\n        actions:\n          - callCommonModule:\n              name: Greet\n              commonModule:\n                ${JSON.stringify(module)}:\n                  ver_latestPublished:\n          - playAudio: {name: Say, audio: {tts: ${tts}}}\n          - disconnect: {name: Bye}\n`;
    const moduleText = (exit: string) =>
      `commonModule:\n  name: ${JSON.stringify(module)}\n  startUpTaskActions:\n    - endTask: {name: ${exit}}\n`;
    const plan = planOf(
      { 'c.yaml': callerText('b'), 'm.yaml': moduleText('Done') },
      { 'c.yaml': callerText('a'), 'm.yaml': moduleText('Exit') },
    );
    const blocks = mermaidBlocks(renderPlanMarkdown(plan));
    expect(blocks.length).toBe(3); // the module and the caller updated, the modules' graph
    const diagrams = await render(blocks);
    ok(diagrams);
    const graph = diagrams[2]!.nodes.map((n) => n.text);
    expect(graph).toEqual(expect.arrayContaining([`commonmodule "${module}"update`, `inboundcall "${caller}"update`]));
  }, 60_000);

  it('`flowops graph --mermaid` of every blueprint renders whole', async () => {
    const dir = tempDir({}, 'flowops-graph-');
    mkdirSync(join(dir, 'flows/merge-external-contact'), { recursive: true });
    for (const f of blueprintFiles) cpSync(join(blueprintsDir, f), join(dir, 'flows', f));
    writeFileSync(
      join(dir, 'flowops.yaml'),
      stringify({
        flows: ['flows/**/*.yaml'],
        defaultEnvironment: 'local',
        environments: { local: { emulator: true, substitutions: blueprintSubstitutions } },
      }),
    );
    const texts: string[] = [];
    for (const f of blueprintFiles) {
      const r = await runCli(['graph', `flows/${f}`, '--mermaid'], { cwd: dir });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      texts.push(r.stdout.trimEnd());
    }
    const diagrams = await render(texts);
    ok(diagrams);
    diagrams.forEach((d, i) => {
      const declared = texts[i]!.split('\n').filter((l) => /^\s+n\d+[[({>]/.test(l)).length;
      expect(d.nodes.length).toBe(declared);
      expect(d.nodes.some((n) => /(added|removed|changed)/.test(n.classes.join(' ')))).toBe(false);
    });
  }, 120_000);
});
