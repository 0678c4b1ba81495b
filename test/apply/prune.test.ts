/** Apply's deletes against the strict fake org: nothing something points at is deleted, whatever the plan said. */
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import type { ApplyOptions } from '../../src/apply/types.js';
import { buildPlan, orphansOf, type LiveFlow, type Plan } from '../../src/plan/index.js';
import type { Consumer } from '../../src/plan/types.js';
import { checkFlowSources } from '../../src/check/index.js';
import { readConsumers } from '../../src/workspace/get-plan.js';
import { FakeOrg, PUBLISH_CALLS, TEST_APPLY_OPTIONS, TEST_IDENTITY } from './fake-org.js';

const line = (name: string) =>
  `inboundCall:\n  name: ${name}\n  startUpRef: "/inboundCall/tasks/task[s]"\n  tasks:\n    - task:\n        name: Start\n        refId: s\n        actions:\n          - disconnect: {name: Bye}\n`;
const identity = TEST_IDENTITY;
const options: ApplyOptions = TEST_APPLY_OPTIONS;
const IVR: Consumer = { type: 'IVR', name: 'Main number +1 317 555 0100', id: 'ivr-1' };

/** The org before: Main Line (in the repository), Old Line and Spare Line (removed from it). */
function orgWith(): FakeOrg {
  const org = new FakeOrg({ expects: [...PUBLISH_CALLS, 'flowConsumers', 'deleteFlow'] });
  for (const name of ['Main Line', 'Old Line', 'Spare Line']) org.seed(line(name));
  return org;
}

/** Plans `--prune` as the CLI does: the listing, then what points at each flow to delete (one question each). */
async function planPrune(org: FakeOrg): Promise<Plan> {
  const r = checkFlowSources([{ path: 'main.yaml', text: line('Main Line') }]);
  const live: LiveFlow[] = org.liveFlows();
  const consumers = await readConsumers(org, orphansOf(r.flows, live));
  return buildPlan({
    desired: r.flows,
    graph: r.graph,
    live,
    environment: 'test',
    createdAt: new Date().toISOString(),
    prune: true,
    consumers,
    identity,
  });
}

const apply = (org: FakeOrg, plan: Plan) => applyPlan({ plan, yamlById: new Map(), writer: org, options });
const outcome = (report: Awaited<ReturnType<typeof apply>>, name: string) =>
  report.outcomes.find((o) => o.name === name);

describe('apply --prune and what points at a flow', () => {
  it('a flow an IVR routes to is planned refused and not deleted (failed, the IVR named); the rest is deleted', async () => {
    const org = orgWith();
    org.consumers.set('Old Line', [IVR]);
    const plan = await planPrune(org);
    expect(org.calls.flowConsumers).toBe(2); // one question per flow to delete, none for the others
    expect(plan.flows.find((f) => f.name === 'Old Line')?.consumers).toEqual([IVR]);
    const report = await apply(org, plan);
    expect(outcome(report, 'Old Line')).toMatchObject({
      action: 'delete',
      status: 'failed',
      reason: 'refused: IVR "Main number +1 317 555 0100" routes to it; it is not deleted',
    });
    expect(outcome(report, 'Spare Line')).toMatchObject({ status: 'deleted' });
    expect(report.converged).toBe(false);
    expect(org.log).toEqual(['delete Spare Line']);
    expect(org.byName('Old Line')).toBeDefined();
  });

  it('asks again right before deleting: an IVR pointed at the flow since the plan stops the delete', async () => {
    const org = orgWith();
    const plan = await planPrune(org);
    expect(plan.summary).toMatchObject({ delete: 2 });
    org.consumers.set('Spare Line', [{ type: 'queue', name: 'Support', id: 'q-1' }]);
    const report = await apply(org, plan);
    expect(outcome(report, 'Spare Line')).toMatchObject({
      status: 'failed',
      reason: 'refused: queue "Support" uses it as its in-queue flow; it is not deleted',
    });
    expect(outcome(report, 'Old Line')).toMatchObject({ status: 'deleted' });
    expect(org.log).toEqual(['delete Old Line']);
  });

  it('a delete the plan refused stays refused when nothing points at the flow any more: the approved plan said it stays', async () => {
    const org = orgWith();
    org.consumers.set('Old Line', [IVR]);
    const plan = await planPrune(org);
    org.consumers.delete('Old Line');
    const report = await apply(org, plan);
    expect(outcome(report, 'Old Line')).toMatchObject({
      status: 'failed',
      reason:
        'refused by the plan (IVR "Main number +1 317 555 0100" routes to it then); nothing points at it now: plan again to delete it',
    });
    expect(org.byName('Old Line')).toBeDefined();
    // Planned again, it is deleted.
    const again = await apply(org, await planPrune(org));
    expect(outcome(again, 'Old Line')).toMatchObject({ status: 'deleted' });
    expect(again.converged).toBe(true);
  });

  it('a module and its caller both leave the repository: the caller is deleted first, then the module, which nothing calls any more', async () => {
    const org = orgWith();
    const caller = org.seed(line('Old Caller'));
    const module = (name: string) =>
      `commonModule:\n  name: ${name}\n  startUpTaskActions:\n    - endTask: {name: Exit}\n`;
    org.seed(module('Old Module'));
    org.seed(module('Kept Module'));
    org.consumers.set('Old Module', [{ type: 'flow', name: 'Old Caller', id: caller.id }]);
    const r = checkFlowSources([
      { path: 'main.yaml', text: line('Main Line') },
      { path: 'm.yaml', text: module('Kept Module') },
    ]);
    const live: LiveFlow[] = org.liveFlows();
    const plan = buildPlan({
      desired: r.flows,
      graph: r.graph,
      live,
      environment: 'test',
      createdAt: new Date().toISOString(),
      prune: true,
      consumers: await readConsumers(org, orphansOf(r.flows, live)),
      identity,
    });
    expect(plan.summary).toMatchObject({ delete: 4 });
    const report = await apply(org, plan);
    expect(report.converged).toBe(true);
    expect(org.log.indexOf('delete Old Caller')).toBeLessThan(org.log.indexOf('delete Old Module'));
  });

  it('nothing points at them: every flow to delete is deleted, each asked about once more before its delete', async () => {
    const org = orgWith();
    const plan = await planPrune(org);
    const asked = org.calls.flowConsumers;
    const report = await apply(org, plan);
    expect(report.converged).toBe(true);
    expect(org.calls.flowConsumers! - asked!).toBe(2);
    expect(org.log.sort()).toEqual(['delete Old Line', 'delete Spare Line']);
  });
});
