import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import type { ApplyOptions } from '../../src/apply/types.js';
import { withAuditNote, readNote, keyOf } from '../../src/identity/index.js';
import { liveNeedsContent } from '../../src/plan/build-plan.js';
import { buildPlan, type LiveFlow, type Plan } from '../../src/plan/index.js';
import { checkFlowSources } from '../../src/check/index.js';
import { FakeOrg, OWN_CLIENT, PUBLISH_CALLS, type Publisher, TEST_APPLY_OPTIONS, TEST_IDENTITY } from './fake-org.js';

const module = (tts: string) =>
  `commonModule:\n  name: Greeting\n  startUpTaskActions:\n    - playAudio:\n        name: Hello\n        audio: {tts: "${tts}"}\n    - endTask: {name: Exit}\n`;
const caller = (name: string, extra = '') =>
  `inboundCall:\n  name: ${name}\n  startUpRef: "/inboundCall/tasks/task[s]"\n  tasks:\n    - task:\n        name: Start\n        refId: s\n        actions:\n          - callCommonModule:\n              name: Greet\n              commonModule:\n                Greeting:\n                  ver_latestPublished:\n          - disconnect: {name: Bye${extra}}\n`;
const hold = (name = 'Hold', bye = 'Bye') =>
  `inqueueCall:\n  name: ${name}\n  startUpTaskActions:\n    - disconnect: {name: ${bye}}\n`;

const identity = TEST_IDENTITY;
const options: ApplyOptions = { ...TEST_APPLY_OPTIONS, gitCommit: 'abc1234' };

function check(files: string[]) {
  const r = checkFlowSources(files.map((text, i) => ({ path: `f${i}.yaml`, text })));
  expect(r.diagnostics).toEqual([]);
  return r;
}

/**
 * Plans the files against the fake org as the CLI does: the listing for every flow, the export only
 * of the flows identity cannot decide (liveNeedsContent).
 */
function planAgainst(org: FakeOrg, files: string[]): { plan: Plan; yamlById: Map<string, string> } {
  const r = check(files);
  const desired = new Map(r.flows.map((f) => [keyOf(f), f]));
  const live = org.listing().map((state) => {
    const flow: LiveFlow = { id: state.id, type: state.type, name: state.name };
    if (state.publishedVersion) flow.publishedVersion = state.publishedVersion;
    flow.description = state.description ?? ''; // as readLive: a listed flow without one has none
    const d = desired.get(keyOf(state));
    if (d && liveNeedsContent(d, flow, identity)) flow.content = org.publishedText(state.id);
    return flow;
  });
  const plan = buildPlan({
    desired: r.flows,
    graph: r.graph,
    live,
    environment: 'test',
    createdAt: new Date().toISOString(),
    identity,
  });
  return { plan, yamlById: new Map(r.flows.map((f) => [`${f.type}:${f.name}`, f.text])) };
}

/** Plans, lets the test change the org (`between`: after the plan was approved), then applies. */
async function planAndApply(
  org: FakeOrg,
  files: string[],
  opts: Partial<ApplyOptions> = {},
  between?: (plan: Plan) => unknown,
) {
  const { plan, yamlById } = planAgainst(org, files);
  await between?.(plan);
  const report = await applyPlan({ plan, yamlById, writer: org, options: { ...options, ...opts } });
  return { plan, report };
}

const fingerprintOf = (plan: Plan, name: string) => plan.flows.find((f) => f.name === name)!.desiredFingerprint!;

