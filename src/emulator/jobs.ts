/**
 * Architect jobs (shared/reference/genesys-flow-api.md section 2): `POST /api/v2/flows/jobs` answers
 * a presigned URL on the emulator itself; a PUT of Archy YAML there starts the job, which runs
 * `jobMs` later: Registered -> Started -> Success (with flow.id) or Failure (with messages).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Models } from 'purecloud-platform-client-v2';
import type { FileCheckRecord } from '../check/index.js';
import type { App } from './app.js';
import { ApiError, notFound, queryList, type Reply } from './http.js';
import { toJobState } from './models.js';
import { checkUpload, publishDesired } from './publish-flow.js';
import type { RequestContext, Router } from './router.js';
import type { StoredJob, StoredMessage } from './state-store.js';

/** Headers the client must send with the upload, like the signed headers of an S3 presigned PUT. */
export const UPLOAD_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'application/octet-stream',
});
export const UPLOAD_PATH = '/__emulator/uploads/';
/** Finished jobs kept (oldest dropped first), so a long-running emulator's state stays small. */
const MAX_JOBS = 2000;

export function message(
  type: 'Error' | 'Warning' | 'Info',
  text: string,
  details?: StoredMessage['details'],
): StoredMessage {
  const m: StoredMessage = { dateTime: new Date().toISOString(), type, text };
  if (details) m.details = details;
  return m;
}

export function addJobRoutes(router: Router, app: App): void {
  router
    .add('POST', '/api/v2/flows/jobs', 'architect:job:create', (ctx) => registerJob(app, ctx))
    .add('GET', '/api/v2/flows/jobs/:jobId', 'architect:job:view', (ctx) => {
      const job = Object.hasOwn(app.state.jobs, ctx.params.jobId ?? '')
        ? app.state.jobs[ctx.params.jobId ?? '']
        : undefined;
      if (!job) throw notFound('job', ctx.params.jobId ?? '');
      const expand = queryList(ctx.query, 'expand').includes('messages');
      return { status: 200, body: toJobState(job, expand) };
    });
}

async function registerJob(app: App, ctx: RequestContext): Promise<Reply> {
  // The optional body ({createStubs}) is read and ignored: the emulator never creates stubs.
  await ctx.body();
  const job: StoredJob = {
    id: randomUUID(),
    clientId: ctx.caller.clientId,
    status: 'Registered',
    messages: [],
    uploadToken: randomBytes(24).toString('base64url'),
    createdAt: app.now(),
  };
  pruneJobs(app);
  app.state.jobs[job.id] = job;
  await ctx.commit();
  const body: Models.RegisterArchitectJobResponse = {
    id: job.id,
    presignedUrl: `${ctx.baseUrl}${UPLOAD_PATH}${job.id}?signature=${job.uploadToken}`,
    headers: { ...UPLOAD_HEADERS },
    selfUri: `/api/v2/flows/jobs/${job.id}`,
  };
  return { status: 200, body };
}

function pruneJobs(app: App): void {
  const jobs = Object.values(app.state.jobs);
  if (jobs.length < MAX_JOBS) return;
  const finished = jobs
    .filter((j) => j.status === 'Success' || j.status === 'Failure')
    .sort((a, b) => a.createdAt - b.createdAt);
  for (const job of finished.slice(0, jobs.length - MAX_JOBS + 1)) delete app.state.jobs[job.id];
}

/**
 * `PUT /__emulator/uploads/{jobId}?signature=...`: the upload that starts the job. Like S3, a wrong
 * signature or a missing signed header is a 403, and the upload is not counted as an API request.
 */
