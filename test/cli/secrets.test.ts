/**
 * Issue 13: a secret substitution (a data action's client secret) applied, then rotated. The old
 * value is live until the next apply, and nothing names it a secret any more but the file's
 * placeholder: it must appear nowhere flowops prints or writes (plan text, markdown, plan file,
 * --json, drift, export, --debug). So must the new one, and the secrets of the other environments.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { credentials, emulatorForTest, LOCAL_CLIENT, login, runJob } from '../helpers/emulator.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { PARTNER_LOOKUP } from '../helpers/flow-yaml.js';

const OLD = 'not-a-real-secret-xyz';
const NEW = 'rotated-secret-abc-123';
/** Secrets of the other environments: staging's a value, prod's read from a variable. */
const STAGING = 'STAGING-SECRET-777';
const PROD = 'PROD-SECRET-888';
/** What someone typed into the client secret in the Architect UI. */
const UI = 'typed-in-the-ui-555';
const ALL = { old: OLD, new: NEW, staging: STAGING, prod: PROD, ui: UI };

const config = (secret: string) => `flows: flows/**/*.yaml
defaultEnvironment: test
environments:
  test:
    region: mypurecloud.com
    substitutions:
      partner_secret: {value: ${secret}, secret: true}
  staging:
    region: mypurecloud.com
    substitutions:
      partner_secret: {value: ${STAGING}, secret: true}
  prod:
    region: mypurecloud.com
    substitutions:
      partner_secret: {fromEnv: PROD_PARTNER_SECRET, secret: true}
`;

const flow = (hello: string, backup: string) => `inboundCall:
  name: Partner Line
  startUpRef: "/inboundCall/tasks/task[s]"
  tasks:
    - task:
        name: Start
        refId: s
        actions:
          - playAudio: {name: Hello, audio: {tts: "${hello}"}}
          - playAudio: {name: Key, audio: {tts: "Your partner key is {{partner_secret}}."}}
          - playAudio: {name: Backup, audio: {tts: "${backup}"}}
${PARTNER_LOOKUP}                        clientSecret: {lit: "{{partner_secret}}"}
                        apiKey: {lit: literal-api-key}
          - disconnect: {name: Bye}
`;

let emulator: RunningEmulator;
let dir: string;
const env = () => ({ ...credentials(emulator), PROD_PARTNER_SECRET: PROD });

function leaksIn(text: string): string[] {
  return Object.entries(ALL)
    .filter(([, v]) => text.includes(v))
    .map(([k]) => k);
}

async function run(args: string[], code: number): Promise<CliResult> {
  const r = await runCli(args, { cwd: dir, env: env() });
  expect(r.code, `flowops ${args.join(' ')}:\n${r.stdout}${r.stderr}`).toBe(code);
  expect(leaksIn(r.stdout), `stdout of flowops ${args.join(' ')}:\n${r.stdout}`).toEqual([]);
  expect(leaksIn(r.stderr), `stderr of flowops ${args.join(' ')}:\n${r.stderr}`).toEqual([]);
  return r;
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((e) =>
    statSync(join(folder, e)).isDirectory() ? filesUnder(join(folder, e)) : [join(folder, e)],
  );
}

/** Every file flowops wrote (all but the flows and flowops.yaml, which hold the values by design). */
function leaksInFiles(): string[] {
  return filesUnder(dir)
    .filter((f) => !/^(flows\/|flowops\.yaml$)/.test(relative(dir, f)))
    .flatMap((f) => leaksIn(readFileSync(f, 'latin1')).map((k) => `${relative(dir, f)}: ${k}`));
}

// Each test its own repository and org: the old secret applied, then rotated in the files.
beforeEach(async () => {
  dir = tempDir({ 'flowops.yaml': config(OLD), 'flows/partner-line.yaml': flow('Hello, caller.', 'No backup codes.') });
  emulator = await emulatorForTest({ clients: [LOCAL_CLIENT, { id: 'architect-ui', secret: 'pw' }] });
  await run(['apply', '--auto-approve'], 0);
  // The rotation, with a change of a text besides, and other environments' secrets written as text.
  writeFileSync(join(dir, 'flowops.yaml'), config(NEW));
  writeFileSync(join(dir, 'flows/partner-line.yaml'), flow('Hello again.', `Backup codes: ${STAGING} and ${PROD}.`));
});

