/**
 * The emulator as tests drive it from outside: started for one test and closed when it finishes,
 * the GENESYS_* variables that point the CLI at it with a client's credentials, a session of the
 * official SDK over HTTP (one ApiClient per OAuth client: another person or tool in the org), an
 * Architect job run through it, and its request counts from `/__emulator/stats`. Nothing of the
 * emulator is imported but `startEmulator`.
 */
import platformClient, { type Models } from 'purecloud-platform-client-v2';
import { onTestFinished } from 'vitest';
import {
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
  type StatsSnapshot,
} from '../../src/emulator/index.js';

export interface Client {
  id: string;
  secret: string;
}

/** The emulator's default OAuth client (every permission), when a test names none. */
export const LOCAL_CLIENT: Client = { id: 'local-client', secret: 'local-secret' };

/** The environment the CLI reads its org from: the emulator's URL and `client`'s credentials. */
export function credentials(emulator: RunningEmulator, client: Client = LOCAL_CLIENT): Record<string, string> {
  return { GENESYS_ENV_URL: emulator.url, GENESYS_CLIENT_ID: client.id, GENESYS_CLIENT_SECRET: client.secret };
}

/** Starts an emulator (on a free port) for the running test; it is closed when the test finishes. */
export async function emulatorForTest(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator({ port: 0, ...options });
  onTestFinished(() => emulator.close());
  return emulator;
}

/** The emulator's counts since it started (or since the last `DELETE /__emulator/stats`). */
export async function emulatorStats(emulator: RunningEmulator): Promise<StatsSnapshot> {
  const response = await fetch(`${emulator.url}/__emulator/stats`);
  if (!response.ok) throw new Error(`/__emulator/stats answered ${response.status}`);
  return (await response.json()) as StatsSnapshot;
}

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
  client.setGateway({
    host: '127.0.0.1',
    protocol: 'http',
    port: emulator.port,
    path_params_login: 'login',
    path_params_api: '',
  });
  return client;
}

/** A session of `id` (the emulator's default client unless said). */
export async function login(
  emulator: RunningEmulator,
  id = LOCAL_CLIENT.id,
  secret = LOCAL_CLIENT.secret,
): Promise<Session> {
  const client = newClient(emulator);
  const auth = await client.loginClientCredentialsGrant(id, secret);
  return { client, architect: new platformClient.ArchitectApi(client), token: auth.accessToken };
}

/** Registers an Architect job, PUTs the YAML to its presigned URL, polls until it finishes. */
export async function runJob(
  architect: ArchitectApi,
  yaml: string,
  timeoutMs = 10_000,
): Promise<Models.ArchitectJobStateResponse> {
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

/**
 * What the org holds, read from an emulator's state file (`stateFile`): everything but the tokens
 * logins add and the jobs that record work done, so that two reads are equal when nothing in the
 * org was created, changed or deleted in between.
 */
export async function orgContent(stateFile: string): Promise<unknown> {
  const { readFile } = await import('node:fs/promises');
  const {
    tokens: _tokens,
    jobs: _jobs,
    exportJobs: _exportJobs,
    ...org
  } = JSON.parse(await readFile(stateFile, 'utf8')) as Record<string, unknown>;
  return org;
}
