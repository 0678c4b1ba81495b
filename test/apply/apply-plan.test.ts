import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import type { ApplyOptions } from '../../src/apply/types.js';
import { buildPlan } from '../../src/plan/index.js';
import { checkFlowSources } from '../../src/spec/index.js';
import { FakeOrg } from './fake-org.js';

const module = (tts: string) => `commonModule:\n  name: Greeting\n  startUpTaskActions:\n    - playAudio:\n        name: Hello\n        audio: {tts: "${tts}"}\n    - endTask: {name: Exit}\n`;
const caller = (name: string, extra = '') =>
  `inboundCall:\n  name: ${name}\n  startUpRef: "/inboundCall/tasks/task[s]"\n  tasks:\n    - task:\n        name: Start\n        refId: s\n        actions:\n          - callCommonModule:\n              name: Greet\n              commonModule:\n                Greeting:\n                  ver_latestPublished:\n          - disconnect: {name: Bye${extra}}\n`;

const options: ApplyOptions = { concurrency: 4, lockPolicy: 'fail', forceUnlock: false, clientId: 'flowops-client', gitCommit: 'abc1234', lockWaitMs: 50, maxAttempts: 3, backoffMs: 1, sleep: async () => {}, random: () => 0.5 };

/** Plans the given files against the fake org, then applies, as the CLI does. */
async function planAndApply(org: FakeOrg, files: string[], opts: Partial<ApplyOptions> = {}, between?: () => void) {
  const check = checkFlowSources(files.map((text, i) => ({ path: `f${i}.yaml`, text })));
  expect(check.diagnostics).toEqual([]);
  const live = await Promise.all([...org.flows.values()].map(async (f) => ({ id: f.id, type: f.type, name: f.name, publishedVersion: { id: f.versions.at(-1)!.id }, content: f.versions.at(-1)!.content })));
  const plan = buildPlan({ desired: check.flows, graph: check.graph, live, environment: 'test', createdAt: new Date().toISOString() });
  between?.();
  const report = await applyPlan({ plan, yamlById: new Map(check.flows.map((f) => [`${f.type}:${f.name}`, f.text])), writer: org, options: { ...options, ...opts } });
  return { plan, report };
}