describe('a rotated secret appears nowhere', () => {
  it('plan: text, markdown, plan file, --json, --debug; the other changes shown', async () => {
    const r = await run(['plan', '--out', 'plan.json', '--markdown', 'plan.md'], 0);
    expect(r.stdout).toContain('~ update inboundcall "Partner Line"');
    expect(r.stdout).toContain('action 1 "Hello" (playAudio) > audio.tts: "Hello, caller." -> "Hello again."');
    expect(r.stdout).toContain('action 2 "Key" (playAudio) > audio.tts: "***" -> "***"');
    expect(r.stdout).toContain('clientSecret.lit: "***" -> "***"');
    expect(r.stdout).toContain('"No backup codes." -> "Backup codes: *** and ***."');
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as {
      flows: Array<{
        changes: Array<{ path: string; from: unknown; to: unknown }>;
        patch: Array<{ op: string; path: string; value?: unknown }>;
      }>;
    };
    const secretOps = plan.flows[0]!.patch.filter((op) => op.path.endsWith('clientSecret/lit'));
    expect(secretOps).toEqual([
      { op: 'test', path: expect.any(String), value: '***' },
      { op: 'replace', path: expect.any(String), value: '***' },
    ]);
    expect(readFileSync(join(dir, 'plan.md'), 'utf8')).toContain('***');
    await run(['plan', '--json'], 0);
    await run(['plan', '--debug', '--detailed-exitcode', '--no-cache'], 2);
    expect(leaksInFiles()).toEqual([]);
  });

  it('drift (the flow is pending, not drifted) and export: the old value written as the placeholder; a credential-like value warned about by line, never shown', async () => {
    await run(['drift'], 0);
    await run(['drift', '--json', '--debug'], 0);
    const r = await run(['export', '--out', 'exported', '--debug'], 0);
    const file = 'exported/inboundCall/partner-line.yaml';
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text).toMatch(/clientSecret:\n\s+lit: "?\{\{partner_secret\}\}"?\n/);
    expect(text).toContain('Your partner key is {{partner_secret}}.');
    const warning = /^(\S+):(\d+): warning: "apiKey" holds a value that looks like a credential/m.exec(r.stderr);
    expect(warning?.[1]).toBe(file);
    expect(text.split('\n')[Number(warning![2]) - 1]).toContain('literal-api-key');
    expect(r.stderr).not.toContain('literal-api-key');
    expect(leaksInFiles()).toEqual([]);
  });

  it('someone changes the secret in the Architect UI: drift and plan mask both values, show the rest', async () => {
    const ui = await login(emulator, 'architect-ui', 'pw');
    const theirs = flow('Hello from the UI.', 'No backup codes.').replaceAll('{{partner_secret}}', UI);
    expect((await runJob(ui.architect, theirs)).status).toBe('Success');
    const drift = await run(['drift'], 2);
    expect(drift.stdout).toContain('"Hello, caller." -> "Hello from the UI."');
    expect(drift.stdout).toContain('clientSecret.lit: "***" -> "***"');
    await run(['drift', '--json'], 2);
    await run(['plan', '--out', 'plan-2.json', '--markdown', 'plan-2.md', '--debug'], 0);
    await run(['export', '--out', 'exported-2'], 0);
    expect(readFileSync(join(dir, 'exported-2/inboundCall/partner-line.yaml'), 'utf8')).toContain(
      'Your partner key is {{partner_secret}}.',
    );
    expect(leaksInFiles()).toEqual([]);
  });

  it("applied: export writes the current secret and the other environments' as placeholders", async () => {
    await run(['apply', '--auto-approve', '--debug'], 0);
    await run(['export', '--out', 'exported-3'], 0);
    const text = readFileSync(join(dir, 'exported-3/inboundCall/partner-line.yaml'), 'utf8');
    expect(text).toContain('Your partner key is {{partner_secret}}.');
    expect(text).toContain('Backup codes: {{partner_secret}} and {{partner_secret}}.');
    expect(leaksInFiles()).toEqual([]);
  });
});
