/**
 * Publishing one Archy YAML file through the Architect job API (shared/reference/genesys-flow-api.md
 * section 2): `POST /api/v2/flows/jobs` (SDK `postFlowsJobs`) answers `{id, presignedUrl, headers}`;
 * a plain PUT of the bytes to `presignedUrl` with exactly those headers starts the job, in which
 * Archy creates or updates the flow and publishes it; `GET /api/v2/flows/jobs/{id}?expand=messages`
 * (SDK `getFlowsJob`) reports Registered, Started, then Success (with `flow.id`) or Failure.
 *
 * Each HTTP call is retried by the session like a read (register, upload, poll); the *job* is never
 * retried here: after a failure apply must re-read the flow and re-check staleness first
 * (ARCHITECTURE.md "Apply, safely" 2 and 5). A registration repeated after a lost answer leaves an
 * unused job behind, which is harmless; an upload repeated after a lost answer is handled by
 * ApiSession.upload.
 *
 * Polling: the Terraform provider checks every 15 s (reference section 2), so a 1 s job costs it
 * 15 s. Here the first check comes after 100 ms and each wait is 1.5 times the previous, at most
 * 2 s: checks at about 0.1, 0.25, 0.48, 0.82, 1.3 s..., so a 200 ms job is seen done by its second
 * or third check (under 0.5 s), and a slow job costs one request every 2 s, 30 a minute, a tenth of
 * the token's 300 (section 5). Once a client has seen jobs finish, it waits about as long as they
 * took (JobDurations) before the first check: an apply's jobs then cost one or two checks each.
 * Before that (a fresh runner), only four jobs at once poll on this schedule, a quarter step apart
 * (PUBLISH_SCOUTS); the others started meanwhile are checked when a scout's job is seen done (or
 * once they have run as long as jobs were learned to take), else after 2 s. The wait is bounded
 * (10 min by default), by the clock as well as by the sum of the waits, since each check also takes
 * time.
 */
import type { Models } from 'purecloud-platform-client-v2';
import { RemoteError } from '../errors.js';
import type { ApiSession } from './api-session.js';
import { classifyJobFailure, FlowJobError } from './job-failure.js';
import { type JobDurations, JobWatch, type PollOptions, pollUntilDeadline } from './poll.js';
import type { GenesysStats } from './types.js';

export const DEFAULT_PUBLISH_POLL: Readonly<PollOptions> = Object.freeze({
  initialDelayMs: 100,
  factor: 1.5,
  maxDelayMs: 2_000,
  timeoutMs: 600_000,
});

/**
 * Jobs polled on the usual schedule at once while this client has not yet seen how long its jobs
 * take (JobWatchOptions.scouts): the first ten or fifty jobs of an apply start together, and four
 * scouts, each a quarter step later than the one before, look at the group often enough (a 1.5 s job
 * is seen done by 1.62 s, not 2.08 s) while the others wait for what they learn.
 */
export const PUBLISH_SCOUTS = 4;

/** Job states still under way (ArchitectJobStateResponse.status). */
const RUNNING: ReadonlySet<string> = new Set(['Registered', 'Started']);

export interface PublishFlowOptions {
  /** Called before each check of the job, with the milliseconds since publishFlow began (progress). */
  onPoll?: (elapsedMs: number) => void;
  /** Called once the file is uploaded: the job is under way, only waiting is left. */
  onUploaded?: () => void;
  /** Longest wait for the job once uploaded (default 10 min). */
  timeoutMs?: number;
  /** What this client's earlier jobs took: the first check waits about that long. */
  durations?: JobDurations;
  /** A job registered ahead (registerJob): its file goes there instead of a job registered now. */
  job?: Promise<RegisteredJob>;
}

export interface PublishResult {
  flowId: string;
  jobId: string;
  /** Architect's message texts (e.g. "Published ... as version 2.0"). */
  messages: string[];
  /** `Create` or `Update`, when the job says. */
  command?: string;
}

interface Context {
  session: ApiSession;
  stats: GenesysStats;
  poll: PollOptions;
  onPoll: ((elapsedMs: number) => void) | undefined;
  started: number;
  durations: JobDurations | undefined;
}

function textsOf(state: Models.ArchitectJobStateResponse | undefined): string[] {
  return (state?.messages ?? []).map((m) => m.text ?? '').filter((t) => t !== '');
}

