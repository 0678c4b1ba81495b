/**
 * The baseline: the request pattern of the Genesys Cloud Terraform provider's `genesyscloud_flow`
 * resource (MyPureCloud/terraform-provider-genesyscloud), replayed with the official JavaScript SDK
 * against the same emulator, so the two tools are compared side by side on the same org.
 *
 * What the provider does, read from its code (not copied):
 * - `genesyscloud/provider/sdk_client_pool.go`: a pool of SDK configurations, each logged in with its
 *   own client-credentials token ("each token will have its own rate limit"); a resource operation
 *   takes one from the pool and gives it back. The pool size defaulted to 10
 *   (`tokenPoolSizeDefault` in `provider.go`); Terraform itself walks the graph 10 operations at a
 *   time (`-parallelism`, default 10). Here: 10 tokens, 10 at a time.
 * - `provider.go` `InitClientConfig`: every request is retried by the Go SDK with RetryWaitMin 1 s,
 *   RetryWaitMax 30 s, RetryMax 20 (429s and server errors; Retry-After honoured). Configuring the
 *   provider also logs in a default configuration and reads `GET /api/v2/organizations/me`; the
 *   emulator serves no organizations, so those 2 requests are left out (in the baseline's favour).
 * - Refresh (`terraform plan`), `readFlow` in `architect_flow/resource_genesyscloud_flow.go`: one
 *   `GET /api/v2/flows/{id}` per flow in the state (`proxy.GetFlow`). The provider decides what to
 *   deploy by comparing a SHA-256 of the local file with the one in its state (the resource's
 *   `file_content_hash = filesha256(...)`, as Genesys' own blueprints write it), so a plan is the
 *   refresh plus reading and hashing every flow file (`files`: done here before the refresh, as
 *   Terraform evaluates the configuration), whatever changed.
 * - Apply of a saved plan (`terraform apply plan.tfplan` does not refresh again), `updateFlow` per
 *   changed flow: optional unlock (only with `force_unlock`, not here); `POST /api/v2/flows/jobs`
 *   (`CreateFlowsDeployJob`); `{{key}}` substitution as text and a PUT of the bytes to the presigned
 *   URL (`files.NewS3Uploader(...).UploadWithRetries`); then `GET /api/v2/flows/jobs/{id}?expand=messages`
 *   (`GetFlowsDeployJob`) inside `util.WithRetries(ctx, 16*time.Minute, ...)`, sleeping **15 s**
 *   between checks (`time.Sleep(15 * time.Second)`); on Success, `readFlow` again: one
 *   `GET /api/v2/flows/{id}`. A flow waits for the flows it `depends_on` (here: its module). The
 *   retry helper (terraform-plugin-sdk `retry.RetryContext`, a StateChangeConf with MinTimeout
 *   500 ms) adds its own wait between checks; left out here, in the baseline's favour.
 *
 * Scaling: the bench may shorten the emulator's job time to save wall time (`--quick`); the 15 s
 * sleep is then shortened by the same factor (`pollMs` = 15 000 x jobMs / realistic job ms), and the
 * bench prints that it did.
 *
 * Run as its own process (`tsx bench/terraform-baseline.ts TASK.json`), so its wall time and memory
 * are measured like flowops'; it prints one JSON line: `{wallMs, requests, retries, jobChecks}`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import platformClient from 'purecloud-platform-client-v2';

type ApiClient = typeof platformClient.ApiClient;
type ArchitectApi = InstanceType<typeof platformClient.ArchitectApi>;
const ApiClientClass = (platformClient as unknown as { ApiClientClass: new () => ApiClient }).ApiClientClass;

export interface BaselineWrite {
  /** Flow key (`type:name`), for dependencies. */
  id: string;
  /** The Archy YAML to deploy (already substituted). */
  yaml: string;
  /** Keys of the writes this one waits for (`depends_on`). */
  dependsOn: string[];
}

export interface BaselineTask {
  url: string;
  clientId: string;
  clientSecret: string;
  /** Tokens in the pool (default 10) and operations at once (default 10). */
  poolSize?: number;
  parallelism?: number;
  /** `refresh`: hash every file of `files` and GET every flow of `flowIds`; `apply`: deploy `writes`. */
  mode: 'refresh' | 'apply';
  flowIds?: string[];
  /** The flow files whose SHA-256 the configuration's `filesha256()` reads at plan time. */
  files?: string[];
  writes?: BaselineWrite[];
  /** Sleep between job checks (the provider's 15 s, scaled). */
  pollMs: number;
}

export interface BaselineResult {
  wallMs: number;
  requests: number;
  retries: number;
  jobChecks: number;
}

interface Counters {
  requests: number;
  retries: number;
  jobChecks: number;
}

interface Extended<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

function newClient(url: string): ApiClient {
  const u = new URL(url);
  const client = new ApiClientClass();
  client.config.live_reload_config = false;
  client.setGateway({
    host: u.hostname,
    protocol: u.protocol.replace(':', ''),
    port: Number(u.port),
    path_params_login: 'login',
    path_params_api: '',
  });
  client.setReturnExtendedResponses(true);
  return client;
}