export async function uploadJobFile(
  app: App,
  jobId: string,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<Reply> {
  const job = Object.hasOwn(app.state.jobs, jobId) ? app.state.jobs[jobId] : undefined;
  if (!job || query.get('signature') !== job.uploadToken) {
    throw new ApiError(403, 'signature.does.not.match', 'The upload URL is not valid for job {jobId}.', { jobId });
  }
  for (const [name, value] of Object.entries(UPLOAD_HEADERS)) {
    if (headers[name.toLowerCase()] !== value) {
      throw new ApiError(
        403,
        'signature.does.not.match',
        'The upload must send the header {name}: {value}, as the job registration said.',
        { name, value },
      );
    }
  }
  if (job.status !== 'Registered') {
    throw new ApiError(409, 'job.already.started', 'Job {jobId} already received its file.', { jobId });
  }
  job.status = 'Started';
  const text = body.toString('utf8');
  // The file is read while the job runs, off the thread that answers requests (job-files.ts), and
  // not at once: a third into the job (at most a second), after the burst of locks and uploads that
  // came with it. A real org reads it on servers of its own; here the reading shares the machine
  // with the client measured, whose uploads it would otherwise slow. The job ends when it would.
  const checking = readLater(app, text);
  app.schedule(() => void finishJob(app, job, text, checking), app.faults.jobMs);
  await app.store.commit();
  return { status: 200, headers: { ETag: `"${jobId}"` } };
}

/** How long into a job its file is first read (see uploadJobFile). */
function readDelayMs(jobMs: number): number {
  return Math.min(1_000, Math.floor(Math.max(0, jobMs) / 3));
}

function readLater(app: App, text: string): Promise<FileCheckRecord | undefined> {
  const wait = readDelayMs(app.faults.jobMs);
  if (wait <= 0) return app.jobFiles.check(text);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(app.jobFiles.check(text)), wait);
    timer.unref();
  });
}

async function finishJob(
  app: App,
  job: StoredJob,
  text: string,
  checking: Promise<FileCheckRecord | undefined>,
): Promise<void> {
  const own = await checking;
  // The emulator closed while the worker read the file: the job is lost, as after a restart.
  if (app.jobFiles.closed) return;
  if (app.faults.jobFailure > 0 && app.random() < app.faults.jobFailure) {
    // A transient failure as Genesys reports some throttled jobs: "could not find the flow". The
    // detail carries the failed inner call's status, so clients need not read the text.
    job.status = 'Failure';
    job.messages.push(
      message(
        'Error',
        'Transient failure: could not find the flow while publishing (emulator fault injection). Retry the job.',
        [{ type: 'Http', method: 'GET', url: '/api/v2/flows', statusCode: 429, statusMessage: 'Too Many Requests' }],
      ),
    );
  } else {
    try {
      runJob(app, job, text, own);
    } catch (error) {
      // A bug must fail the job, not take the whole emulator down with it.
      process.stderr.write(`emulator: job ${job.id}: ${(error as Error).stack ?? String(error)}\n`);
      job.status = 'Failure';
      job.messages.push(message('Error', `Internal error in the emulator: ${(error as Error).message}`));
    }
  }
  app.store.commit().catch((error: unknown) => {
    process.stderr.write(`emulator: could not save the state: ${(error as Error).message}\n`);
  });
}

function runJob(app: App, job: StoredJob, text: string, own: FileCheckRecord | undefined): void {
  const checked = checkUpload(app.state, text, own);
  if (!checked.flow) {
    job.status = 'Failure';
    job.messages.push(...checked.messages.map((m) => message('Error', m)));
    return;
  }
  const outcome = publishDesired(app.state, checked.flow, job.clientId, app.now(), app.objects);
  if (!outcome.ok) {
    job.status = 'Failure';
    job.messages.push(...outcome.messages.map((m) => message('Error', m)));
    return;
  }
  job.status = 'Success';
  job.command = outcome.created ? 'Create' : 'Update';
  job.flowId = outcome.flow.id;
  job.messages.push(
    message('Info', `Published ${outcome.flow.type} flow "${outcome.flow.name}" as version ${outcome.version}.`),
  );
}

/** After a restart, a job that was running is lost: it fails with a message saying to retry. */
export function failInterruptedJobs(app: App): void {
  for (const job of Object.values(app.state.jobs)) {
    if (job.status === 'Started') {
      job.status = 'Failure';
      job.messages.push(
        message('Error', 'Transient failure: the emulator restarted while the job ran. Retry the job.'),
      );
    }
  }
  for (const job of Object.values(app.state.exportJobs)) {
    if (job.status === 'Started') {
      job.status = 'Failure';
      job.messages.push(
        message('Error', 'Transient failure: the emulator restarted while the job ran. Retry the job.'),
      );
    }
  }
}
