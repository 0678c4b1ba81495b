/**
 * One authenticated connection: its own SDK ApiClients (one per token), logins, rate limits, retries
 * and counters.
 *
 * SDK facts (purecloud-platform-client-v2 262, src/purecloud-platform-client-v2/):
 * - The default export's `ApiClient` is one shared instance (index.js); `ApiClientClass` is the class,
 *   and `new ApiClientClass()` makes an independent client (the first one constructed becomes the
 *   static `ApiClient.instance`, which the default export already took). `new ArchitectApi(client)`
 *   binds an API to it (ArchitectApi.js constructor).
 * - `setReturnExtendedResponses(true)` resolves `{status, headers, body}` and rejects with the same
 *   shape, so status and Retry-After survive (ApiClient.js `callApi`).
 * - `loginClientCredentialsGrant` stores the token and `tokenExpiryTime`; the SDK refreshes only
 *   code-grant tokens, never client-credentials ones: we log in again before expiry or on a 401.
 * - Its Configuration re-reads `~/.genesyscloudjavascript/config` while running unless
 *   `live_reload_config` is false; that file could replace our gateway, so we switch it off.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { presignedPut } from './presigned-put.js';
import { platformClient } from './sdk.js';
import { type Credentials, gatewayConfiguration, type GenesysTarget, hostLabel } from './connection.js';
import { describeFailure, type HttpFailure, HttpFailureError, plainHeaders, toRemoteError } from './errors.js';
import { createRateLimiter, type RateLimitOptions, type RequestLimiter } from './rate-limit.js';
import { DEFAULT_RETRY, type RetryOptions, shouldRetry } from './should-retry.js';
import type { GenesysStats } from './types.js';

export type ApiClient = typeof platformClient.ApiClient;
export type ArchitectApi = InstanceType<typeof platformClient.ArchitectApi>;

/** Not in the SDK's index.d.ts, but exported by its index.js next to the shared instance. */
/** The SDK's ApiClient class (its default export holds one shared instance); read when first used. */
const apiClientClass = (): (new () => ApiClient) =>
  (platformClient as unknown as { ApiClientClass: new () => ApiClient }).ApiClientClass;

/** The SDK's default request timeout (ApiClient.js). */
const DEFAULT_TIMEOUT_MS = 16_000;
/** Log in again this long before the token expires (at most a tenth of its lifetime). */
const RENEW_MARGIN_MS = 60_000;

export interface SessionOptions {
  target: GenesysTarget;
  credentials: Credentials;
  stats: GenesysStats;
  retry?: Partial<RetryOptions>;
  /** The rate limit of each token. */
  rateLimit?: Partial<RateLimitOptions>;
  /** Tokens to spread requests over, each with its own budget (default 1, at most MAX_TOKENS). */
  tokens?: number;
  /** Per request, login and download. Default 16 s, the SDK's. */
  timeoutMs?: number;
  /** Clock for token expiry (tests inject one). */
  now?: () => number;
}

interface ExtendedResponse<T> {
  status: number;
  headers: unknown;
  body: T;
}

function createApiClient(target: GenesysTarget, timeoutMs: number): ApiClient {
  const client = new (apiClientClass())();
  client.config.live_reload_config = false;
  if (target.kind === 'gateway') {
    client.setGateway(gatewayConfiguration(target));
  } else {
    client.config.gateway = undefined;
    client.setEnvironment(target.environment);
  }
  client.setReturnExtendedResponses(true);
  client.getHttpClient().setTimeout(timeoutMs);
  return client;
}

/** An error answer's body as JSON when it is JSON (an ErrorBody), else its text. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** One access token: its own SDK ApiClient, login and rate limit (Genesys counts requests per token). */
class Lane {
  readonly client: ApiClient;
  readonly architect: ArchitectApi;
  readonly limiter: RequestLimiter;
  token: string | undefined;
  renewAt = 0;
  loggingIn: Promise<void> | undefined;

  constructor(target: GenesysTarget, timeoutMs: number, rateLimit: Partial<RateLimitOptions> | undefined) {
    this.client = createApiClient(target, timeoutMs);
    this.architect = new platformClient.ArchitectApi(this.client);
    this.limiter = createRateLimiter(rateLimit);
  }
}

