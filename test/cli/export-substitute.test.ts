import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OrgObjectsSpec, RunningEmulator } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { credentials, emulatorForTest } from '../helpers/emulator.js';
import { inboundCall } from '../helpers/flow-yaml.js';
import { tempDir } from '../helpers/temp-dir.js';

// `flowops export --substitute`: names of org objects written as {{placeholders}}, their values in
// flowops.yaml, so the files plan against the org they came from with no change.

const INTEGRATION = 'Genesys Cloud Data Actions';
const OBJECTS: OrgObjectsSpec = {
  queues: ['Support', 'Billing: East'],
  dataActions: [{ integration: INTEGRATION, name: 'Lookup Order' }],
};

/** An inbound flow that transfers to `queue` (and, with `lookup`, first calls the data action, then finds a queue by expression). */
function inbound(name: string, queue: string, lookup = false): string {
  const more = lookup
    ? `        - callData:
            name: Look it up
            category:
              ${INTEGRATION}:
                dataAction:
                  Lookup Order:
                    inputs:
                      orderId:
                        exp: Call.Ani
        - transferToAcd:
            name: To billing
            targetQueue:
              exp: 'FindQueue("Billing: East")'
`
    : '';
  return inboundCall(name, {
    actions: `${more}        - transferToAcd:
            name: To support
            targetQueue:
              lit:
                name: ${JSON.stringify(queue)}
`,
  });
}

const CONFIG = `# Exported from the test org.
flows: exported/**/*.yaml
environments:
  test:
    region: mypurecloud.com   # the emulator, through GENESYS_ENV_URL
    substitutions:
      greeting: Welcome
  prod:
    region: mypurecloud.com
`;

let emulator: RunningEmulator;
const creds = () => credentials(emulator);

beforeEach(async () => {
  const seedDir = tempDir({
    'order-line.yaml': inbound('Order Line', 'Support', true),
    'second-line.yaml': inbound('Second Line', 'Billing: East'),
  });
  emulator = await emulatorForTest({ seedDir, objects: OBJECTS });
});

