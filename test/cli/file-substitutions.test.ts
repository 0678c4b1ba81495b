/**
 * Issue 15, substitutions per file: four flow files written once, `name: {{flow_name}}`, each given
 * its own value by `files` entries of flowops.yaml (as the Terraform provider's blueprints give each
 * genesyscloud_flow its own substitutions). Through the built binary, against the emulator.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { credentials, emulatorForTest, login } from '../helpers/emulator.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { inboundCall } from '../helpers/flow-yaml.js';
import { tempDir } from '../helpers/temp-dir.js';

const SECRET = 'per-file-secret-4711';
const ROTATED = 'per-file-secret-0815';
const NAMES = ['Park Agent Inbound', 'Park Hold', 'Park Retrieval', 'Park Default In-Queue'];
const FILES = ['agent-inbound', 'hold', 'retrieval', 'default'];

const config = (retrievalGreeting: string, secret = SECRET) => `flows: flows/**/*.yaml
defaultEnvironment: test
environments:
  test:
    region: mypurecloud.com
    substitutions: {division: Home, greeting: Welcome, flow_name: Park}
files:
${FILES.map((f, i) => `  - match: flows/park/${f}.yaml\n    substitutions: {flow_name: ${NAMES[i]}}`).join('\n')}
  - match: flows/park/hold.yaml
    substitutions: {greeting: {value: ${secret}, secret: true}}
  - match: flows/park/retrieval.yaml
    substitutions: {greeting: ${retrievalGreeting}}
`;

let emulator: RunningEmulator;
let dir: string;

async function run(args: string[], code: number): Promise<CliResult> {
  const r = await runCli(args, { cwd: dir, env: credentials(emulator) });
  expect(r.code, `flowops ${args.join(' ')}:\n${r.stdout}${r.stderr}`).toBe(code);
  expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
  expect(`${r.stdout}${r.stderr}`).not.toContain(ROTATED);
  return r;
}

/** The files flowops keeps in .flowops/ (caches, the embedded org) that hold a text. */
function kept(): string[] {
  const root = join(dir, '.flowops');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(root, path)).isFile())
    .map((path) => readFileSync(join(root, path), 'latin1'));
}

beforeEach(async () => {
  dir = tempDir({
    'flowops.yaml': config('Retrieving'),
    ...Object.fromEntries(
      FILES.map((f) => [`flows/park/${f}.yaml`, inboundCall('{{flow_name}}', { greeting: '{{greeting}}' })]),
    ),
  });
  emulator = await emulatorForTest();
});

describe('four files sharing {{flow_name}}, each with its own value', () => {
  it('validate, plan and apply them as four flows; then plan: no changes; a changed per-file value is that flow only, a secret one masked', async () => {
    const validated = await run(['validate'], 0);
    expect(validated.stdout).toContain('4 flows valid in 4 files');
    const plan = await run(['plan'], 0);
    for (const name of NAMES) expect(plan.stdout).toContain(`+ create inboundcall "${name}"`);
    const applied = await run(['apply', '--auto-approve'], 0);
    expect(applied.stdout).toContain('Apply complete: 4 applied');
    const ui = await login(emulator);
    const live = await ui.architect.getFlows({ pageSize: 100 });
    expect(live.entities!.map((f) => f.name).sort()).toEqual([...NAMES].sort());
    expect((await run(['plan', '--detailed-exitcode'], 0)).stdout).toContain('No changes.');
    // The per-file value changes; the flow files do not: the check cache must not answer for it.
    writeFileSync(join(dir, 'flowops.yaml'), config('Retrieving your call'));
    const changed = await run(['plan', '--detailed-exitcode'], 2);
    expect(changed.stdout).toContain('~ update inboundcall "Park Retrieval"');
    expect(changed.stdout).toContain('"Retrieving" -> "Retrieving your call"');
    expect(changed.stdout.match(/~ update/g)).toHaveLength(1);
    writeFileSync(join(dir, 'flowops.yaml'), config('Retrieving', ROTATED));
    const rotated = await run(['plan', '--detailed-exitcode', '--json'], 2);
    const flows = (JSON.parse(rotated.stdout) as { flows: Array<{ name: string; changes?: unknown[] }> }).flows;
    const hold = flows.filter((f) => f.changes?.length);
    expect(hold.map((f) => f.name)).toEqual(['Park Hold']);
    expect(hold[0]!.changes).toEqual([expect.objectContaining({ from: '***', to: '***' })]);
    // The check cache and the export cache never keep a secret.
    expect(kept().length).toBeGreaterThan(0);
    expect(kept().filter((text) => text.includes(SECRET) || text.includes(ROTATED))).toEqual([]);
  });

  it('export writes a per-file secret as its placeholder, the rotated old value too', async () => {
    await run(['apply', '--auto-approve'], 0);
    await run(['export', '--out', 'exported'], 0);
    const exported = () => readFileSync(join(dir, 'exported/inboundCall/park-hold.yaml'), 'utf8');
    expect(exported()).toMatch(/tts: "?\{\{greeting\}\}"?\n/);
    expect(exported()).not.toContain(SECRET);
    // Rotated: the org still has the old value, which flowops.yaml no longer names.
    writeFileSync(join(dir, 'flowops.yaml'), config('Retrieving', ROTATED));
    await run(['export', '--out', 'exported', '--force'], 0);
    expect(exported()).toMatch(/tts: "?\{\{greeting\}\}"?\n/);
    expect(exported()).not.toContain(SECRET);
  });

  it('without their own values they are one name four times: an error naming the placeholder', async () => {
    writeFileSync(join(dir, 'flowops.yaml'), config('x').replace(/\nfiles:[\s\S]*$/, '\n'));
    const r = await run(['validate'], 1);
    expect(r.stdout + r.stderr).toContain(
      'flows/park/default.yaml:2:9: error: inboundCall "Park" (from {{flow_name}}) is also defined in flows/park/agent-inbound.yaml:2:9 (from {{flow_name}})',
    );
  });
});