describe('applyPlan', () => {
  it('publishes the module first, then republishes its callers, each as its own version with the audit note and the planned fingerprint', async () => {
    const org = new FakeOrg();
    org.seed(module('Hi'));
    org.seed(caller('Main Line'));
    org.seed(caller('Billing Line'));
    const { plan, report } = await planAndApply(org, [module('Hello'), caller('Main Line'), caller('Billing Line')]);
    expect(report.converged).toBe(true);
    expect(org.log[0]).toBe('publish Greeting');
    expect(org.log.slice(1).sort()).toEqual(['publish Billing Line', 'publish Main Line']);
    expect(report.outcomes.map((o) => [o.name, o.action, o.status, o.publishedVersion])).toEqual([
      ['Greeting', 'update', 'applied', '2.0'],
      ['Billing Line', 'republish', 'applied', '2.0'],
      ['Main Line', 'republish', 'applied', '2.0'],
    ]);
    const fingerprints = new Set<string>();
    for (const name of ['Greeting', 'Main Line', 'Billing Line']) {
      const flow = org.byName(name)!;
      const fingerprint = fingerprintOf(plan, name);
      expect(fingerprint).toMatch(/^f1:[A-Za-z0-9_-]{22}$/);
      fingerprints.add(fingerprint);
      // The note travels in the uploaded file's description, and the flow keeps it.
      expect(flow.versions.at(-1)!.content).toContain(`description: "[flowops abc1234 ${fingerprint}]"`);
      expect(flow.versions.at(-1)).toMatchObject({ by: OWN_CLIENT, byClientId: OWN_CLIENT });
      expect(readNote(flow.description)).toEqual({ commit: 'abc1234', fingerprint });
    }
    expect(fingerprints.size).toBe(3);
  });

  it('refuses a flow edited since the plan, keeps the edit, applies the rest, and skips its dependents', async () => {
    const org = new FakeOrg();
    org.seed(module('Hi'));
    org.seed(caller('Main Line'));
    org.seed(caller('Other Line'));
    const edited = module('Edited in the UI');
    const { report } = await planAndApply(
      org,
      [module('Hello'), caller('Main Line'), caller('Other Line', ' now')],
      {},
      () => org.publishAs('jane', edited),
    );
    const byName = Object.fromEntries(report.outcomes.map((o) => [o.name, o]));
    expect(byName.Greeting).toMatchObject({
      status: 'stale',
      reason: expect.stringContaining('version 2.0 was published by jane'),
    });
    expect(byName['Main Line']).toMatchObject({
      status: 'skipped',
      reason: 'commonmodule "Greeting" did not converge (stale)',
    });
    expect(byName['Other Line']).toMatchObject({ status: 'skipped' });
    expect(org.byName('Greeting')!.versions.at(-1)!.content).toBe(edited);
    expect(org.byName('Greeting')!.lockedBy).toBeUndefined();
    expect(org.log).toEqual([]);
    expect(report.converged).toBe(false);
  });

  it('refuses a flow whose description was edited since the plan without a publish, and keeps the edit', async () => {
    const org = new FakeOrg();
    org.seed(hold('Hold', 'Bye'));
    const { report } = await planAndApply(org, [hold('Hold', 'Goodbye')], {}, () => {
      org.byName('Hold')!.description = 'Edited in the UI';
    });
    expect(report.outcomes[0]).toMatchObject({
      status: 'stale',
      reason: expect.stringContaining('its description was edited since the plan'),
    });
    expect(org.byName('Hold')!.description).toBe('Edited in the UI');
    expect(org.log).toEqual([]);
  });

  it("refuses a moved version that someone else published with a copy of flowops' note and the planned fingerprint: a copied note proves nothing", async () => {
    for (const as of ['client', 'person'] as const satisfies readonly Publisher[]) {
      const org = new FakeOrg();
      org.seed(module('Hi'));
      let theirs = '';
      const { plan, report } = await planAndApply(org, [module('Hello')], {}, (p) => {
        // Their edit, with the note of the version flowops is about to publish copied in.
        theirs = withAuditNote(module('Edited by hand'), {
          commit: 'abc1234',
          fingerprint: fingerprintOf(p, 'Greeting'),
        });
        org.publishAs('other-tool', theirs, as);
      });
      expect(readNote(org.byName('Greeting')!.description)?.fingerprint, as).toBe(fingerprintOf(plan, 'Greeting'));
      expect(report.outcomes[0], as).toMatchObject({
        status: 'stale',
        reason: expect.stringContaining('version 2.0 was published by other-tool'),
      });
      expect(org.log, as).toEqual([]);
      expect(
        org.byName('Greeting')!.versions.map((v) => v.content),
        as,
      ).toEqual([module('Hi'), theirs]);
      expect(report.converged, as).toBe(false);
    }
  });

  it("a moved version that is flowops' own with the planned fingerprint converges without writing, and its callers go on; a republish goes on all the same", async () => {
    const org = new FakeOrg();
    org.seed(module('Hi'));
    org.seed(caller('Main Line'));
    org.seed(caller('Billing Line'));
    // Another run of flowops (another commit, the same content) published the module and one caller after this plan.
    const { report } = await planAndApply(
      org,
      [module('Hello'), caller('Main Line'), caller('Billing Line')],
      {},
      async (p) => {
        await org.publishFlow(
          withAuditNote(module('Hello'), { commit: 'fff0000', fingerprint: fingerprintOf(p, 'Greeting') }),
        );
        await org.publishFlow(
          withAuditNote(caller('Billing Line'), { commit: 'fff0000', fingerprint: fingerprintOf(p, 'Billing Line') }),
        );
      },
    );
    expect(report.outcomes.map((o) => [o.name, o.action, o.status, o.publishedVersion])).toEqual([
      ['Greeting', 'update', 'converged', undefined],
      ['Billing Line', 'republish', 'applied', '3.0'],
      ['Main Line', 'republish', 'applied', '2.0'],
    ]);
    expect(report.outcomes[0]!.reason).toMatch(
      /^version 2\.0 was published by flowops-client .*by flowops with the planned content$/,
    );
    // The other run's two, then this one's republishes: the module is not written again.
    expect(org.log.slice(0, 2)).toEqual(['publish Greeting', 'publish Billing Line']);
    expect(org.log.slice(2).sort()).toEqual(['publish Billing Line', 'publish Main Line']);
    expect(org.byName('Greeting')!.versions).toHaveLength(2);
    expect(readNote(org.byName('Greeting')!.description)?.commit).toBe('fff0000');
    expect(readNote(org.byName('Billing Line')!.description)?.commit).toBe('abc1234');
  });

  it("a flow to create that appeared since the plan: converged when flowops' own with the planned fingerprint, refused when anyone else's, even with the note", async () => {
    for (const [who, status] of [
      ['own', 'converged'],
      ['client', 'stale'],
      ['person', 'stale'],
    ] as const) {
      const org = new FakeOrg();
      const { report } = await planAndApply(org, [hold()], {}, async (p) => {
        const noted = withAuditNote(hold(), { commit: 'abc1234', fingerprint: fingerprintOf(p, 'Hold') });
        if (who === 'own') await org.publishFlow(noted);
        else org.seed(noted, 'other-tool', who);
      });
      expect(report.outcomes[0], who).toMatchObject({ action: 'create', status });
      if (status === 'stale')
        expect(report.outcomes[0]!.reason, who).toContain(
          'it was created since the plan (version 1.0 was published by other-tool',
        );
      expect(org.byName('Hold')!.versions, who).toHaveLength(1);
    }
  });

  it('a flow that does not depend on the failure goes on', async () => {
    const org = new FakeOrg();
    org.seed(module('Hi'));
    org.failNext('Greeting', 'invalid');
    const { report } = await planAndApply(org, [module('Hello'), caller('New Line'), hold()]);
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
    for (const [opts, status, unlocked] of [
      [{}, 'failed', false],
      [{ lockPolicy: 'wait' as const }, 'failed', false],
      [{ forceUnlock: true }, 'applied', true],
    ] as const) {
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
    org.seed(module('Hi')).lockedBy = OWN_CLIENT;
    org.seed(caller('Main Line')).lockedBy = OWN_CLIENT;
    org.seed(caller('Not Ours')).lockedBy = OWN_CLIENT;
    const { report } = await planAndApply(org, [module('Hello'), caller('Main Line')], { now: () => 0 });
    expect(report.outcomes.map((o) => [o.name, o.status])).toEqual([
      ['Greeting', 'applied'],
      ['Main Line', 'applied'],
    ]);
    // No second checkout of a flow it already held (that would answer 409 and loop).
    expect(org.checkouts).toEqual([]);
    expect(org.byName('Greeting')!.lockedBy).toBeUndefined();
    expect(org.byName('Main Line')!.lockedBy).toBeUndefined();
    expect(org.byName('Not Ours')!.lockedBy).toBe(OWN_CLIENT);

    const again = new FakeOrg();
    again.seed(module('Hi')).lockedBy = OWN_CLIENT;
    again.seed(caller('Main Line')).lockedBy = 'Jane Admin';
    const second = await planAndApply(again, [module('Hi'), caller('Main Line', ' now')]);
    expect(second.report.releasedLocks).toEqual(['commonmodule "Greeting"']);
    expect(again.byName('Greeting')!.lockedBy).toBeUndefined();
    // Someone else's lock is theirs: still a failure naming them, never released.
    expect(second.report.outcomes.find((o) => o.name === 'Main Line')).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/locked by Jane Admin/),
    });
    expect(again.byName('Main Line')!.lockedBy).toBe('Jane Admin');
  });

  it('flows that finish together are read back for verification in one listing, and nothing is exported', async () => {
    const org = new FakeOrg();
    const lines = Array.from({ length: 6 }, (_, i) => hold(`Hold ${i}`));
    for (const l of lines) org.seed(l);
    const { plan, yamlById } = planAgainst(
      org,
      lines.map((l) => l.replace('Bye', 'Goodbye')),
    );
    const exportedToPlan = org.planExports.length;
    const report = await applyPlan({ plan, yamlById, writer: org, options: { ...options, concurrency: 6 } });
    expect(report.outcomes.map((o) => o.status)).toEqual(Array(6).fill('applied'));
    expect(org.reads).toEqual([6]);
    // Everything apply asked of the org: per flow a lock (whose answer is the look), a job
    // registered while locking and its upload; one listing to verify; one look for leftover locks.
    // No export.
    expect(org.calls).toEqual({ checkoutFlow: 6, registerJob: 6, publishFlow: 6, getFlows: 1, flowsLockedBy: 1 });
    expect(org.planExports).toHaveLength(exportedToPlan);
  });

  it('reads each flow after its lock when the lock answers without the flow', async () => {
    const org = new FakeOrg();
    org.checkoutAnswers = false;
    const lines = Array.from({ length: 3 }, (_, i) => hold(`Hold ${i}`));
    for (const l of lines) org.seed(l);
    const { plan, yamlById } = planAgainst(
      org,
      lines.map((l) => l.replace('Bye', 'Goodbye')),
    );
    const report = await applyPlan({ plan, yamlById, writer: org, options: { ...options, concurrency: 3 } });
    expect(report.outcomes.map((o) => o.status)).toEqual(Array(3).fill('applied'));
    expect(org.calls).toMatchObject({ checkoutFlow: 3, getFlow: 3, registerJob: 3, publishFlow: 3 });
  });

  it('a version published by another client fails verification, even with the planned note', async () => {
    // The job ran as another OAuth client than the one apply is configured with.
    const org = new FakeOrg();
    org.seed(module('Hi'));
    org.jobClient = 'other-client';
    const { plan, report } = await planAndApply(org, [module('Hello')]);
    expect(readNote(org.byName('Greeting')!.description)?.fingerprint).toBe(fingerprintOf(plan, 'Greeting'));
    expect(report.outcomes[0]).toMatchObject({
      status: 'failed',
      reason:
        "version 2.0 was published by other-client, not as flowops' own (its creator or its description note differs)",
    });

    // Someone else published between flowops' job and its read-back, copying the note.
    const raced = new FakeOrg();
    raced.seed(module('Hi'));
    const publish = raced.publishFlow.bind(raced);
    raced.publishFlow = async (yaml, o) => {
      const done = await publish(yaml, o);
      raced.publishAs('other-tool', yaml.replace('Hello', 'Theirs'), 'client');
      return done;
    };
    const second = await planAndApply(raced, [module('Hello')]);
    expect(second.report.outcomes[0]).toMatchObject({
      status: 'failed',
      reason:
        "version 3.0 was published by other-tool, not as flowops' own (its creator or its description note differs)",
    });
  });

  it('a version of the own client whose note carries another fingerprint, or no note, fails verification', async () => {
    const cases: Array<[string, (yaml: string) => string, string]> = [
      [
        'another fingerprint',
        (yaml) => yaml.replace(/f1:[A-Za-z0-9_-]+/, `f1:${'A'.repeat(22)}`),
        "version 2.0 was published but its note carries another fingerprint than the planned content's",
      ],
      [
        'no note',
        (yaml) => yaml.replace(/^\s+description:.*\n/m, ''),
        "version 2.0 was published by flowops-client, not as flowops' own (its creator or its description note differs)",
      ],
    ];
    for (const [what, change, reason] of cases) {
      const org = new FakeOrg();
      org.seed(module('Hi'));
      const publish = org.publishFlow.bind(org);
      org.publishFlow = (yaml, o) => publish(change(yaml), o);
      const { report } = await planAndApply(org, [module('Hello')]);
      expect(org.byName('Greeting')!.versions.at(-1)!.byClientId, what).toBe(OWN_CLIENT);
      expect(report.outcomes[0], what).toMatchObject({ status: 'failed', attempts: 1, reason });
    }
  });

  it("a flow's concurrency slot is given back while its job runs: with one slot, the next flow is uploaded before the first job ends", async () => {
    const org = new FakeOrg();
    org.seed(module('Hi'));
    org.seed(caller('Main Line'));
    org.seed(caller('Billing Line'));
    let open!: () => void;
    org.jobGate = new Promise<void>((resolve) => (open = resolve));
    const applying = planAndApply(org, [module('Hi'), caller('Main Line', '!'), caller('Billing Line', '!')], {
      concurrency: 1,
    });
    for (let i = 0; i < 100 && org.log.filter((l) => l.startsWith('publish')).length < 2; i++)
      await new Promise((r) => setTimeout(r, 5));
    // Both jobs are under way at once although only one slot exists.
    expect(org.log.filter((l) => l.startsWith('publish')).sort()).toEqual([
      'publish Billing Line',
      'publish Main Line',
    ]);
    open();
    const { report } = await applying;
    expect(report.converged).toBe(true);
    expect(report.counts.applied).toBe(2);
  });

  it('a rename: the flow keeps its id, takes the new name under its lock, then its content is published onto it and verified', async () => {
    const org = new FakeOrg({ expects: [...PUBLISH_CALLS, 'renameFlow'] });
    const seeded = org.seed(hold('Hold', 'Bye'));
    const { plan, report } = await planAndApply(org, [hold('hold', 'Goodbye')]);
    expect(plan.flows[0]).toMatchObject({ action: 'rename', name: 'hold', renamedFrom: 'Hold', liveFlowId: seeded.id });
    expect(report.outcomes[0]).toMatchObject({ status: 'applied', publishedVersion: '2.0' });
    expect(org.log).toEqual(['rename Hold -> hold', 'publish hold']);
    expect([...org.flows.values()].map((f) => [f.id, f.name])).toEqual([[seeded.id, 'hold']]);
    // Again: the flow already has the name and the content: nothing to do.
    const again = planAgainst(org, [hold('hold', 'Goodbye')]).plan;
    expect(again.flows[0]!.action).toBe('unchanged');
  });

  it('running the same plan again converges without writing anything, and a new plan knows the flow by identity, exporting nothing', async () => {
    const org = new FakeOrg();
    org.seed(module('Hi'));
    const { plan, yamlById } = planAgainst(org, [module('Hello')]);
    expect(plan.flows[0]).toMatchObject({ action: 'update', comparedBy: 'content' });
    expect(org.planExports).toEqual(['Greeting']);
    const input = { plan, yamlById, writer: org, options };
    expect((await applyPlan(input)).outcomes[0]!.status).toBe('applied');
    const second = await applyPlan(input);
    expect(second.outcomes[0]).toMatchObject({
      status: 'converged',
      reason: expect.stringContaining('by flowops with the planned content'),
    });
    expect(second.converged).toBe(true);
    expect(org.log).toEqual(['publish Greeting']);

    const next = planAgainst(org, [module('Hello')]).plan;
    expect(next.flows[0]).toMatchObject({
      action: 'unchanged',
      comparedBy: 'identity',
      livePublishedVersion: { id: '2.0', createdByClientId: OWN_CLIENT },
    });
    expect(org.planExports).toEqual(['Greeting']);
  });
});

