import { unzipSync } from 'fflate';
/**
 * Test helpers: the emulator is driven only through the official SDK over HTTP (one ApiClient per
 * OAuth client), plus plain fetch for the presigned URLs and /__emulator/*.
 */
import platformClient, { type Models } from 'purecloud-platform-client-v2';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

export type ApiClient = typeof platformClient.ApiClient;
export type ArchitectApi = InstanceType<typeof platformClient.ArchitectApi>;

/** The SDK's default export holds one shared ApiClient; its class makes independent ones. */
const ApiClientClass = (platformClient as unknown as { ApiClientClass: new () => ApiClient }).ApiClientClass;

export interface Session {
  client: ApiClient;
  architect: ArchitectApi;
  /** The bearer token, for plain fetch calls. */
  token: string;
}

export function newClient(emulator: RunningEmulator): ApiClient {
  const client = new ApiClientClass();
  // Each SDK client otherwise polls ~/.genesyscloudjavascript/config for changes.
  client.config.live_reload_config = false;
  client.setGateway({ host: '127.0.0.1', protocol: 'http', port: emulator.port, path_params_login: 'login', path_params_api: '' });
  return client;
}

export async function login(emulator: RunningEmulator, id = 'local-client', secret = 'local-secret'): Promise<Session> {
  const client = newClient(emulator);
  const auth = await client.loginClientCredentialsGrant(id, secret);
  return { client, architect: new platformClient.ArchitectApi(client), token: auth.accessToken };
}

export async function withEmulator<T>(options: EmulatorOptions, run: (emulator: RunningEmulator) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ port: 0, ...options });
  try {
    return await run(emulator);
  } finally {
    await emulator.close();
  }
}

/** What the SDK rejects with when extended responses are off: the parsed ErrorBody. */
export async function rejection(promise: Promise<unknown>): Promise<Models.ErrorBody & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Models.ErrorBody & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

/** Registers an Architect job, PUTs the YAML to its presigned URL, polls until it finishes. */
export async function runJob(architect: ArchitectApi, yaml: string, timeoutMs = 10_000): Promise<Models.ArchitectJobStateResponse> {
  const job = await architect.postFlowsJobs();
  if (!job.id || !job.presignedUrl) throw new Error('job registration without id or presignedUrl');
  const put = await fetch(job.presignedUrl, { method: 'PUT', headers: job.headers ?? {}, body: yaml });
  if (put.status !== 200) throw new Error(`upload answered ${put.status}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await architect.getFlowsJob(job.id, { expand: ['messages'] });
    if (state.status === 'Success' || state.status === 'Failure') return state;
    if (Date.now() > deadline) throw new Error(`job ${job.id} still ${state.status}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function exportFlows(
  architect: ArchitectApi,
  flows: Models.ExportDetails[],
): Promise<{ state: Models.ArchitectExportJobStateResponse; body?: Buffer; contentType?: string }> {
  const registered = await architect.postFlowsExportJobs({ flows });
  for (;;) {
    const state = await architect.getFlowsExportJob(registered.id ?? '');
    if (state.status === 'Failure') return { state };
    if (state.status === 'Success') {
      const download = await fetch(state.downloadUrl ?? '');
      return { state, body: Buffer.from(await download.arrayBuffer()), contentType: download.headers.get('content-type') ?? '' };
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Reads a ZIP's entries (fflate), to check the export packaging. */
export function readZip(zip: Buffer): Map<string, Buffer> {
  return new Map(Object.entries(unzipSync(new Uint8Array(zip))).map(([name, data]) => [name, Buffer.from(data)]));
}

export async function stats(emulator: RunningEmulator): Promise<{
  requests: number;
  byClient: Record<string, number>;
  throttled: number;
  byStatus: Record<string, number>;
  logins: number;
  faults: Record<string, number>;
}> {
  const response = await fetch(`${emulator.url}/__emulator/stats`);
  return (await response.json()) as Awaited<ReturnType<typeof stats>>;
}

export function inboundCall(name: string, options: { greeting?: string; module?: string; division?: string } = {}): string {
  const call = options.module
    ? `        - callCommonModule:
            name: Shared step
            commonModule:
              ${options.module}:
                ver_latestPublished:
                  none: true
`
    : '';
  return `inboundCall:
  name: ${name}
  description: Test flow ${name}
  division: ${options.division ?? 'Home'}
  startUpRef: "/inboundCall/tasks/task[start]"
  defaultLanguage: en-us
  supportedLanguages:
    en-us:
      defaultLanguageSkill:
        noValue: true
  initialGreeting:
    tts: ${options.greeting ?? 'Welcome'}
  tasks:
    - task:
        name: Start
        refId: start
        actions:
${call}        - disconnect:
            name: Bye
`;
}

export function commonModule(name: string, options: { calls?: string } = {}): string {
  const call = options.calls
    ? `    - callCommonModule:
        name: Nested
        commonModule:
          ${options.calls}:
            ver_latestPublished:
              none: true
`
    : '';
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
${call}    - playAudio:
        name: Greet
        audio:
          tts: Hello from ${name}
    - endTask:
        name: Exit Common Module
`;
}
