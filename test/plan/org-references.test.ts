/**
 * The pure reference check (plan/org-references.ts): each kind named by a published flow against
 * what the org lists, case, quotes, unicode and trailing spaces, did-you-mean, flows created in the
 * same plan, dynamic references, kinds not listed. References are a local fixture in the shape of
 * the check's ObjectReference (helper A reads them from the files).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import type { ObjectReference, OrgObjectKind } from '../../src/check/types.js';
import {
  checkOrgReferences,
  closestName,
  flowTypesNamed,
  hasReferenceErrors,
  kindsNamed,
  uncheckedNotes,
  type KindListing,
  type OrgObject,
} from '../../src/plan/org-references.js';
import type { Plan } from '../../src/plan/types.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { renderPlanText } from '../../src/render/text.js';
import planSchema from '../../schemas/plan.schema.json' with { type: 'json' };

let nextLine = 10;
function ref(kind: OrgObjectKind, name: string | undefined, more: Partial<ObjectReference> = {}): ObjectReference {
  const line = nextLine++;
  return {
    kind,
    ...(name === undefined ? {} : { name }),
    path: ['inboundCall', 'tasks', 0],
    line,
    column: 17,
    ...more,
  };
}

const listed = (...names: Array<string | OrgObject>): KindListing => ({
  outcome: 'listed',
  objects: names.map((n) => (typeof n === 'string' ? { name: n } : n)),
});

function check(
  references: ObjectReference[],
  listings: Partial<Record<OrgObjectKind, KindListing>>,
  mode: 'error' | 'warn' = 'error',
) {
  return checkOrgReferences({
    environment: 'prod',
    mode,
    flows: [{ path: 'flows/main-line.yaml', references }],
    listings: new Map(Object.entries(listings) as Array<[OrgObjectKind, KindListing]>),
  });
}

describe('kinds to list', () => {
  it('lists each kind named literally once, and no kind named only dynamically', () => {
    const flows = [
      { path: 'a.yaml', references: [ref('queue', 'Sales'), ref('prompt', 'Welcome'), ref('queue', 'Support')] },
      {
        path: 'b.yaml',
        references: [ref('dataAction', 'Lookup', { integration: 'Partner' }), ref('schedule', undefined)],
      },
      { path: 'c.yaml' },
    ];
    expect(kindsNamed(flows)).toEqual(['dataAction', 'prompt', 'queue']);
  });

  it('knows which flow types references name, or that one names any type', () => {
    const typed = [ref('flow', 'M', { flowTypes: ['commonmodule'] }), ref('flow', 'B', { flowTypes: ['bot'] })];
    expect(flowTypesNamed([{ path: 'a.yaml', references: typed }])).toEqual(['bot', 'commonmodule']);
    expect(flowTypesNamed([{ path: 'a.yaml', references: [...typed, ref('flow', 'X')] }])).toBe('all');
  });
});

describe('each kind against the org', () => {
  const kinds: OrgObjectKind[] = [
    'queue',
    'prompt',
    'systemPrompt',
    'dataTable',
    'scheduleGroup',
    'schedule',
    'emergencyGroup',
    'language',
    'skill',
    'wrapupCode',
    'division',
    'group',
    'contactList',
  ];
  for (const kind of kinds) {
    it(`${kind}: present passes, missing is an error at its place naming the environment`, () => {
      const present = ref(kind, 'Billing');
      const missing = ref(kind, 'Nowhere At All');
      const r = check([present, missing], { [kind]: listed('Billing', 'Support') });
      expect(r.checked).toEqual([kind]);
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]).toMatchObject({
        severity: 'error',
        code: 'missing-reference',
        kind,
        name: 'Nowhere At All',
        file: 'flows/main-line.yaml',
        line: missing.line,
        col: 17,
      });
      expect(r.problems[0]!.message).toMatch(/^[a-z -]+ "Nowhere At All" does not exist in environment prod$/);
    });
  }

  it('says the kind in words: queue, data action, wrap-up code, common module', () => {
    const r = check(
      [
        ref('queue', 'Sales'),
        ref('wrapupCode', 'Done'),
        ref('dataAction', 'Lookup', { integration: 'Partner' }),
        ref('flow', 'Shared', { flowTypes: ['commonmodule'] }),
      ],
      { queue: listed(), wrapupCode: listed(), dataAction: listed(), flow: listed() },
    );
    expect(r.problems.map((p) => p.message)).toEqual([
      'queue "Sales" does not exist in environment prod',
      'wrap-up code "Done" does not exist in environment prod',
      'data action "Lookup" of integration "Partner" does not exist in environment prod',
      'common module "Shared" does not exist in environment prod',
    ]);
  });
});

describe('data actions: an integration and a name', () => {
  const org = listed(
    { name: 'Lookup Order', integration: 'Genesys Cloud Data Actions' },
    { name: 'Get Balance', integration: 'Partner' },
  );

  it('matches the action within its integration only', () => {
    const ok = ref('dataAction', 'Lookup Order', { integration: 'Genesys Cloud Data Actions' });
    const wrongIntegration = ref('dataAction', 'Get Balance', { integration: 'Genesys Cloud Data Actions' });
    const r = check([ok, wrongIntegration], { dataAction: org });
    expect(r.problems.map((p) => p.line)).toEqual([wrongIntegration.line]);
    expect(r.problems[0]!.message).toBe(
      'data action "Get Balance" of integration "Genesys Cloud Data Actions" does not exist in environment prod (did you mean "Get Balance" of integration "Partner"?)',
    );
    expect(r.problems[0]).toMatchObject({ suggestion: 'Get Balance', suggestionIntegration: 'Partner' });
  });

  it('suggests a close action name in the same integration', () => {
    const r = check([ref('dataAction', 'Lookup Ordr', { integration: 'Genesys Cloud Data Actions' })], {
      dataAction: org,
    });
    expect(r.problems[0]!.message).toMatch(/\(did you mean "Lookup Order"\?\)$/);
  });
});

describe('names as written', () => {
  it('matches regardless of case (the table of choices), and in NFC', () => {
    const r = check([ref('queue', 'SALES'), ref('queue', 'Cafe\u0301 Line')], { queue: listed('sales', 'Café Line') });
    expect(r.problems).toEqual([]);
  });

  it('a trailing space is another name, and the did-you-mean shows the one without it', () => {
    const r = check([ref('queue', 'Support ')], { queue: listed('Support') });
    expect(r.problems[0]!.message).toBe(
      'queue "Support " does not exist in environment prod (did you mean "Support"?)',
    );
  });

  it('names with quotes and unicode are shown as they are', () => {
    const r = check([ref('prompt', 'Say "hi" – ünïcode')], { prompt: listed('Say "hi" – unicode') });
    expect(r.problems[0]!.message).toBe(
      'prompt "Say "hi" – ünïcode" does not exist in environment prod (did you mean "Say "hi" – unicode"?)',
    );
  });

  it('suggests only a close name: within a third of its length', () => {
    expect(closestName('queue', 'Suport', ['Support', 'Sales'])).toBe('Support');
    expect(closestName('queue', 'Billing', ['Support', 'Sales'])).toBeUndefined();
    expect(closestName('queue', 'Sales Team', ['Sales', 'Sales Teams'])).toBe('Sales Teams');
  });
});

describe('flows: the org and the same plan', () => {
  it('a module the same plan creates satisfies a call to it; one nobody has is missing', () => {
    const created: OrgObject = { name: 'New Module', type: 'commonmodule' };
    const r = check(
      [
        ref('flow', 'New Module', { flowTypes: ['commonmodule'] }),
        ref('flow', 'Live Bot', { flowTypes: ['bot'] }),
        ref('flow', 'Ghost Module', { flowTypes: ['commonmodule'] }),
      ],
      { flow: listed(created, { name: 'Live Bot', type: 'bot' }) },
    );
    expect(r.problems.map((p) => p.name)).toEqual(['Ghost Module']);
  });

  it('a flow of another type does not satisfy a typed reference', () => {
    const r = check([ref('flow', 'Main Line', { flowTypes: ['inqueuecall'] })], {
      flow: listed({ name: 'Main Line', type: 'inboundcall' }),
    });
    expect(r.problems[0]!.message).toBe('in-queue call flow "Main Line" does not exist in environment prod');
  });
});

describe('what is not checked', () => {
  it('dynamic references are counted, never errors', () => {
    const r = check([ref('queue', undefined, { expression: 'FindQueue(Flow.QueueName)' })], {});
    expect(r).toEqual({ checked: [], unchecked: [], dynamic: 1, problems: [] });
  });

  it('kinds the org does not list (404), may not list (403) or flowops does not list are said once each, not errors', () => {
    const r = check(
      [ref('dataTable', 'Blacklist'), ref('dataTable', 'Other'), ref('queue', 'Sales'), ref('user', 'Ann')],
      {
        dataTable: { outcome: 'unlisted' },
        queue: { outcome: 'forbidden', permission: 'routing:queue:view' },
      },
    );
    expect(r.problems).toEqual([]);
    expect(r.unchecked).toEqual([
      { kind: 'dataTable', reason: 'unlisted', references: 2 },
      { kind: 'queue', reason: 'forbidden', permission: 'routing:queue:view', references: 1 },
      { kind: 'user', reason: 'unsupported', references: 1 },
    ]);
    expect(uncheckedNotes(r)).toEqual([
      'references were not checked: the org does not list data tables; flowops does not list users',
      'queue references were not checked: the OAuth client may not list queues (it needs the permission routing:queue:view)',
    ]);
  });
});

describe('references: warn', () => {
  it('makes missing objects warnings, which do not fail the plan', () => {
    const missing = [ref('queue', 'Sales')];
    expect(hasReferenceErrors(check(missing, { queue: listed() }))).toBe(true);
    const warned = check(missing, { queue: listed() }, 'warn');
    expect(warned.problems[0]!.severity).toBe('warning');
    expect(hasReferenceErrors(warned)).toBe(false);
  });
});

describe('in the plan', () => {
  const references = check([ref('queue', 'Suport'), ref('queue', undefined), ref('dataTable', 'T')], {
    queue: listed('Support'),
    dataTable: { outcome: 'unlisted' },
  });
  const plan: Plan = {
    formatVersion: 2,
    environment: 'prod',
    createdAt: '2026-01-01T00:00:00.000Z',
    flows: [],
    summary: { create: 0, update: 0, republish: 0, delete: 0, unchanged: 0 },
    unmanaged: [],
    references,
  };

  it('is valid against plan.schema.json, and a plan without it still is', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(planSchema);
    expect(validate(plan), JSON.stringify(validate.errors)).toBe(true);
    const { references: _, ...older } = plan;
    expect(validate(older)).toBe(true);
  });

  it('shows each problem at file:line:col in the terminal and the markdown, with the notes', () => {
    const text = renderPlanText(plan, pc.createColors(false));
    expect(text).toContain(
      `flows/main-line.yaml:${references.problems[0]!.line}:17: error: queue "Suport" does not exist in environment prod (did you mean "Support"?)`,
    );
    expect(text).toContain('1 dynamic reference (a name computed when the flow runs) not checked');
    expect(text).toContain('references were not checked: the org does not list data tables');
    const markdown = renderPlanMarkdown(plan);
    expect(markdown).toContain('#### Objects the flows name that the org lacks (1 error)');
    expect(markdown).toContain(
      `- **error** \`flows/main-line.yaml:${references.problems[0]!.line}:17\`: queue "Suport"`,
    );
  });
});