/** Every file of the folder with its text. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !e.parentPath.includes('.flowops'))
      .map((e) => [join(e.parentPath, e.name), readFileSync(join(e.parentPath, e.name), 'utf8')]),
  );
}

describe('flowops export --substitute', () => {
  it('writes queues and data actions as placeholders and their values into flowops.yaml; plan finds no change; a second export changes nothing', async () => {
    const dir = tempDir({ 'flowops.yaml': CONFIG });
    const r = await runCli(['export', '--out', 'exported', '--env', 'test', '--substitute', 'queue,dataAction'], {
      cwd: dir,
      env: creds(),
    });
    expect(r.stdout.trim().split('\n')).toEqual([
      'Exported 2 flow(s) to exported.',
      'Wrote 4 name(s) as placeholders, their values added to flowops.yaml (environment test).',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'note: environment prod has no value for 4 placeholder(s) written (data_action_lookup_order, integration_genesys_cloud_data_actions, queue_billing_east, queue_support): add its names to its substitutions before planning it',
    );
    const order = readFileSync(join(dir, 'exported/inboundCall/order-line.yaml'), 'utf8');
    expect(order).toContain('"{{integration_genesys_cloud_data_actions}}":');
    expect(order).toContain('"{{data_action_lookup_order}}":');
    expect(order).toContain('exp: "FindQueue(\\"{{queue_billing_east}}\\")"');
    expect(order).toContain('name: "{{queue_support}}"');
    expect(order).not.toMatch(/Support|Billing: East|Lookup Order|Genesys Cloud/);
    expect(readFileSync(join(dir, 'exported/inboundCall/second-line.yaml'), 'utf8')).toContain(
      'name: "{{queue_billing_east}}"',
    );
    // Kinds not asked for are written as exported.
    expect(order).toContain('division: Home');
    // Added under the environment's values; every other line as it was.
    expect(readFileSync(join(dir, 'flowops.yaml'), 'utf8')).toBe(
      CONFIG.replace(
        '      greeting: Welcome\n',
        `      greeting: Welcome
      data_action_lookup_order: Lookup Order
      integration_genesys_cloud_data_actions: Genesys Cloud Data Actions
      queue_billing_east: "Billing: East"
      queue_support: Support
`,
      ),
    );

    const plan = await runCli(['plan', '--env', 'test', '--detailed-exitcode'], { cwd: dir, env: creds() });
    expect(plan.stdout).toContain('Plan: 0 to create, 0 to update, 0 to republish, 0 to delete, 2 unchanged.');
    expect(plan.code).toBe(0);

    const before = snapshot(dir);
    const again = await runCli(['export', '--out', 'exported', '--env', 'test', '--substitute', 'queue,dataAction'], {
      cwd: dir,
      env: creds(),
    });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      'Wrote 4 name(s) as placeholders, their values in flowops.yaml already (environment test).',
    );
    expect(snapshot(dir)).toEqual(before);

    const json = await runCli(
      ['export', '--json', '--out', 'exported', '--env', 'test', '--substitute', 'queue', '--substitute', 'dataaction'],
      { cwd: dir, env: creds() },
    );
    expect(JSON.parse(json.stdout).substitutions).toEqual({
      environment: 'test',
      values: {
        data_action_lookup_order: 'Lookup Order',
        integration_genesys_cloud_data_actions: INTEGRATION,
        queue_billing_east: 'Billing: East',
        queue_support: 'Support',
      },
      configWritten: false,
    });
  });

  it('a key holding another value: the name gets the next key, the old value stays; with a file in the way, nothing is written', async () => {
    const config = CONFIG.replace(
      '      greeting: Welcome\n',
      '      greeting: Welcome\n      queue_support: Old Support\n',
    );
    const dir = tempDir({ 'flowops.yaml': config });
    const r = await runCli(['export', '--out', 'exported', '--env', 'test', '--substitute', 'queue'], {
      cwd: dir,
      env: creds(),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'note: {{queue_support}} holds another value in environment test: queue "Support" is written as {{queue_support_2}}',
    );
    expect(readFileSync(join(dir, 'exported/inboundCall/order-line.yaml'), 'utf8')).toContain(
      'name: "{{queue_support_2}}"',
    );
    expect(readFileSync(join(dir, 'flowops.yaml'), 'utf8')).toBe(
      config.replace(
        '      queue_support: Old Support\n',
        '      queue_support: Old Support\n      queue_billing_east: "Billing: East"\n      queue_support_2: Support\n',
      ),
    );
    const plan = await runCli(['plan', '--env', 'test', '--detailed-exitcode'], { cwd: dir, env: creds() });
    expect(plan.code).toBe(0);

    // A division asked for too would add a value (and change both files); a file edited since stops the export first.
    writeFileSync(join(dir, 'exported/inboundCall/second-line.yaml'), 'my local edit\n');
    const before = snapshot(dir);
    const blocked = await runCli(['export', '--out', 'exported', '--env', 'test', '--substitute', 'queue,division'], {
      cwd: dir,
      env: creds(),
    });
    expect(blocked.code).toBe(1);
    expect(blocked.stderr.trim().split('\n').at(-1)).toBe(
      'error: 2 file(s) exist with other content (exported/inboundCall/order-line.yaml, exported/inboundCall/second-line.yaml): nothing written; use --force to overwrite',
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('an unknown kind is a usage error naming the kinds', async () => {
    const dir = tempDir({ 'flowops.yaml': CONFIG });
    const r = await runCli(['export', '--out', 'exported', '--env', 'test', '--substitute', 'queue,queues'], {
      cwd: dir,
      env: creds(),
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(
      /^error: --substitute: unknown kind "queues" \(kinds: queue, prompt, .*division\)$/,
    );
  });
});