/** Polls the job until it leaves Registered/Started, or the time runs out (then the last state seen). */
async function waitForJob(
  ctx: Context,
  jobId: string,
): Promise<{ state?: Models.ArchitectJobStateResponse; waitedMs: number; checks: number }> {
  const waitStart = Date.now();
  let last: Models.ArchitectJobStateResponse | undefined;
  let checks = 0;
  const watch = new JobWatch(ctx.durations, { scouts: PUBLISH_SCOUTS });
  try {
    await pollUntilDeadline(async () => {
      ctx.onPoll?.(Date.now() - ctx.started);
      ctx.stats.publishPolls += 1;
      checks += 1;
      watch.asking();
      last = await ctx.session.call(`check Architect job ${jobId}`, (api) =>
        api.getFlowsJob(jobId, { expand: ['messages'] }),
      );
      const done = last.status !== undefined && !RUNNING.has(last.status);
      watch.answered(!done, last.status === 'Success');
      return done ? last : undefined;
    }, watch.pollOptions(ctx.poll));
  } finally {
    watch.finished();
  }
  return { ...(last ? { state: last } : {}), waitedMs: Date.now() - waitStart, checks };
}

/** Registers a job, uploads `yaml`, waits for the outcome. Rejects with FlowJobError on Failure or timeout. */
/** An Architect job registered and not yet given its file: where to upload it. */
export interface RegisteredJob {
  id: string;
  presignedUrl: string;
  headers: Record<string, string>;
}

/**
 * Registers an Architect job (`POST /api/v2/flows/jobs`). Registering needs nothing of the flow, so
 * apply may do it while it takes the flow's lock and looks at it, and upload once the look allows:
 * one round trip fewer before each job starts. A job registered and never uploaded runs nothing.
 */
export async function registerJob(session: ApiSession, stats: GenesysStats): Promise<RegisteredJob> {
  const job = await session.call('register an Architect job', (api) => api.postFlowsJobs());
  stats.publishJobs += 1;
  if (!job.id || !job.presignedUrl)
    throw new RemoteError('register an Architect job: the answer has no job id or upload URL');
  return { id: job.id, presignedUrl: job.presignedUrl, headers: (job.headers ?? {}) as Record<string, string> };
}

export async function publishFlow(
  session: ApiSession,
  stats: GenesysStats,
  yaml: string,
  options: PublishFlowOptions & { poll?: Partial<PollOptions> } = {},
): Promise<PublishResult> {
  const poll: PollOptions = { ...DEFAULT_PUBLISH_POLL, ...options.poll };
  if (options.timeoutMs !== undefined) poll.timeoutMs = Math.max(0, options.timeoutMs);
  const ctx: Context = {
    session,
    stats,
    poll,
    onPoll: options.onPoll,
    started: Date.now(),
    durations: options.durations,
  };

  const job = await (options.job ?? registerJob(session, stats));
  const jobId = job.id;
  await session.upload(job.presignedUrl, job.headers, yaml, `upload the flow file of Architect job ${jobId}`);
  options.onUploaded?.();

  const { state, waitedMs, checks } = await waitForJob(ctx, jobId);
  const messages = textsOf(state);
  const flowId = state?.flow?.id;
  if (!state || RUNNING.has(state.status ?? '') || state.status === undefined) {
    const status = state?.status ?? 'unknown';
    throw new FlowJobError({
      jobId,
      reason: 'timeout',
      messages,
      waitedMs,
      status,
      ...(flowId ? { flowId } : {}),
      summary: `Architect job ${jobId} did not finish within ${formatSeconds(waitedMs)} (still ${status} after ${checks} checks)`,
    });
  }
  if (state.status === 'Success') {
    if (!flowId) throw new RemoteError(`Architect job ${jobId} succeeded but names no flow`);
    return { flowId, jobId, messages, ...(state.command ? { command: state.command } : {}) };
  }
  // Failure, or a status this code does not know: either way the flow was not published.
  const found = classifyJobFailure(state);
  throw new FlowJobError({
    jobId,
    reason: found.reason,
    messages,
    status: state.status,
    ...(found.holder ? { holder: found.holder } : {}),
    ...(found.evidence ? { evidence: found.evidence } : {}),
    ...(flowId ? { flowId } : {}),
  });
}

function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