describe('applyPlan: a job and the read that verifies it', () => {
  /** Applies a changed caller, recording the progress apply reports for it. */
  async function applyCaller(jobChecks: FakeOrg['jobChecks']) {
    const org = new FakeOrg();
    org.jobChecks = jobChecks;
    org.seed(module('Hi'), OWN_CLIENT, 'client');
    org.seed(caller('Main Line'));
    const { plan, yamlById } = planAgainst(org, [module('Hi'), caller('Main Line', ' now')]);
    const progress: string[] = [];
    const report = await applyPlan({
      plan,
      yamlById,
      writer: org,
      options,
      emit: (e) => void (e.type === 'progress' && progress.push(e.message)),
    });
    const applied = report.outcomes.filter((o) => o.status !== 'unchanged');
    return { org, applied, progress };
  }

  it("an update's job checks each go with a listing of the flow: the one beside the check that saw the job done verifies it, with no read after", async () => {
    const { org, applied, progress } = await applyCaller('after-done');
    expect(applied.map((o) => [o.name, o.status, o.publishedVersion])).toEqual([['Main Line', 'applied', '2.0']]);
    expect(progress).not.toContain('verifying the published version');
    expect(org.calls.getFlows).toBe(1);
  });

  it('a listing that went before the job was done proves nothing: the flow is read again once it is', async () => {
    const { org, applied, progress } = await applyCaller('before-done');
    expect(applied.map((o) => [o.name, o.status, o.publishedVersion])).toEqual([['Main Line', 'applied', '2.0']]);
    expect(progress).toContain('verifying the published version');
    expect(org.calls.getFlows).toBe(2);
  });

  it('without checks (a job that answers at once), the flow is read once it is done, as before', async () => {
    const { org, applied, progress } = await applyCaller('none');
    expect(applied.map((o) => o.status)).toEqual(['applied']);
    expect(progress).toContain('verifying the published version');
    expect(org.calls.getFlows).toBe(1);
  });
});
