/**
 * Export jobs: `POST /api/v2/flows/export/jobs` for many flows at once, `GET .../{id}` until Success,
 * then one download for the whole job. Only published versions export (the Terraform provider's
 * note). Each flow's YAML is written afresh from the stored flow, as Architect does
 * (architect-export.ts). Packaging: one flow -> that YAML itself; several -> a ZIP of one
 * `<fileName>.yaml` per flow, as the SDK docs describe the download URL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Models } from 'purecloud-platform-client-v2';
import type { App } from './app.js';
import { ApiError, badRequest, notFound, parseJson, type Reply } from './http.js';
import { message } from './jobs.js';
import { toMessages } from './models.js';
import { findByTypeName, findVersion } from './org.js';
import type { RequestContext, Router } from './router.js';
import type { StoredExportEntry, StoredExportJob, StoredExportRequest } from './state-store.js';
import { exportVersion } from './version-content.js';
import { createZip } from './zip.js';

export const DOWNLOAD_PATH = '/__emulator/downloads/';
const MAX_FLOWS_PER_JOB = 1000;
const MAX_EXPORT_JOBS = 500;
/** ExportDetails.fileName: "Must contain only alphanumeric characters, underscores, or hyphens." */
const FILE_NAME = /^[A-Za-z0-9_-]+$/;

export function addExportRoutes(router: Router, app: App): void {
  router
    .add('POST', '/api/v2/flows/export/jobs', 'architect:flow:view', (ctx) => registerExport(app, ctx))
    .add('GET', '/api/v2/flows/export/jobs/:jobId', 'architect:flow:view', (ctx) => {
      const job = exportJob(app, ctx.params.jobId ?? '');
      const body: Models.ArchitectExportJobStateResponse = {
        id: job.id,
        status: job.status,
        command: 'Export',
        messages: toMessages(job.messages),
        selfUri: `/api/v2/flows/export/jobs/${job.id}`,
      };
      if (job.status === 'Success')
        body.downloadUrl = `${ctx.baseUrl}${DOWNLOAD_PATH}${job.id}?signature=${job.downloadToken}`;
      return { status: 200, body };
    });
}

function exportJob(app: App, id: string): StoredExportJob {
  const job = Object.hasOwn(app.state.exportJobs, id) ? app.state.exportJobs[id] : undefined;
  if (!job) throw notFound('export job', id);
  return job;
}

function validateRequests(body: Models.RegisterArchitectExportJob | null): StoredExportRequest[] {
  if (!body || !Array.isArray(body.flows) || body.flows.length === 0)
    throw badRequest('flows must list at least one flow to export.');
  if (body.flows.length > MAX_FLOWS_PER_JOB)
    throw badRequest('An export job takes at most {max} flows.', { max: String(MAX_FLOWS_PER_JOB) });
  return body.flows.map((details, i) => {
    const flow = details?.flow;
    if (!flow || typeof flow !== 'object' || (!flow.id && !(flow.name && flow.type))) {
      throw badRequest('flows[{index}].flow needs an id, or both a name and a type.', { index: String(i) });
    }
    if (details.fileName !== undefined && !FILE_NAME.test(details.fileName)) {
      throw badRequest('flows[{index}].fileName must contain only alphanumeric characters, underscores, or hyphens.', {
        index: String(i),
      });
    }
    const request: StoredExportRequest = { flow: { ...flow } };
    if (details.fileName !== undefined) request.fileName = details.fileName;
    if (details.exportType !== undefined) request.exportType = details.exportType;
    return request;
  });
}

async function registerExport(app: App, ctx: RequestContext): Promise<Reply> {
  const requests = validateRequests(parseJson<Models.RegisterArchitectExportJob | null>(await ctx.body()));
  const job: StoredExportJob = {
    id: randomUUID(),
    clientId: ctx.caller.clientId,
    status: 'Started',
    requests,
    entries: [],
    messages: [],
    downloadToken: randomBytes(24).toString('base64url'),
    createdAt: app.now(),
  };
  pruneExportJobs(app);
  app.state.exportJobs[job.id] = job;
  app.schedule(() => {
    runExport(app, job);
    app.store.commit().catch((error: unknown) => {
      process.stderr.write(`emulator: could not save the state: ${(error as Error).message}\n`);
    });
  }, app.faults.jobMs);
  await ctx.commit();
  const body: Models.RegisterArchitectExportJobResponse = {
    id: job.id,
    status: job.status,
    totalFlows: requests.length,
    selfUri: `/api/v2/flows/export/jobs/${job.id}`,
  };
  return { status: 200, body };
}