/** Most tokens one session uses (the Terraform provider allows a pool of up to 20 clients). */
export const MAX_TOKENS = 20;

export class ApiSession {
  /**
   * Lane 0 is logged in at open; the others (options.tokens) only once lane 0 has more work than its
   * budget lets through at once, so small runs cost one login and large applies spread their
   * requests over several tokens' budgets, as the Terraform provider's pool of clients does.
   */
  private readonly lanes: Lane[];
  private readonly retry: RetryOptions;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  private constructor(private readonly options: SessionOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const tokens = Math.min(MAX_TOKENS, Math.max(1, Math.floor(options.tokens ?? 1)));
    this.lanes = Array.from({ length: tokens }, () => new Lane(options.target, this.timeoutMs, options.rateLimit));
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.now = options.now ?? Date.now;
  }

  /** Connects and logs in; a RemoteError explains bad credentials or an unreachable host. */
  static async open(options: SessionOptions): Promise<ApiSession> {
    const session = new ApiSession(options);
    try {
      await session.login(session.lanes[0]!);
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  /**
   * Logs in, all at once, the tokens that `requestsAtOnce` requests sent together would need (each
   * token takes its limiter's concurrency), so that a burst of writes does not wait for logins one
   * round trip into it. A login that fails here is tried again when its token is first used.
   */
  async prepare(requestsAtOnce: number): Promise<void> {
    const perLane = Math.max(1, this.lanes[0]!.limiter.maxConcurrent);
    const needed = Math.min(this.lanes.length, Math.ceil(Math.max(0, requestsAtOnce) / perLane));
    await Promise.allSettled(
      this.lanes.slice(0, needed).map((lane) => (lane.token === undefined ? this.login(lane) : undefined)),
    );
  }

  /** Tokens logged in so far. */
  get tokensInUse(): number {
    return this.lanes.filter((l) => l.token !== undefined).length;
  }

  /** The first lane whose budget and free slots let a request through now; else the one with most budget left. */
  private pickLane(): Lane {
    let best = this.lanes[0]!;
    for (const lane of this.lanes) {
      const { limiter } = lane;
      if (limiter.available() >= 1 && limiter.pending() < limiter.maxConcurrent) return lane;
      if (limiter.available() > best.limiter.available()) best = lane;
    }
    return best;
  }

  private get stats(): GenesysStats {
    return this.options.stats;
  }

  /**
   * Runs `attempt` until it succeeds, or fails in a way `shouldRetry` gives up on; then a RemoteError.
   * The decision travels with the failure (`failed`: the retry policy's wait, or 0 for the one
   * re-login after a 401). A loop of its own rather than p-retry: p-retry 6 waits by a schedule it
   * computes before the first attempt (the `retry` package's timeouts, jittered by Math.random), so
   * it can neither wait what a 429's Retry-After says nor take an injected jitter; it was run with
   * its waits zeroed and the real wait slept in `onFailedAttempt`, a loop in disguise.
   */
  private async withRetries<T>(
    operation: string,
    host: string,
    attempt: (n: number) => Promise<T>,
    presigned = false,
  ): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt(n);
      } catch (error) {
        if (!(error instanceof HttpFailureError)) throw error;
        if (error.retryDelayMs === null) {
          throw toRemoteError(error.failure, {
            operation,
            host,
            clientId: this.options.credentials.clientId,
            attempts: n,
            secrets: [this.options.credentials.clientSecret, ...this.lanes.flatMap((l) => (l.token ? [l.token] : []))],
            presigned,
          });
        }
        this.stats.retries += 1;
        if (error.retryDelayMs > 0) await sleep(error.retryDelayMs);
      }
    }
  }

  private failed(error: unknown, attempt: number): HttpFailureError {
    // The SDK throws a plain string for a missing required parameter: a bug here, not a remote failure.
    if (typeof error === 'string') throw new Error(`purecloud-platform-client-v2: ${error}`);
    const failure = describeFailure(error);
    if (failure.status === 429) this.stats.throttled += 1;
    return new HttpFailureError(failure, shouldRetry(failure, attempt, this.retry));
  }

  /** Client-credentials login of one lane; concurrent callers share one login. */
  private login(lane: Lane): Promise<void> {
    lane.loggingIn ??= this.withRetries('log in', hostLabel(this.options.target, 'login'), async (n) => {
      this.stats.requests += 1;
      this.stats.logins += 1;
      const { clientId, clientSecret } = this.options.credentials;
      try {
        const auth = await lane.client.loginClientCredentialsGrant(clientId, clientSecret);
        const lifetime = Math.max(0, auth.tokenExpiryTime - Date.now());
        lane.token = auth.accessToken;
        lane.renewAt = this.now() + lifetime - Math.min(RENEW_MARGIN_MS, lifetime / 10);
      } catch (error) {
        throw this.failed(error, n);
      }
    }).finally(() => {
      lane.loggingIn = undefined;
    });
    return lane.loggingIn;
  }

  private async ensureToken(lane: Lane): Promise<string | undefined> {
    if (lane.token === undefined || this.now() >= lane.renewAt) await this.login(lane);
    return lane.token;
  }

  /**
   * One API call through a lane's limiter, with retries. `send` makes the SDK call, with the lane's
   * ArchitectApi or any other API bound to its `client` (`new RoutingApi(client)`); its result is the
   * extended response, of which the body is returned. A 401 logs in again once and repeats the call.
   */
  async call<T>(operation: string, send: (api: ArchitectApi, client: ApiClient) => Promise<T>): Promise<T> {
    let reauthenticated = false;
    const lane = this.pickLane();
    return this.withRetries(operation, hostLabel(this.options.target, 'api'), (n) =>
      lane.limiter.schedule(async () => {
        const token = await this.ensureToken(lane);
        this.stats.requests += 1;
        try {
          const response = (await send(lane.architect, lane.client)) as unknown as ExtendedResponse<T>;
          return response.body;
        } catch (error) {
          const failure = this.failed(error, n);
          if (failure.failure.status === 401 && !reauthenticated) {
            reauthenticated = true;
            if (lane.token === token) lane.token = undefined;
            throw new HttpFailureError(failure.failure, 0);
          }
          throw failure;
        }
      }),
    );
  }

  /** GET of a presigned URL (an export download): no Authorization header, not rate limited, retried. */
  async download(url: string, operation: string): Promise<Uint8Array> {
    const host = new URL(url).host;
    return this.withRetries(
      operation,
      host,
      async (n) => {
        this.stats.downloads += 1;
        let failure: HttpFailure;
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
          if (response.ok) return new Uint8Array(await response.arrayBuffer());
          failure = { status: response.status, headers: plainHeaders(response.headers) };
          await response.body?.cancel();
        } catch (error) {
          throw this.failed(error, n);
        }
        throw this.failed(new HttpFailureError(failure), n);
      },
      true,
    );
  }

  /**
   * PUT of `body` to a presigned upload URL (an Architect job's file) with exactly the headers the
   * job registration returned and no Authorization header: the URL's signature is the credential,
   * as for an S3 presigned PUT. Not rate limited (not the API host); retried like a download, which
   * is safe: the same bytes to the same URL. S3 would accept a second PUT; the emulator answers it
   * 409 (src/emulator/README.md). A 409 after a retried attempt therefore means an earlier attempt
   * arrived and only its answer was lost: that is 'already-uploaded', and the job's state tells the rest.
   */
  async upload(
    url: string,
    headers: Readonly<Record<string, string>>,
    body: string,
    operation: string,
  ): Promise<'uploaded' | 'already-uploaded'> {
    const host = new URL(url).host;
    return this.withRetries(
      operation,
      host,
      async (n) => {
        this.stats.uploads += 1;
        let failure: HttpFailure;
        try {
          const response = await presignedPut(url, headers, body, this.timeoutMs);
          if (response.status >= 200 && response.status < 300) return 'uploaded';
          if (response.status === 409 && n > 1) return 'already-uploaded';
          failure = {
            status: response.status,
            headers: plainHeaders(response.headers),
            body: parseJson(response.text),
          };
        } catch (error) {
          throw this.failed(error, n);
        }
        throw this.failed(new HttpFailureError(failure), n);
      },
      true,
    );
  }

  /** Stops the limiters' timers; pending calls fail. */
  async close(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.limiter.stop()));
  }
}