describe('applyPlan', () => {
  it('publishes the module first, then republishes its callers, with the audit note', async () => {
    const org = new FakeOrg();
    org.seed(module('Hi'));
    org.seed(caller('Main Line'));
    org.seed(caller('Billing Line'));
    const { report } = await planAndApply(org, [module('Hello'), caller('Main Line'), caller('Billing Line')]);
    expect(report.converged).toBe(true);
    expect(org.log[0]).toBe('publish Greeting');
    expect(org.log.slice(1).sort()).toEqual(['publish Billing Line', 'publish Main Line']);
    expect(report.outcomes.map((o) => [o.name, o.action, o.status, o.publishedVersion])).toEqual([
      ['Greeting', 'update', 'applied', '2.0'],
      ['Billing Line', 'republish', 'applied', '2.0'],
      ['Main Line', 'republish', 'applied', '2.0'],
    ]);
    expect(org.byName('Greeting')!.versions.at(-1)!.content).toContain('description: "[flowops abc1234]"');
  });

  it('refuses a flow edited since the plan, keeps the edit, applies the rest, and skips its dependents', async () => {
    const org = new FakeOrg();
    org.seed(module('Hi'));
    org.seed(caller('Main Line'));
    org.seed(caller('Other Line'));
    const edited = module('Edited in the UI');
    const { report } = await planAndApply(org, [module('Hello'), caller('Main Line'), caller('Other Line', ' now')], {}, () => org.publishAs('jane', edited));
    const byName = Object.fromEntries(report.outcomes.map((o) => [o.name, o]));
    expect(byName.Greeting).toMatchObject({ status: 'stale', reason: expect.stringContaining('version 2.0 was published by jane') });
    expect(byName['Main Line']).toMatchObject({ status: 'skipped', reason: 'commonmodule "Greeting" did not converge (stale)' });
    expect(byName['Other Line']).toMatchObject({ status: 'skipped' });
    expect(org.byName('Greeting')!.versions.at(-1)!.content).toBe(edited);
    expect(report.converged).toBe(false);
  });

  it('a flow that does not depend on the failure goes on', async () => {
    const org = new FakeOrg();
    org.seed(module('Hi'));
    const lone = 'inqueueCall:\n  name: Hold\n  startUpTaskActions:\n    - disconnect: {name: Bye}\n';
    org.failNext('Greeting', 'invalid');
    const { report } = await planAndApply(org, [module('Hello'), caller('New Line'), lone]);
    const byName = Object.fromEntries(report.outcomes.map((o) => [o.name, o.status]));
    expect(byName).toEqual({ Greeting: 'failed', 'New Line': 'skipped', Hold: 'applied' });
  });

  it('retries transient job failures and converges; gives up after maxAttempts', async () => {
    const org = new FakeOrg();
    org.failNext('Greeting', 'transient', 'timeout');
    const { report } = await planAndApply(org, [module('Hi')]);
    expect(report.outcomes[0]).toMatchObject({ status: 'applied', attempts: 3 });
    const org2 = new FakeOrg();
    org2.failNext('Greeting', 'transient', 'transient', 'transient');
    const again = await planAndApply(org2, [module('Hi')]);
    expect(again.report.outcomes[0]).toMatchObject({ status: 'failed', attempts: 3, reason: 'job failed (transient)' });
  });

  it('a lock held by someone else: fails naming the holder and leaves the lock; wait gives up after the bound; --force-unlock unlocks first', async () => {
    for (const [opts, status, unlocked] of [[{}, 'failed', false], [{ lockPolicy: 'wait' as const }, 'failed', false], [{ forceUnlock: true }, 'applied', true]] as const) {
      const org = new FakeOrg();
      org.seed(module('Hi')).lockedBy = 'Jane Admin';
      let t = 0;
      const { report } = await planAndApply(org, [module('Hello')], { ...opts, now: () => (t += 20) });
      expect(report.outcomes[0]!.status).toBe(status);
      if (status === 'failed') expect(report.outcomes[0]!.reason).toMatch(/locked by Jane Admin/);
      expect(org.byName('Greeting')!.lockedBy === undefined).toBe(unlocked);
      expect(org.log.includes('unlock Greeting')).toBe(unlocked);
    }
  });

  it('a lock an interrupted apply of the same client left: taken over on a flow to write, released on the others, and a flow outside the plan is left alone', async () => {
    const org = new FakeOrg();
    org.seed(module('Hi')).lockedBy = 'flowops-client';
    org.seed(caller('Main Line')).lockedBy = 'flowops-client';
    org.seed(caller('Not Ours')).lockedBy = 'flowops-client';
    const { report } = await planAndApply(org, [module('Hello'), caller('Main Line')], { now: () => 0 });
    expect(report.outcomes.map((o) => [o.name, o.status])).toEqual([
      ['Greeting', 'applied'],
      ['Main Line', 'applied'],
    ]);
    // No second checkout of a flow it already held (that would answer 409 and loop).
    expect(org.checkouts).toEqual([]);
    expect(org.byName('Greeting')!.lockedBy).toBeUndefined();
    expect(org.byName('Main Line')!.lockedBy).toBeUndefined();
    expect(org.byName('Not Ours')!.lockedBy).toBe('flowops-client');

    const again = new FakeOrg();
    again.seed(module('Hi')).lockedBy = 'flowops-client';
    again.seed(caller('Main Line')).lockedBy = 'Jane Admin';
    const second = await planAndApply(again, [module('Hi'), caller('Main Line', ' now')]);
    expect(second.report.releasedLocks).toEqual(['commonmodule "Greeting"']);
    expect(again.byName('Greeting')!.lockedBy).toBeUndefined();
    // Someone else's lock is theirs: still a failure naming them, never released.
    expect(second.report.outcomes.find((o) => o.name === 'Main Line')).toMatchObject({ status: 'failed', reason: expect.stringMatching(/locked by Jane Admin/) });
    expect(again.byName('Main Line')!.lockedBy).toBe('Jane Admin');
  });

  it('flows that finish together are read back for verification in one listing and one export, not one each', async () => {
    const org = new FakeOrg();
    const lines = Array.from({ length: 6 }, (_, i) => `inqueueCall:\n  name: Hold ${i}\n  startUpTaskActions:\n    - disconnect: {name: Bye}\n`);
    for (const l of lines) org.seed(l);
    const { report } = await planAndApply(org, lines.map((l) => l.replace('Bye', 'Goodbye')), { concurrency: 6 });
    expect(report.outcomes.map((o) => o.status)).toEqual(Array(6).fill('applied'));
    expect(org.reads).toEqual([6]);
    expect(org.exports).toEqual([6]);
  });

  it('a published version whose content is not the planned one fails verification', async () => {
    const org = new FakeOrg();
    org.seed(module('Hi'));
    const publish = org.publishFlow.bind(org);
    org.publishFlow = (yaml: string) => publish(yaml.replace('Hello', 'Something else'));
    const { report } = await planAndApply(org, [module('Hello')]);
    expect(report.outcomes[0]).toMatchObject({ status: 'failed', reason: 'version 2.0 was published but its content is not the planned one' });
  });

  it("a flow's concurrency slot is given back while its job runs: with one slot, the next flow is uploaded before the first job ends", async () => {
    const org = new FakeOrg();
    org.seed(module('Hi'));
    org.seed(caller('Main Line'));
    org.seed(caller('Billing Line'));
    let open!: () => void;
    org.jobGate = new Promise<void>((resolve) => (open = resolve));
    const applying = planAndApply(org, [module('Hi'), caller('Main Line', '!'), caller('Billing Line', '!')], { concurrency: 1 });
    for (let i = 0; i < 100 && org.log.filter((l) => l.startsWith('publish')).length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    // Both jobs are under way at once although only one slot exists.
    expect(org.log.filter((l) => l.startsWith('publish')).sort()).toEqual(['publish Billing Line', 'publish Main Line']);
    open();
    const { report } = await applying;
    expect(report.converged).toBe(true);
    expect(report.counts.applied).toBe(2);
  });

  it('running the same plan again converges without writing anything', async () => {
    const org = new FakeOrg();
    org.seed(module('Hi'));
    const check = checkFlowSources([{ path: 'm.yaml', text: module('Hello') }]);
    const live = [...org.flows.values()].map((f) => ({ id: f.id, type: f.type, name: f.name, publishedVersion: { id: '1.0' }, content: f.versions[0]!.content }));
    const plan = buildPlan({ desired: check.flows, graph: check.graph, live, environment: 'test', createdAt: 'now' });
    const input = { plan, yamlById: new Map(check.flows.map((f) => [`${f.type}:${f.name}`, f.text])), writer: org, options };
    expect((await applyPlan(input)).outcomes[0]!.status).toBe('applied');
    const second = await applyPlan(input);
    expect(second.outcomes[0]).toMatchObject({ status: 'converged', reason: expect.stringContaining('already has the planned content') });
    expect(second.converged).toBe(true);
    expect(org.log).toEqual(['publish Greeting']);
  });
});
