import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { credentials, emulatorForTest, LOCAL_CLIENT, login, runJob } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';
import { makeDemoRepo } from '../helpers/demo-org.js';
import { tempDir } from '../helpers/temp-dir.js';

let emulator: RunningEmulator;
let repo: { dir: string; seedDir: string };
const creds = () => credentials(emulator);

// Each test its own repository and org (the demo, seeded as the repository has it).
beforeEach(async () => {
  repo = makeDemoRepo();
  emulator = await emulatorForTest({
    seedDir: repo.seedDir,
    clients: [LOCAL_CLIENT, { id: 'architect-ui', secret: 'pw' }],
  });
});

describe('flowops drift', () => {
  it('in sync: exit 0', async () => {
    const r = await runCli(['drift'], { cwd: repo.dir, env: creds() });
    expect(r.stdout).toMatch(/^No drift\. 4 flow\(s\) in environment test are as flowops applied them\./);
    expect(r.code).toBe(0);
  });

  it('an edit published by someone else: exit 2, the flow named with the version, who and what', async () => {
    const other = await login(emulator, 'architect-ui', 'pw');
    const edited = readFileSync(join(repo.seedDir, 'billing-line.yaml'), 'utf8').replace(
      'To pay your bill, press 1.',
      'To pay your bill, press 1 now.',
    );
    expect((await runJob(other.architect, edited)).status).toBe('Success');
    const r = await runCli(['drift'], { cwd: repo.dir, env: creds() });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /! inboundcall "Billing Line": version 2\.0 published by architect-ui at \d{4}-\d\d-\d\dT[\d:.]+Z differs from flows\/inbound\/billing-line.yaml/,
    );
    expect(r.stdout).toContain(
      '~ menu "Billing Menu" > audio.tts: "To pay your bill, press 1. To speak to the billing team, press 2." -> "To pay your bill, press 1 now. To speak to the billing team, press 2."',
    );
    expect(r.stdout).not.toContain('Main Line');
    const json = JSON.parse((await runCli(['drift', '--json'], { cwd: repo.dir, env: creds() })).stdout);
    expect(json.drifted.map((f: { id: string }) => f.id)).toEqual(['inboundcall:Billing Line']);
    expect(json.inSync).toBe(3);
  });
});

describe('flowops export', () => {
  it('writes the live flows as files; planning them gives no changes; it never overwrites other content', async () => {
    const dir = tempDir({
      'flowops.yaml': 'flows: exported/**/*.yaml\nenvironments:\n  test:\n    region: mypurecloud.com\n',
    });
    const r = await runCli(['export', '--out', 'exported'], { cwd: dir, env: creds() });
    expect(r.stdout.trim()).toBe('Exported 4 flow(s) to exported.');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'exported/commonModule/shared-common-module-tag-and-greet.yaml'), 'utf8')).toContain(
      'name: Shared Common Module - Tag and Greet',
    );

    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env: creds() });
    expect(plan.stdout).toContain('Plan: 0 to create, 0 to update, 0 to republish, 0 to delete, 4 unchanged.');
    expect(plan.code).toBe(0);

    writeFileSync(join(dir, 'exported/inboundCall/main-line.yaml'), 'my local edit\n');
    const again = await runCli(['export', '--out', 'exported'], { cwd: dir, env: creds() });
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n').at(-1)).toBe(
      'error: 1 file(s) exist with other content (exported/inboundCall/main-line.yaml): nothing written; use --force to overwrite',
    );
    expect(readFileSync(join(dir, 'exported/inboundCall/main-line.yaml'), 'utf8')).toBe('my local edit\n');
  });
});
