/**
 * Integration helpers: seed the emulator through its `seedDir` option or an Architect job (the real
 * SDK over HTTP), read its request counts from `/__emulator/stats`. Nothing of the emulator is
 * imported but `startEmulator`.
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import platformClient from 'purecloud-platform-client-v2';
import { type RunningEmulator } from '../../src/emulator/index.js';

export const CLIENT = { clientId: 'local-client', clientSecret: 'local-secret' };

export function inboundCallYaml(name: string, greeting = `Welcome to ${name}`): string {
  return `inboundCall:
  name: ${name}
  description: Integration test line ${name}
  division: Home
  startUpRef: "/inboundCall/tasks/task[start]"
  defaultLanguage: en-us
  supportedLanguages:
    en-us:
      defaultLanguageSkill:
        noValue: true
  initialGreeting:
    tts: ${greeting}
  tasks:
    - task:
        name: Start
        refId: start
        actions:
          - disconnect:
              name: Bye
`;
}

export function commonModuleYaml(name: string): string {
  return `commonModule:
  name: ${name}
  division: Home
  supportedLanguages:
    en-us:
      none: true
  settingsCommonModule:
    compatibleFlowTypes:
      - flowType: inboundcall
  startUpTaskActions:
    - playAudio:
        name: Greet
        audio:
          tts: Hello from ${name}
    - endTask:
        name: Exit Common Module
`;
}

/** The values flowops.yaml gives the demo flows in its local environment. */
const DEMO_SUBSTITUTIONS: Record<string, string> = {
  division: 'Home',
  greeting: 'Welcome to Acme (local test line).',
  support_queue: 'Support',
  billing_queue: 'Billing',
  sales_queue: 'Sales',
  business_hours: 'Acme Business Hours',
};

/** The repository's demo flows (flows/**), substituted, by file name. */
export async function demoFlows(): Promise<Record<string, string>> {
  const root = new URL('../../flows/', import.meta.url);
  const files: Record<string, string> = {};
  for (const folder of ['inbound', 'modules']) {
    for (const name of await readdir(new URL(`${folder}/`, root))) {
      if (!name.endsWith('.yaml')) continue;
      const text = await readFile(new URL(`${folder}/${name}`, root), 'utf8');
      files[`demo-${name}`] = text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => {
        const value = DEMO_SUBSTITUTIONS[key];
        if (value === undefined) throw new Error(`demo flow ${name}: no value for ${whole}`);
        return value;
      });
    }
  }
  return files;
}

/** A fresh temporary folder holding `files` (name -> text), for `seedDir` or a cache. */
export async function tempDir(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'flowops-genesys-'));
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text, 'utf8')));
  return dir;
}

export interface EmulatorStats {
  requests: number;
  byClient: Record<string, number>;
  throttled: number;
  byStatus: Record<string, number>;
  faults: { status429: number; status500: number; status503: number; reset: number };
  logins: number;
}

export async function emulatorStats(emulator: RunningEmulator): Promise<EmulatorStats> {
  const response = await fetch(`${emulator.url}/__emulator/stats`);
  if (!response.ok) throw new Error(`/__emulator/stats answered ${response.status}`);
  return (await response.json()) as EmulatorStats;
}

const ApiClientClass = (platformClient as unknown as { ApiClientClass: new () => typeof platformClient.ApiClient }).ApiClientClass;

/**
 * Publishes Archy YAML the way Genesys does: register an Architect job, PUT the file to its
 * presigned URL (plain fetch), poll the job. Uses its own SDK client (another "person" in the org).
 */
export async function publishYaml(emulator: RunningEmulator, yaml: string): Promise<void> {
  const client = new ApiClientClass();
  client.setGateway({ host: '127.0.0.1', protocol: 'http', port: emulator.port, path_params_login: 'login', path_params_api: '' });
  await client.loginClientCredentialsGrant(CLIENT.clientId, CLIENT.clientSecret);
  const architect = new platformClient.ArchitectApi(client);
  const job = await architect.postFlowsJobs();
  if (!job.id || !job.presignedUrl) throw new Error('job registration without id or presignedUrl');
  const put = await fetch(job.presignedUrl, { method: 'PUT', headers: job.headers ?? {}, body: yaml });
  if (!put.ok) throw new Error(`upload answered ${put.status}`);
  for (let i = 0; i < 500; i++) {
    const state = await architect.getFlowsJob(job.id, { expand: ['messages'] });
    if (state.status === 'Success') return;
    if (state.status === 'Failure') throw new Error(`publish failed: ${JSON.stringify(state.messages)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`job ${job.id} did not finish`);
}

/** A local port nothing listens on (taken from the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An inbound call flow whose one task calls the common module `module` (latest published version). */
export function callerYaml(name: string, module: string): string {
  return inboundCallYaml(name).replace(
    '          - disconnect:',
    `          - callCommonModule:
              name: Shared step
              commonModule:
                ${module}:
                  ver_latestPublished:
                    none: true
          - disconnect:`,
  );
}
