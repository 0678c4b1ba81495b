import pc from 'picocolors';
/** `--prune` and what points at a flow: buildPlan keeps a consumed flow's delete, refused, and every view says so. */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { fingerprintKeyOf } from '../../src/identity/index.js';
import {
  buildPlan,
  describeConsumers,
  hasChanges,
  orphansOf,
  type LiveFlow,
  type PlanInput,
} from '../../src/plan/index.js';
import type { Consumer } from '../../src/plan/types.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { renderPlanText, type Colors } from '../../src/render/text.js';
import planSchema from '../../schemas/plan.schema.json' with { type: 'json' };
import { checkFlowSources } from '../../src/check/index.js';

/** No colours: picocolors' own switch, as the CLI uses it without a terminal. */
const plain: Colors = pc.createColors(false);
const line = (name: string) =>
  `inboundCall:\n  name: ${name}\n  startUpRef: "/inboundCall/tasks/task[s]"\n  tasks:\n    - task:\n        name: Start\n        refId: s\n        actions:\n          - disconnect: {name: Bye}\n`;
const identity = { clientId: 'flowops-client', fingerprintKey: fingerprintKeyOf('secret') };
const live = (id: string, type: string, name: string): LiveFlow => ({
  id,
  type,
  name,
  publishedVersion: { id: '2.0', createdBy: 'Jane Admin' },
});
const IVR: Consumer = { type: 'IVR', name: 'Main number +1 317 555 0100', id: 'ivr-1' };

function plan(consumers: Map<string, Consumer[]> | undefined, prune = true, outside?: PlanInput['outside']) {
  const r = checkFlowSources([{ path: 'main.yaml', text: line('Main Line') }]);
  expect(r.diagnostics).toEqual([]);
  const org = [
    live('main', 'inboundcall', 'Main Line'),
    live('old', 'inboundcall', 'Old Line'),
    live('spare', 'inboundcall', 'Spare Line'),
    live('q', 'inqueuecall', 'Not managed'),
  ];
  org[0]!.content = line('Main Line');
  const input: PlanInput = {
    desired: r.flows,
    graph: r.graph,
    live: org,
    environment: 'prod',
    createdAt: '2026-11-24T12:00:00Z',
    prune,
    identity,
  };
  if (consumers) input.consumers = consumers;
  if (outside) input.outside = outside;
  return buildPlan(input);
}

describe('buildPlan with --prune and files no glob takes', () => {
  it('never deletes a live flow that a YAML file outside the globs describes (names regardless of case); the plan fails naming the file', () => {
    expect(() => plan(undefined, true, [{ path: 'old/old-line.yml', type: 'inboundcall', name: 'old line' }])).toThrow(
      'cannot delete inboundcall "Old Line": old/old-line.yml describes it, but no \'flows\' glob takes that file',
    );
    expect(() => plan(undefined, true, [{ path: 'old/mystery.yml', type: 'inboundcall' }])).toThrow(
      'cannot prune inboundcall flows: old/mystery.yml reads like one whose name flowops cannot read',
    );
    // Files of other flows or types change nothing; without --prune nothing is refused.
    expect(
      plan(undefined, true, [
        { path: 'x.yml', type: 'inboundcall', name: 'Elsewhere' },
        { path: 'q.yml', type: 'workflow' },
      ]).summary.delete,
    ).toBe(2);
    expect(
      plan(undefined, false, [{ path: 'old/old-line.yml', type: 'inboundcall', name: 'Old Line' }]).unmanaged,
    ).toHaveLength(2);
  });
});

