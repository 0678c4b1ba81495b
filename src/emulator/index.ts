/**
 * flowops emulator: a local HTTP server speaking the flow parts of the Genesys Cloud Platform API
 * (shared/reference/genesys-flow-api.md), so the unmodified official SDK works against it through
 * `ApiClient.setGateway`. See README.md beside this file.
 */
import { randomInt } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Timers, type App } from './app.js';
import { JobFiles } from './job-files.js';
import { Auth, DEFAULT_CLIENT, DEFAULT_TOKEN_TTL_SECONDS, type ClientConfig } from './auth.js';
import { addDependencyRoutes } from './dependencies.js';
import { DEFAULT_EXPORT_REVISION, EXPORT_REVISIONS, type ExportRevision } from './export-defaults.js';
import { addExportRoutes } from './export.js';
import { createRandom, NO_FAULTS, parseFaultSpec } from './faults.js';
import { addFlowActionRoutes } from './flow-actions.js';
import { addFlowRoutes } from './flows-routes.js';
import { addIvrRoutes } from './ivrs-routes.js';
import { addJobRoutes, failInterruptedJobs } from './jobs.js';
import { type OrgObjectsSpec, readObjectsFile } from './objects-file.js';
import { addObjectRoutes } from './objects-routes.js';
import { OrgCatalog } from './org-catalog.js';
import { addQueueRoutes } from './queues-routes.js';
import { RateLimiter } from './rate-limit.js';
import { Router } from './router.js';
import { seedFromDirectory } from './seed.js';
import { createRequestHandler } from './server.js';
import { StateStore } from './state-store.js';
import { Stats } from './stats.js';

export { parseFaultSpec, FaultSpecError, type FaultSpec } from './faults.js';
export { parseClientSpec, ClientSpecError, type ClientConfig } from './auth.js';
export { SeedError } from './seed.js';
export { parseObjectsFile, readObjectsFile, type OrgObjectsSpec } from './objects-file.js';
export { StateFileError } from './state-store.js';
export type { StatsSnapshot } from './stats.js';
export { DEFAULT_EXPORT_REVISION, EXPORT_REVISIONS, type ExportRevision } from './export-defaults.js';
export { writeArchitectExport } from './architect-export.js';
export type { Tracking } from './tracking.js';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Persist the state here after every change; reload it at start. */
  stateFile?: string;
  /** Publish every Archy file of this directory at first start (when the state has no flows). */
  seedDir?: string;
  /** Default: `local-client` / `local-secret` with every permission. */
  clients?: ClientConfig[];
  /** Requests a minute per token; 0 turns the limit off. Default 300, as Genesys. */
  rateLimitPerMinute?: number;
  /** `--faults` spec, e.g. `status500=0.05,jobMs=200`. */
  faults?: string;
  /** Seed of the fault dice (random when not given). */
  seedRandom?: number;
  tokenTtlSeconds?: number;
  /**
   * Which Architect revision exports are written as: 1 like 2021-22 exports, 2 (default) like 2023
   * and later ones (architect-export.md section 4). Applied at export time: the same state exports
   * differently under the other revision.
   */
  exportRevision?: ExportRevision;
  /**
   * The org's objects (queues, prompts, data actions, ...): an objects file's path or its parsed
   * content (objects-file.ts). Without it the emulator models no org objects and checks none.
   */
  objects?: OrgObjectsSpec | string;
}

export interface RunningEmulator {
  /** `http://host:port` */
  url: string;
  port: number;
  /** Seed the fault dice use (given or drawn): print it so a failing run can be replayed. */
  seedRandom: number;
  /** Number of flows published from `seedDir` (0 when the state already had flows). */
  seeded: number;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const faults = options.faults ? parseFaultSpec(options.faults) : { ...NO_FAULTS };
  const seedRandom = options.seedRandom ?? randomInt(0, 2 ** 31);
  const clients = options.clients && options.clients.length > 0 ? options.clients : [DEFAULT_CLIENT];
  const ttl = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  const exportRevision = options.exportRevision ?? DEFAULT_EXPORT_REVISION;
  if (!EXPORT_REVISIONS.includes(exportRevision))
    throw new RangeError(`exportRevision must be 1 or 2, got ${String(exportRevision)}`);

  let auth: Auth | undefined;
  const store = await StateStore.open(options.stateFile, (state) => auth?.pruneTokens(state));
  const timers = new Timers();
  const app: App = {
    state: store.state,
    store,
    faults,
    exportRevision,
    random: createRandom(seedRandom),
    now: Date.now,
    schedule: (fn, ms) => timers.schedule(fn, ms),
    jobFiles: new JobFiles(),
  };
  auth = new Auth(clients, store.state, ttl);
  failInterruptedJobs(app);
  if (options.objects !== undefined) {
    const spec = typeof options.objects === 'string' ? await readObjectsFile(options.objects) : options.objects;
    app.objects = new OrgCatalog(spec);
    // Before the seed: the seed's flows are checked against these objects, and routed to by its IVRs.
    app.objects.loadIntoState(
      store.state,
      app.now(),
      typeof options.objects === 'string' ? options.objects : 'objects',
    );
  }
  let seeded = 0;
  if (options.seedDir && Object.keys(store.state.flows).length === 0) {
    seeded = await seedFromDirectory(store.state, options.seedDir, app.now(), app.objects);
  }
  await store.commit();

  const router = new Router();
  // First: `/api/v2/flows/datatables` would otherwise be taken for the flow of id "datatables".
  if (app.objects) addObjectRoutes(router, app.objects);
  addFlowRoutes(router, app);
  addFlowActionRoutes(router, app);
  addJobRoutes(router, app);
  addExportRoutes(router, app);
  addDependencyRoutes(router, app);
  addIvrRoutes(router, app);
  addQueueRoutes(router, app);
  const limiter = new RateLimiter(options.rateLimitPerMinute ?? 300);
  const server = createServer(createRequestHandler({ app, auth, limiter, stats: new Stats(), router }));
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    seedRandom,
    seeded,
    close: () =>
      (closing ??= (async () => {
        timers.cancelAll();
        await app.jobFiles.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await store.flush();
      })()),
  };
}