function pruneExportJobs(app: App): void {
  const jobs = Object.values(app.state.exportJobs).sort((a, b) => a.createdAt - b.createdAt);
  for (const job of jobs.slice(0, Math.max(0, jobs.length - MAX_EXPORT_JOBS + 1))) delete app.state.exportJobs[job.id];
}

/** Resolves every requested flow; any that cannot export fails the whole job, naming each problem. */
function runExport(app: App, job: StoredExportJob): void {
  const problems: string[] = [];
  const used = new Set<string>();
  for (const request of job.requests) {
    const resolved = resolve(app, request);
    if (typeof resolved === 'string') {
      problems.push(resolved);
      continue;
    }
    let fileName = resolved.fileName;
    for (let n = 2; used.has(fileName.toLowerCase()); n++) fileName = `${resolved.fileName}_${n}`;
    used.add(fileName.toLowerCase());
    job.entries.push({ ...resolved, fileName });
  }
  if (problems.length > 0) {
    job.status = 'Failure';
    job.entries = [];
    job.messages.push(...problems.map((p) => message('Error', p)));
  } else {
    job.status = 'Success';
  }
}

function resolve(app: App, request: StoredExportRequest): StoredExportEntry | string {
  const ref = request.flow;
  const label = ref.id ?? `${ref.type ?? ''} "${ref.name ?? ''}"`;
  if ((request.exportType ?? 'Yaml') !== 'Yaml')
    return `Flow ${label}: export type ${request.exportType} is not supported by the emulator (only Yaml).`;
  const flow = ref.id
    ? Object.hasOwn(app.state.flows, ref.id)
      ? app.state.flows[ref.id]
      : undefined
    : findByTypeName(app.state, ref.type ?? '', ref.name ?? '');
  if (!flow || flow.deleted) return `Flow ${label} was not found.`;
  const wanted = ref.version ? (/^\d+$/.test(ref.version) ? `${ref.version}.0` : ref.version) : flow.publishedVersionId;
  if (!wanted) return `Flow "${flow.name}" has no published version: only published versions export.`;
  const version = findVersion(flow, wanted);
  if (!version) return `Flow "${flow.name}" has no version ${wanted}.`;
  if (version.publishedAt === undefined)
    return `Version ${wanted} of flow "${flow.name}" was never published: only published versions export.`;
  const fileName = request.fileName ?? (flow.name.replace(/[^A-Za-z0-9_-]+/g, '_') || 'flow');
  return { flowId: flow.id, name: flow.name, type: flow.type, version: version.id, fileName };
}

/** `GET /__emulator/downloads/{jobId}?signature=...`: the download URL of a finished export job. */
export function downloadExport(app: App, jobId: string, query: URLSearchParams): Reply {
  const job = Object.hasOwn(app.state.exportJobs, jobId) ? app.state.exportJobs[jobId] : undefined;
  if (!job || job.status !== 'Success' || query.get('signature') !== job.downloadToken) {
    throw new ApiError(403, 'signature.does.not.match', 'The download URL is not valid for export job {jobId}.', {
      jobId,
    });
  }
  const files = job.entries.map((entry) => {
    const flow = app.state.flows[entry.flowId];
    const version = flow ? findVersion(flow, entry.version) : undefined;
    // Written now, from the stored flow, by the revision this emulator runs as (not stored with the job).
    return {
      name: `${entry.fileName}.yaml`,
      data: Buffer.from(version ? exportVersion(version, app.exportRevision) : '', 'utf8'),
    };
  });
  const [only] = files;
  if (files.length === 1 && only) {
    return {
      status: 200,
      raw: only.data,
      headers: {
        'Content-Type': 'application/yaml; charset=utf-8',
        'Content-Disposition': `attachment; filename="${only.name}"`,
      },
    };
  }
  return {
    status: 200,
    raw: createZip(files),
    headers: {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="export-${job.id}.zip"`,
    },
  };
}
