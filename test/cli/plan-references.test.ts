/**
 * `flowops plan` checks the org objects the changed and created flows name against the environment
 * (the real binary, the emulator with an objects file, the official SDK on both sides): a missing
 * queue and a missing data action at their file:line:col with the environment named, exit 1; the
 * same plan passing once the org has them; `references: warn`; a module created in the same plan;
 * a 403 on a kind as a warning; an org that lists no objects; and never a write to the org.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import platformClient from 'purecloud-platform-client-v2';
import { describe, expect, it } from 'vitest';
import type { EmulatorOptions, OrgObjectsSpec } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { credentials, emulatorForTest, login, orgContent } from '../helpers/emulator.js';
import { commonModule, inboundCall } from '../helpers/flow-yaml.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * The caller: a call of the module the same plan creates, a data action and a queue (its name from
 * a substitution, so its place is the placeholder's in the file as written).
 */
const MAIN_LINE = inboundCall('Main Line', {
  module: 'New Module',
  actions: `        - callData:
            name: Look up the order
            processingPrompt: {noValue: true}
            category:
              Genesys Cloud Data Actions:
                dataAction:
                  Lookup Order:
                    inputs:
                      orderId: {lit: "42"}
        - transferToAcd:
            name: To support
            targetQueue:
              lit:
                name: {{support_queue}}
            priority:
              lit: 0
            preferredAgents:
              noValue: true
            languageSkill:
              noValue: true
`,
});

/** 1-based line and column of the first `text` in MAIN_LINE as written. */
function at(text: string): string {
  const offset = MAIN_LINE.indexOf(text);
  const before = MAIN_LINE.slice(0, offset).split('\n');
  return `flows/main-line.yaml:${before.length}:${before.at(-1)!.length + 1}`;
}

function repo(references?: 'warn'): string {
  const dir = tempDir({
    'flows/main-line.yaml': MAIN_LINE,
    'flows/new-module.yaml': commonModule('New Module'),
  });
  writeFileSync(
    join(dir, 'flowops.yaml'),
    `flows: flows/**/*.yaml\ndefaultEnvironment: prod\nenvironments:\n  prod:\n    region: mypurecloud.com\n${references ? `    references: ${references}\n` : ''}    substitutions:\n      support_queue: Support\n`,
  );
  return dir;
}

const withObjects = (objects: OrgObjectsSpec, more: EmulatorOptions = {}): EmulatorOptions => ({ ...more, objects });

/** The org's objects: a queue and a data action close to the ones the flow names, but not them. */
const LACKING: OrgObjectsSpec = {
  queues: ['Sales', 'Suport'],
  dataActions: [{ integration: 'Genesys Cloud Data Actions', name: 'Lookup Orders' }],
};
const HAVING: OrgObjectsSpec = {
  queues: ['Sales', 'Support'],
  dataActions: [{ integration: 'Genesys Cloud Data Actions', name: 'Lookup Order' }],
};

async function plan(
  dir: string,
  options: EmulatorOptions,
  args: string[] = [],
  prepare?: (emulator: Awaited<ReturnType<typeof emulatorForTest>>) => Promise<void>,
  command: string[] = ['plan'],
) {
  const stateFile = join(tempDir(), 'org.json');
  const emulator = await emulatorForTest({ stateFile, ...options });
  await prepare?.(emulator);
  const before = await orgContent(stateFile);
  const result = await runCli([...command, ...args], { cwd: dir, env: credentials(emulator) });
  // A reference check never changes the org.
  expect(await orgContent(stateFile)).toEqual(before);
  return result;
}

describe('flowops plan checks the objects the flows name against the environment', () => {
  it('a missing queue and a missing data action: at file:line:col, the environment named, exit 1, no plan saved', async () => {
    const dir = repo();
    const r = await plan(dir, withObjects(LACKING), ['--out', 'plan.json', '--markdown', 'plan.md']);
    expect(r.stdout).toContain(
      `${at('Lookup Order:')}: error: data action "Lookup Order" of integration "Genesys Cloud Data Actions" does not exist in environment prod (did you mean "Lookup Orders"?)`,
    );
    expect(r.stdout).toContain(
      `${at('{{support_queue}}')}: error: queue "Support" does not exist in environment prod (did you mean "Suport"?)`,
    );
    // The module the same plan creates is not missing.
    expect(r.stdout).not.toContain('New Module" does not exist');
    expect(r.stderr).toContain('the plan was not saved to plan.json');
    expect(r.code).toBe(1);
    const { existsSync, readFileSync } = await import('node:fs');
    expect(existsSync(join(dir, 'plan.json'))).toBe(false);
    expect(readFileSync(join(dir, 'plan.md'), 'utf8')).toContain(
      `**error** \`${at('{{support_queue}}')}\`: queue "Support" does not exist in environment prod`,
    );
  });

  it('apply refuses such a plan before writing anything, with the same lines', async () => {
    const r = await plan(repo(), withObjects(LACKING), [], undefined, ['apply', '--auto-approve']);
    expect(r.stderr).toContain(`${at('{{support_queue}}')}: error: queue "Support" does not exist in environment prod`);
    expect(r.code).toBe(1);
  });

  it('once the org has them, the same plan passes', async () => {
    const r = await plan(repo(), withObjects(HAVING), ['--detailed-exitcode']);
    expect(r.stdout).not.toContain('does not exist');
    expect(r.stdout).toContain('Plan: 2 to create');
    expect(r.code).toBe(2);
  });

  it('with references: warn they are warnings, in the plan and its JSON, exit 0', async () => {
    const dir = repo('warn');
    const text = await plan(dir, withObjects(LACKING));
    expect(text.stdout).toContain(
      `${at('{{support_queue}}')}: warning: queue "Support" does not exist in environment prod`,
    );
    expect(text.code).toBe(0);
    const json = await plan(dir, withObjects(LACKING), ['--json']);
    expect(json.code).toBe(0);
    const saved = JSON.parse(json.stdout) as { references: { problems: Array<{ severity: string; kind: string }> } };
    expect(saved.references.problems.map((p) => [p.kind, p.severity]).sort()).toEqual([
      ['dataAction', 'warning'],
      ['queue', 'warning'],
    ]);
  });

  it('a client that may not list queues: a warning naming the permission, the rest still checked', async () => {
    const client = { id: 'reader', secret: 'reader-secret' };
    const stateFile = join(tempDir(), 'org.json');
    const emulator = await emulatorForTest(
      withObjects(LACKING, { stateFile, clients: [{ ...client, scopes: ['architect:*', 'integrations:*'] }] }),
    );
    const r = await runCli(['plan'], { cwd: repo(), env: credentials(emulator, client) });
    expect(r.stdout).toContain(
      'queue references were not checked: the OAuth client may not list queues (it needs the permission routing:queue:view)',
    );
    expect(r.stdout).toContain(`${at('Lookup Order:')}: error: data action "Lookup Order"`);
    expect(r.stdout).not.toContain('queue "Support" does not exist');
    expect(r.code).toBe(1);
  });

  it('an org that lists no data actions (an emulator without objects): said once, not an error', async () => {
    // Without an objects file the emulator has only the queues made through the API.
    const r = await plan(repo(), {}, [], async (emulator) => {
      const admin = await login(emulator);
      await new platformClient.RoutingApi(admin.client).postRoutingQueues({ name: 'Support' });
    });
    expect(r.stdout).toContain('references were not checked: the org does not list data actions');
    expect(r.stdout).not.toContain('does not exist');
    expect(r.code).toBe(0);
  });
});