describe('buildPlan with --prune and consumers', () => {
  it('a flow something points at stays in the plan as a refused delete, with its consumers; the others are deleted', () => {
    const p = plan(
      new Map([
        ['old', [IVR]],
        ['spare', []],
      ]),
    );
    const deletes = p.flows.filter((f) => f.action === 'delete');
    expect(deletes.map((f) => [f.name, f.consumers])).toEqual([
      ['Old Line', [{ type: 'IVR', name: 'Main number +1 317 555 0100', id: 'ivr-1' }]],
      ['Spare Line', undefined],
    ]);
    expect(p.summary).toEqual({ create: 0, update: 0, republish: 0, delete: 1, refused: 1, unchanged: 1 });
    expect(hasChanges(p)).toBe(true);
  });

  it('without consumers (none read, or none found) every orphan is a plain delete; without prune nothing is', () => {
    expect(plan(undefined).summary).toEqual({ create: 0, update: 0, republish: 0, delete: 2, unchanged: 1 });
    expect(plan(new Map()).flows.some((f) => f.consumers)).toBe(false);
    const kept = plan(new Map([['old', [IVR]]]), false);
    expect(kept.flows.map((f) => f.action)).toEqual(['unchanged']);
    expect(kept.unmanaged).toEqual(['inboundcall:Old Line', 'inboundcall:Spare Line']);
  });

  it('a caller deleted by the same plan does not hold its module back, unless its own delete is refused', () => {
    const kept = 'commonModule:\n  name: Kept Module\n  startUpTaskActions:\n    - endTask: {name: Exit}\n';
    const r = checkFlowSources([
      { path: 'main.yaml', text: line('Main Line') },
      { path: 'm.yaml', text: kept },
    ]);
    const org = [
      live('main', 'inboundcall', 'Main Line'),
      live('kept', 'commonmodule', 'Kept Module'),
      live('caller', 'inboundcall', 'Old Caller'),
      live('mod', 'commonmodule', 'Old Module'),
    ];
    org[0]!.content = line('Main Line');
    org[1]!.content = kept;
    const base: PlanInput = {
      desired: r.flows,
      graph: r.graph,
      live: org,
      environment: 'prod',
      createdAt: '2026-11-24T12:00:00Z',
      prune: true,
      identity,
    };
    const callsIt: Consumer = { type: 'flow', name: 'Old Caller', id: 'caller' };
    const both = buildPlan({ ...base, consumers: new Map([['mod', [callsIt]]]) });
    expect(both.flows.filter((f) => f.action === 'delete').map((f) => [f.name, f.consumers])).toEqual([
      ['Old Caller', undefined],
      ['Old Module', undefined],
    ]);
    const held = buildPlan({
      ...base,
      consumers: new Map([
        ['mod', [callsIt]],
        ['caller', [IVR]],
      ]),
    });
    expect(held.flows.filter((f) => f.action === 'delete').map((f) => [f.name, f.consumers])).toEqual([
      ['Old Caller', [IVR]],
      ['Old Module', [callsIt]],
    ]);
    expect(held.summary).toMatchObject({ delete: 0, refused: 2 });
  });

  it('orphansOf: the live flows of the managed types that no file describes (what the reader asks about)', () => {
    const r = checkFlowSources([{ path: 'main.yaml', text: line('Main Line') }]);
    expect(
      orphansOf(r.flows, [
        live('main', 'inboundcall', 'Main Line'),
        live('old', 'inboundcall', 'Old Line'),
        live('q', 'inqueuecall', 'Hold'),
      ]).map((f) => f.id),
    ).toEqual(['old']);
  });
});

describe('what points at a flow, in words', () => {
  it('names each consumer with what it does, three at most', () => {
    expect(describeConsumers([IVR])).toBe('IVR "Main number +1 317 555 0100" routes to it');
    expect(
      describeConsumers([
        IVR,
        { type: 'queue', name: 'Support' },
        { type: 'flow', name: 'Main Line' },
        { type: 'bot', name: 'Helper' },
        { type: 'bot', name: 'Other' },
      ]),
    ).toBe(
      'IVR "Main number +1 317 555 0100" routes to it, queue "Support" uses it as its in-queue flow, flow "Main Line" calls it and 2 more',
    );
    expect(describeConsumers([{ type: 'bot', name: 'Helper' }])).toBe('bot "Helper" uses it');
  });

  it('text, markdown and JSON show the refused delete and say it is not deleted', () => {
    const p = plan(new Map([['old', [IVR]]]));
    const text = renderPlanText(p, plain);
    expect(text).toContain(
      '  - delete inboundcall "Old Line"  (refused: IVR "Main number +1 317 555 0100" routes to it)\n      it is not deleted: it stays in the org until nothing points at it; then plan again',
    );
    expect(text).toContain(
      '  - delete inboundcall "Spare Line"  (live version 2.0 by Jane Admin)\n      the flow is deleted from the org',
    );
    expect(text).toContain(
      'Plan: 0 to create, 0 to update, 0 to republish, 1 to delete (1 refused: in use), 1 unchanged.',
    );
    const markdown = renderPlanMarkdown(p);
    expect(markdown).toContain('| 0 | 0 | 0 | 1 (1 refused: in use) | 1 |');
    expect(markdown).toContain('- <b>delete</b> inboundcall <code>Old Line</code> <b>refused</b>: in use</summary>');
    expect(markdown).toContain('**refused**: IVR "Main number +1 317 555 0100" routes to it; it is not deleted');
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(planSchema);
    const json = JSON.parse(JSON.stringify(p));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    json.flows.find((f: { name: string }) => f.name === 'Old Line').consumers = [{ name: 'no type' }];
    expect(validate(json)).toBe(false);
  });
});
