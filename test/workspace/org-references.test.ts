/**
 * getPlan's reference check with a strict in-memory org: only the flows the plan publishes are
 * checked, each kind they name is listed once, a flow created in the same plan satisfies a call,
 * and unchanged flows cost nothing. References are a local fixture attached to the checked flows
 * (the check reads them from the files: helper A's part).
 */
import { describe, expect, it } from 'vitest';
import { checkFlowSources } from '../../src/check/index.js';
import type { ObjectReference } from '../../src/check/types.js';
import type { ListableKind, OrgObjectListing } from '../../src/genesys/index.js';
import { fingerprintKeyOf } from '../../src/identity/index.js';
import { getPlan, type OrgReader } from '../../src/workspace/get-plan.js';
import { inboundCall } from '../helpers/flow-yaml.js';

const identity = { clientId: 'flowops-client', fingerprintKey: fingerprintKeyOf('secret') };

let line = 1;
const ref = (kind: ObjectReference['kind'], name: string, more: Partial<ObjectReference> = {}): ObjectReference => ({
  kind,
  name,
  path: [],
  line: line++,
  column: 5,
  ...more,
});

const files = {
  'flows/unchanged.yaml': inboundCall('Unchanged Line', { greeting: 'Same' }),
  'flows/changed.yaml': inboundCall('Changed Line', { greeting: 'New words' }),
  'flows/created.yaml': inboundCall('Created Line', { greeting: 'Hello' }),
};

/** The org: two live flows (one with the file's content, one with other words), and its objects. */
function org(objects: Partial<Record<ListableKind, OrgObjectListing>>) {
  const asked: string[] = [];
  const reader: OrgReader = {
    async listFlows(types) {
      asked.push(`listFlows ${types.join(',')}`);
      return [
        ...['Unchanged Line', 'Changed Line'].map((name) => ({
          id: name === 'Unchanged Line' ? 'u' : 'c',
          name,
          type: 'inboundcall',
          description: `Test flow ${name}`,
          publishedVersion: { id: '1.0', createdBy: 'Ann' },
        })),
        ...(types.includes('commonmodule') || types.length === 0
          ? [{ id: 'm', name: 'Live Module', type: 'commonmodule' }]
          : []),
      ];
    },
    async exportFlows(refs) {
      asked.push('exportFlows');
      return new Map(
        refs.map((r) => [
          r.id,
          r.id === 'u' ? files['flows/unchanged.yaml'] : inboundCall('Changed Line', { greeting: 'Old words' }),
        ]),
      );
    },
    async flowConsumers() {
      throw new Error('not asked without --prune');
    },
    async listOrgObjects(kind) {
      asked.push(`list ${kind}`);
      const listing = objects[kind];
      if (!listing) throw new Error(`unexpected listing of ${kind}`);
      return listing;
    },
  };
  return { reader, asked };
}

function checked(references: Record<string, ObjectReference[]>) {
  const check = checkFlowSources(Object.entries(files).map(([path, text]) => ({ path, text })));
  expect(check.diagnostics).toEqual([]);
  for (const flow of check.flows) flow.references = references[flow.path] ?? [];
  return check;
}

describe('getPlan checks the references of the flows it publishes', () => {
  it('lists each kind the changed and created flows name once, nothing for unchanged flows', async () => {
    const check = checked({
      'flows/unchanged.yaml': [ref('schedule', 'Long Gone'), ref('queue', 'Gone Too')],
      'flows/changed.yaml': [
        ref('queue', 'Sales'),
        ref('queue', 'Suport'),
        ref('dataAction', 'Lookup', { integration: 'Partner' }),
        ref('flow', 'Created Line', { flowTypes: ['inboundcall'] }),
      ],
      'flows/created.yaml': [ref('queue', 'Sales'), ref('flow', 'Live Module', { flowTypes: ['commonmodule'] })],
    });
    const { reader, asked } = org({
      queue: { kind: 'queue', outcome: 'listed', objects: [{ name: 'Sales' }, { name: 'Support' }] },
      dataAction: { kind: 'dataAction', outcome: 'unlisted' },
    });
    const plan = await getPlan({ check, reader, environment: 'prod', identity, references: 'error' });
    expect(plan.flows.map((f) => [f.name, f.action])).toEqual(
      expect.arrayContaining([
        ['Unchanged Line', 'unchanged'],
        ['Changed Line', 'update'],
        ['Created Line', 'create'],
      ]),
    );
    expect(asked.filter((a) => a.startsWith('list ')).sort()).toEqual(['list dataAction', 'list queue']);
    // The repository has inbound flows only: modules are listed once, for the reference to one.
    expect(asked.filter((a) => a.startsWith('listFlows'))).toEqual(['listFlows inboundcall', 'listFlows commonmodule']);
    expect(plan.references?.problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([
      `flows/changed.yaml:${check.flows[1]!.references![1]!.line}: queue "Suport" does not exist in environment prod (did you mean "Support"?)`,
    ]);
    expect(plan.references?.unchecked).toEqual([{ kind: 'dataAction', reason: 'unlisted', references: 1 }]);
  });

  it('with references: warn the problems are warnings', async () => {
    const check = checked({ 'flows/created.yaml': [ref('queue', 'Nowhere')] });
    const { reader } = org({ queue: { kind: 'queue', outcome: 'listed', objects: [] } });
    const plan = await getPlan({ check, reader, environment: 'prod', identity, references: 'warn' });
    expect(plan.references?.problems.map((p) => p.severity)).toEqual(['warning']);
  });

  it('asks nothing more when the published flows name nothing', async () => {
    const check = checked({ 'flows/unchanged.yaml': [ref('queue', 'Gone')] });
    const { reader, asked } = org({});
    const plan = await getPlan({ check, reader, environment: 'prod', identity, references: 'error' });
    expect(plan.references).toBeUndefined();
    expect(asked).toEqual(['listFlows inboundcall', 'exportFlows']);
  });
});
