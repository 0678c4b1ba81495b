/**
 * Plans made in the process from flow texts, with their drawing input (PlannedFlow.graph): the
 * desired files checked with the substitutions given, the live flows as a person published them.
 */
import { expect } from 'vitest';
import { checkFlowSources, type SubstitutionValue } from '../../src/check/index.js';
import { fingerprintKeyOf } from '../../src/identity/index.js';
import { buildPlan, type LiveFlow, type Plan } from '../../src/plan/index.js';

const identity = { clientId: 'flowops-client', fingerprintKey: fingerprintKeyOf('k') };

/** The plan of `desired` (path -> text) against `live` (path -> text, checked the same way). */
export function planOf(
  desired: Record<string, string>,
  live: Record<string, string> = {},
  values: Record<string, SubstitutionValue> = {},
  secretKeys: string[] = [],
): Plan {
  const checked = (files: Record<string, string>) => {
    const r = checkFlowSources(
      Object.entries(files).map(([path, text]) => ({ path, text })),
      { substitutions: values, secretKeys, externalModules: ['Shared Common Module - Tag and Greet'] },
    );
    expect(r.diagnostics).toEqual([]);
    return r;
  };
  const now = checked(desired);
  const liveFlows: LiveFlow[] = checked(live).flows.map((f, i) => ({
    id: `l${i}`,
    type: f.type,
    name: f.name,
    content: f.text,
    publishedVersion: { id: '2.0', datePublished: '2026-11-01T10:00:00Z', createdBy: 'Jane' },
  }));
  return buildPlan({
    environment: 'prod',
    createdAt: '2026-12-03T12:00:00Z',
    identity,
    desired: now.flows,
    graph: now.graph,
    live: liveFlows,
  });
}
