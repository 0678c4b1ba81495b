import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A copy of this repository's demo (flows, flowops.yaml, the seed), so the embedded org starts fresh. */
function demoCopy(): string {
  const dir = tempDir({}, 'flowops-demo-');
  for (const p of ['flowops.yaml', 'flows', 'test/fixtures/demo-before', 'test/fixtures/demo-objects.yaml'])
    cpSync(join(repoRoot, p), join(dir, p), { recursive: true });
  return dir;
}

describe('the demo on the embedded emulator (what `npm start` shows)', () => {
  it('plans: create the common module, update the three lines to call it first', async () => {
    const dir = demoCopy();
    const r = await runCli(['plan', '--detailed-exitcode'], {
      cwd: dir,
      env: { GENESYS_ENV_URL: '', GENESYS_CLIENT_ID: '', GENESYS_CLIENT_SECRET: '' },
    });
    expect(r.stderr).toContain('Planning environment local against the embedded emulator');
    expect(r.stdout).toContain(
      '  + create commonmodule "Shared Common Module - Tag and Greet"  (flows/modules/tag-and-greet.yaml)',
    );
    for (const line of ['Main Line', 'Billing Line', 'Support Line']) {
      expect(r.stdout).toContain(`  ~ update inboundcall "${line}"`);
    }
    const added = r.stdout
      .split('\n')
      .filter((l) => l.includes('+ task "Startup Task" > action 1 "Tag and greet" (callCommonModule)'));
    expect(added).toHaveLength(3);
    expect(r.stdout).toContain('Plan: 1 to create, 3 to update, 0 to republish, 0 to delete, 0 unchanged.');
    expect(r.code).toBe(2);
  });
});
