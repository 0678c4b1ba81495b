/**
 * Prune protects what points at a flow, through the real binary, the emulator and the official SDK
 * (a person's client making the IVR): a flow an IVR routes to is not deleted, the plan and the report
 * say why, and apply exits 1; once the IVR is gone the flow is deleted.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { credentials, emulatorForTest, login, type Session } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';
import { makeDemoRepo } from '../helpers/demo-org.js';

let emulator: RunningEmulator;
let repo: { dir: string; seedDir: string };
let ui: Session; // a person in Genesys' admin UI, as another OAuth client
const CI = { id: 'flowops-ci', secret: 'ci-secret' };
const env = () => credentials(emulator, CI);
const IVR_NAME = 'Main number +1 317 555 0100';
const REFUSED = `refused: IVR "${IVR_NAME}" routes to it`;

async function supportLine() {
  const listing = await ui.architect.getFlows({ name: 'Support Line', type: ['inboundcall'] });
  return listing.entities?.find((f) => f.name === 'Support Line');
}

/** The IVR a person makes, routing the line's phone number to Support Line; its id. */
async function routeIvr(): Promise<string> {
  const flow = await supportLine();
  const ivr = await ui.architect.postArchitectIvrs({
    name: IVR_NAME,
    dnis: ['+13175550100'],
    openHoursFlow: { id: flow!.id! },
    closedHoursFlow: { id: flow!.id! },
  });
  return ivr.id!;
}

// Each test its own repository and org (the demo, seeded), then the line leaves the repository.
beforeEach(async () => {
  repo = makeDemoRepo();
  emulator = await emulatorForTest({ seedDir: repo.seedDir, clients: [CI, { id: 'jane-in-admin', secret: 'pw' }] });
  ui = await login(emulator, 'jane-in-admin', 'pw');
  // The line leaves the repository; its phone number still reaches it through an IVR.
  rmSync(join(repo.dir, 'flows/inbound/support-line.yaml'));
});

describe('flowops plan/apply --prune with an IVR routing to the flow to delete', () => {
  it('plan --prune shows the delete refused, naming the IVR, and saves the consumers in the plan', async () => {
    const ivrId = await routeIvr();
    const r = await runCli(['plan', '--prune', '--out', 'plan.json', '--json'], { cwd: repo.dir, env: env() });
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.flows.find((f: { name: string }) => f.name === 'Support Line')).toMatchObject({
      action: 'delete',
      consumers: [{ type: 'IVR', name: IVR_NAME, id: ivrId }],
    });
    expect(plan.summary).toMatchObject({ delete: 0, refused: 1 });
    const text = await runCli(['plan', '--prune'], { cwd: repo.dir, env: env() });
    expect(text.stdout).toContain(`  - delete inboundcall "Support Line"  (${REFUSED})`);
    expect(text.stdout).toContain('0 to delete (1 refused: in use)');
  });

  it('apply --prune: not deleted, the reason shown, exit 1', async () => {
    const ivrId = await routeIvr();
    const r = await runCli(['apply', '--prune', '--auto-approve'], { cwd: repo.dir, env: env() });
    expect(r.stdout).toContain(`  - delete inboundcall "Support Line"  (${REFUSED})`); // the plan, before anything is done
    expect(r.stdout).toMatch(
      new RegExp(`✗ failed +inboundcall "Support Line" +${REFUSED.replace(/[+()]/g, '\\$&')}; it is not deleted`),
    );
    expect(r.stdout).toContain(
      'Apply incomplete: 0 applied, 0 deleted, 3 already as planned, 0 stale, 1 failed, 0 skipped.',
    );
    expect(r.code).toBe(1);
    expect((await supportLine())?.deleted).toBe(false);
    expect((await ui.architect.getArchitectIvr(ivrId)).openHoursFlow?.id).toBe((await supportLine())?.id);
  });

  it('a saved plan that refused the delete does not delete the flow even once the IVR is gone (exit 1); a new plan does (exit 0)', async () => {
    const ivrId = await routeIvr();
    expect((await runCli(['plan', '--prune', '--out', 'plan.json'], { cwd: repo.dir, env: env() })).code).toBe(0); // the plan that refused the delete
    await ui.architect.deleteArchitectIvr(ivrId);
    const saved = await runCli(['apply', 'plan.json', '--prune'], { cwd: repo.dir, env: env() });
    expect(saved.stdout).toMatch(
      /✗ failed +inboundcall "Support Line" +refused by the plan \(IVR .* routes to it then\); nothing points at it now: plan again to delete it/,
    );
    expect(saved.code).toBe(1);
    expect(await supportLine()).toBeDefined();

    const r = await runCli(['apply', '--prune', '--auto-approve'], { cwd: repo.dir, env: env() });
    expect(r.stdout).toContain('  - delete inboundcall "Support Line"  (live version 1.0 by emulator-seed)');
    expect(r.stdout).toMatch(/✓ deleted +inboundcall "Support Line"/);
    expect(r.code).toBe(0);
    expect(await supportLine()).toBeUndefined();
  });
});
