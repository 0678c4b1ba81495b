import { describe, expect, it } from 'vitest';
import { checkFlowSources } from '../../src/check/index.js';
import { blueprintsDir, blueprintSubstitutions, readSource } from '../helpers/fixtures.js';

const ivrs = ['DR-Emergency-IVR.yaml', 'DR-Fallback-Ivr.yaml', 'SimpleFinancialIvr_v2-0.yaml'];
const mergeSet = ['MergeExternalContactBot.yaml', 'MergeExternalContactMessageFlow.yaml', 'ResolveContact.yaml'].map(
  (f) => `merge-external-contact/${f}`,
);

describe('real blueprint files published by Genesys', () => {
  it.each(ivrs)('%s validates clean with its substitutions', (file) => {
    const result = checkFlowSources([readSource(blueprintsDir, file)], { substitutions: blueprintSubstitutions });
    expect(result.diagnostics).toEqual([]);
    expect(result.flows).toHaveLength(1);
    expect(result.flows[0]!.type).toBe('inboundcall');
  });

  it('the merge-external-contact set (module, bot, messaging flow) validates clean and resolves across files', () => {
    const result = checkFlowSources(
      mergeSet.map((f) => readSource(blueprintsDir, f)),
      { substitutions: blueprintSubstitutions },
    );
    expect(result.diagnostics).toEqual([]);
    const messaging = result.flows.find((f) => f.type === 'inboundshortmessage')!;
    expect(messaging.name).toBe('Merge External Contact Messaging');
    expect(messaging.calls).toEqual(['Resolve Contact']);
    // The module and the bot are published before the flow that calls them.
    const order = result.graph.order;
    expect(order.indexOf('commonmodule:Resolve Contact')).toBeLessThan(
      order.indexOf('inboundshortmessage:Merge External Contact Messaging'),
    );
    expect(order.indexOf('bot:Merge Contact Bot')).toBeLessThan(
      order.indexOf('inboundshortmessage:Merge External Contact Messaging'),
    );
    expect(result.graph.callers['commonmodule:Resolve Contact']).toEqual([
      'inboundshortmessage:Merge External Contact Messaging',
    ]);
  });

  it('a wrong module name in that set is reported at the callCommonModule, nowhere else', () => {
    const result = checkFlowSources(
      mergeSet.map((f) => readSource(blueprintsDir, f)),
      {
        substitutions: { ...blueprintSubstitutions, common_module_name: 'Resolve Contacts' },
      },
    );
    expect(result.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'unknown-module',
        file: 'merge-external-contact/MergeExternalContactMessageFlow.yaml',
        line: 63,
        col: 17,
        message: expect.stringContaining('calls unknown common module "Resolve Contacts"'),
      },
    ]);
  });

  it('without their substitutions, every placeholder is reported with the environment named', () => {
    const result = checkFlowSources([readSource(blueprintsDir, 'DR-Fallback-Ivr.yaml')], { environment: 'prod' });
    expect(result.diagnostics.length).toBeGreaterThan(0);
    for (const d of result.diagnostics) {
      expect(d.code).toBe('missing-substitution');
      expect(d.message).toMatch(/substitution "ivr_\w+" has no value in environment "prod"/);
    }
  });
});
