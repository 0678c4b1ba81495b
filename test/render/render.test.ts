import pc from 'picocolors';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { renderPlanText, type Colors } from '../../src/render/text.js';
import planSchema from '../../schemas/plan.schema.json' with { type: 'json' };

/** No colours: picocolors' own switch, as the CLI uses it without a terminal. */
const plain: Colors = pc.createColors(false);
const h = (c: string) => `sha256:${c.repeat(64)}`;
const fp = (c: string) => `f1:${c.repeat(22)}`;

const plan: Plan = {
  formatVersion: 2,
  environment: 'prod',
  gitCommit: '0123456789abcdef0123',
  createdAt: '2026-11-24T12:00:00.000Z',
  flows: [
    {
      id: 'commonmodule:Greeting',
      type: 'commonmodule',
      name: 'Greeting',
      action: 'update',
      path: 'flows/m.yaml',
      liveFlowId: 'm1',
      livePublishedVersion: { id: '3.0', createdBy: 'Jane Admin' },
      liveHash: h('a'),
      desiredHash: h('b'),
      desiredFingerprint: fp('b'),
      comparedBy: 'content',
      patch: [
        { op: 'test', path: '/commonModule/startUpTaskActions/0/playAudio/audio/tts', value: 'Welcome' },
        { op: 'replace', path: '/commonModule/startUpTaskActions/0/playAudio/audio/tts', value: 'Hello' },
      ],
      changes: [
        {
          kind: 'replace',
          where: 'action 1 "Play Audio" (playAudio) > audio.tts',
          path: '/commonModule/startUpTaskActions/0/playAudio/audio/tts',
          from: 'Welcome',
          to: 'Hello',
        },
      ],
      dependsOn: [],
    },
    {
      id: 'inboundcall:Main Line',
      type: 'inboundcall',
      name: 'Main Line',
      action: 'republish',
      path: 'flows/a.yaml',
      liveFlowId: 'c1',
      livePublishedVersion: { id: '7.0', createdBy: 'flowops-client', createdByClientId: 'flowops-client' },
      desiredHash: h('c'),
      desiredFingerprint: fp('c'),
      comparedBy: 'identity',
      patch: [],
      changes: [],
      reason: 'commonmodule "Greeting" changes',
      dependsOn: ['commonmodule:Greeting'],
    },
    {
      id: 'inboundcall:New Line',
      type: 'inboundcall',
      name: 'New Line',
      action: 'create',
      path: 'flows/n.yaml',
      desiredHash: h('d'),
      desiredFingerprint: fp('d'),
      patch: [],
      changes: [],
      dependsOn: ['commonmodule:Greeting'],
    },
    {
      id: 'inboundcall:Quiet',
      type: 'inboundcall',
      name: 'Quiet',
      action: 'unchanged',
      path: 'flows/q.yaml',
      liveFlowId: 'q1',
      liveHash: h('f'),
      desiredHash: h('e'),
      desiredFingerprint: fp('e'),
      comparedBy: 'content',
      patch: [],
      changes: [],
      dependsOn: [],
    },
  ],
  summary: { create: 1, update: 1, republish: 1, delete: 0, unchanged: 1 },
  unmanaged: [],
};

describe('plan renderers', () => {
  it('the sample plan (format 2: fingerprints, how each flow was compared, the client that created a live version) is valid against schemas/plan.schema.json, and a broken one is not', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(planSchema);
    expect(validate(plan), JSON.stringify(validate.errors)).toBe(true);
    const broken = (change: Record<string, unknown>) => ({ ...plan, flows: [{ ...plan.flows[0], ...change }] });
    expect(validate(broken({ action: 'rewrite' }))).toBe(false);
    expect(validate(broken({ liveFlowId: undefined }))).toBe(false);
    expect(validate(broken({ comparedBy: 'guess' }))).toBe(false);
    expect(validate(broken({ desiredFingerprint: h('b') }))).toBe(false);
    expect(validate(broken({ livePublishedVersion: { id: '3.0', createdByClientId: 1 } }))).toBe(false);
    expect(validate({ ...plan, formatVersion: 1 })).toBe(false);
  });

  it('text: one block per changing flow, changes by name, a Terraform-like summary', () => {
    expect(renderPlanText(plan, plain)).toBe(
      [
        'flowops will perform these actions (environment prod, commit 0123456789ab), in this order:',
        '',
        '  ~ update commonmodule "Greeting"  (flows/m.yaml, live version 3.0 by Jane Admin)',
        '      ~ action 1 "Play Audio" (playAudio) > audio.tts: "Welcome" -> "Hello"',
        '',
        '  ↻ republish inboundcall "Main Line"  (flows/a.yaml, live version 7.0 by flowops-client)',
        '      because commonmodule "Greeting" changes',
        '',
        '  + create inboundcall "New Line"  (flows/n.yaml)',
        '',
        'Plan: 1 to create, 1 to update, 1 to republish, 0 to delete, 1 unchanged.',
      ].join('\n'),
    );
  });

  it('text: caps the detail of a long flow and says how much was cut', () => {
    const many = structuredClone(plan);
    many.flows[0]!.changes = Array.from({ length: 30 }, (_, i) => ({
      kind: 'add' as const,
      where: `action ${i + 1}`,
      path: `/x/${i}`,
      to: { playAudio: { name: `A${i}` } },
    }));
    const text = renderPlanText(many, plain, { maxChangesPerFlow: 10 });
    expect(text).toContain('      + action 10: playAudio "A9"');
    expect(text).not.toContain('action 11:');
    expect(text).toContain('... and 20 more change(s)');
  });

  it('text: says so when nothing changes', () => {
    const quiet: Plan = {
      ...plan,
      flows: [plan.flows[3]!],
      summary: { create: 0, update: 0, republish: 0, delete: 0, unchanged: 1 },
    };
    expect(renderPlanText(quiet, plain).split('\n')[0]).toBe(
      'No changes. The live flows match the repository (environment prod, commit 0123456789ab).',
    );
  });

  it('markdown: summary table, a collapsible section per changing flow, the module graph', () => {
    const md = renderPlanMarkdown(plan);
    expect(md).toContain('| 1 | 1 | 1 | 0 | 1 |');
    expect(md).toContain('<details><summary>~ <b>update</b> commonmodule <code>Greeting</code> (1 change)</summary>');
    expect(md).toContain('| ~ | `action 1 "Play Audio" (playAudio) > audio.tts` | `"Welcome"` | `"Hello"` |');
    expect(md).toContain('because commonmodule "Greeting" changes');
    expect(md).toContain('```mermaid\ngraph LR\n  f0 --> f1\n  f0 --> f2');
    expect(md).not.toContain('Quiet');
  });
});