/** The Go SDK's retry as the provider configures it: up to 20 retries, 1 s doubling to 30 s, Retry-After first. */
async function withSdkRetries<T>(counters: Counters, send: () => Promise<unknown>): Promise<T> {
  for (let retry = 0; ; retry++) {
    counters.requests++;
    try {
      return ((await send()) as Extended<T>).body;
    } catch (error) {
      const failure = error as Partial<Extended<unknown>> & { code?: string };
      const status = failure.status;
      const retryable = status === undefined || status === 429 || (status >= 500 && status !== 501);
      if (!retryable || retry >= 20) throw error;
      counters.retries++;
      const after = Number(failure.headers?.['retry-after']);
      await sleep(Number.isFinite(after) && after > 0 ? after * 1000 : Math.min(30_000, 1000 * 2 ** retry));
    }
  }
}

/** Runs `work` over `items`, `parallelism` at a time, each item on a token taken from the pool. */
async function walk<T>(
  items: T[],
  parallelism: number,
  pool: ArchitectApi[],
  ready: (item: T) => Promise<void>,
  work: (item: T, api: ArchitectApi) => Promise<void>,
): Promise<void> {
  const free = [...pool];
  const waiters: Array<() => void> = [];
  let running = 0;
  const acquire = async (): Promise<ArchitectApi> => {
    while (running >= parallelism || free.length === 0) await new Promise<void>((r) => waiters.push(r));
    running++;
    return free.pop()!;
  };
  const release = (api: ArchitectApi) => {
    running--;
    free.push(api);
    waiters.shift()?.();
  };
  await Promise.all(
    items.map(async (item) => {
      await ready(item);
      const api = await acquire();
      try {
        await work(item, api);
      } finally {
        release(api);
      }
    }),
  );
}

export async function runBaseline(task: BaselineTask): Promise<BaselineResult> {
  const counters: Counters = { requests: 0, retries: 0, jobChecks: 0 };
  const started = performance.now();
  const poolSize = task.poolSize ?? 10;
  const parallelism = task.parallelism ?? 10;
  // The pool is filled when the provider is configured: one login per token.
  const pool = await Promise.all(
    Array.from({ length: poolSize }, async () => {
      const client = newClient(task.url);
      counters.requests++;
      await client.loginClientCredentialsGrant(task.clientId, task.clientSecret);
      return new platformClient.ArchitectApi(client);
    }),
  );

  if (task.mode === 'refresh') {
    for (const file of task.files ?? []) createHash('sha256').update(readFileSync(file)).digest('hex');
    await walk(
      task.flowIds ?? [],
      parallelism,
      pool,
      async () => {},
      async (id, api) => {
        await withSdkRetries(counters, () => api.getFlow(id));
      },
    );
  } else {
    const writes = task.writes ?? [];
    const done = new Map<string, { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void }>();
    for (const w of writes) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      promise.catch(() => {});
      done.set(w.id, { promise, resolve, reject });
    }
    const ready = async (w: BaselineWrite) => {
      await Promise.all(w.dependsOn.filter((d) => done.has(d)).map((d) => done.get(d)!.promise));
    };
    await walk(writes, parallelism, pool, ready, async (w, api) => {
      try {
        await deployFlow(api, w.yaml, task.pollMs, counters);
        done.get(w.id)!.resolve();
      } catch (error) {
        done.get(w.id)!.reject(error);
        throw error;
      }
    });
  }
  return { wallMs: performance.now() - started, ...counters };
}

/** `updateFlow`: register a job, PUT the file, check every `pollMs`, then read the flow. */
async function deployFlow(api: ArchitectApi, yaml: string, pollMs: number, counters: Counters): Promise<void> {
  const job = await withSdkRetries<{ id?: string; presignedUrl?: string; headers?: Record<string, string> }>(
    counters,
    () => api.postFlowsJobs(),
  );
  if (!job.id || !job.presignedUrl) throw new Error('job registration without id or upload URL');
  // The presigned PUT goes to the storage host, not the API: not an API request (the emulator does not count it either).
  for (let attempt = 1; ; attempt++) {
    const put = await fetch(job.presignedUrl, { method: 'PUT', headers: job.headers ?? {}, body: yaml });
    await put.arrayBuffer();
    if (put.ok) break;
    if (attempt >= 3) throw new Error(`upload answered ${put.status}`);
  }
  const deadline = Date.now() + 16 * 60_000;
  let flowId: string | undefined;
  for (;;) {
    counters.jobChecks++;
    const state = await withSdkRetries<{
      status?: string;
      flow?: { id?: string };
      messages?: Array<{ text?: string }>;
    }>(counters, () => api.getFlowsJob(job.id!, { expand: ['messages'] }));
    if (state.status === 'Failure')
      throw new Error(`flow publish failed: ${(state.messages ?? []).map((m) => m.text).join('; ')}`);
    if (state.status === 'Success') {
      flowId = state.flow?.id;
      break;
    }
    if (Date.now() > deadline) throw new Error(`job ${job.id} did not finish in 16 minutes`);
    await sleep(pollMs);
  }
  if (!flowId) throw new Error(`job ${job.id} names no flow`);
  await withSdkRetries(counters, () => api.getFlow(flowId));
}

// As a process: `tsx bench/terraform-baseline.ts TASK.json` prints the result as one JSON line.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const task = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as BaselineTask;
  runBaseline(task).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      process.stderr.write(`baseline failed: ${error instanceof Error ? error.message : JSON.stringify(error)}\n`);
      process.exitCode = 1;
    },
  );
}
