/**
 * A project opened for an operation: the workspace read (its secrets masked at once), its flows
 * checked, its caches in `.flowops/cache`, its org opened and closed around the work. What plan,
 * apply, drift, export and validate share, so that each decides these things the same way.
 */
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import type { CheckOptions, CheckResult } from '../check/types.js';
import { CANONICAL_HASH } from '../identity/index.js';
import { checkCache, checkCached } from '../workspace/check-cache.js';
import { checkInWorker } from '../workspace/check-in-worker.js';
import type { LiveHash } from '../workspace/get-plan.js';
import { loadWorkspace, type LoadOptions, type Workspace } from '../workspace/load-workspace.js';
import { openOrg, type OpenOrg } from '../workspace/open-org.js';
import { PackCache } from '../workspace/pack-cache.js';
import type { OperationContext } from './context.js';

export interface Project {
  workspace: Workspace;
  /** The folder flowops.yaml is in (the working folder without one): where `.flowops/` lives. */
  dir: string;
}

/** Reads the config, the environment and the flow files; from here on the environment's secrets are masked. */
export async function openProject(
  options: Pick<LoadOptions, 'configPath' | 'environment' | 'paths' | 'outside'>,
  ctx: OperationContext,
): Promise<Project> {
  const workspace = await loadWorkspace({ ...options, cwd: ctx.cwd, env: ctx.env });
  ctx.mask(workspace.environment.secrets);
  return { workspace, dir: workspace.config ? dirname(resolve(ctx.cwd, workspace.config.path)) : ctx.cwd };
}

/** Checks the project's flow files with its environment, config and check cache; problems are in the result. */
export function checkProject(project: Project): CheckResult {
  const dir = checkCacheDir(project);
  const cache = dir ? checkCache(dir, project.workspace.environment.secrets) : undefined;
  const result = checkCached(project.workspace.sources, {
    ...checkOptionsOf(project.workspace),
    rules: project.workspace.rules.rules,
    ...(cache ? { cache } : {}),
  });
  cache?.save();
  return result;
}

/**
 * The desired state, which must be valid before anything is asked of the org: checked on worker
 * threads when that pays (a large repository), the result being the same either way.
 */
export async function checkDesired(project: Project): Promise<CheckResult> {
  const dir = checkCacheDir(project);
  const { workspace } = project;
  const check = await checkInWorker(
    workspace.sources,
    { ...checkOptionsOf(workspace), rules: workspace.rules },
    dir ? { dir, secrets: workspace.environment.secrets } : undefined,
  );
  const errors = [...workspace.diagnostics, ...check.diagnostics].filter((d) => d.severity === 'error');
  if (errors.length) throw new ConfigError(errors);
  return check;
}

function checkOptionsOf(workspace: Workspace): CheckOptions {
  return {
    substitutions: workspace.environment.values,
    files: workspace.fileSubstitutions,
    environment: workspace.environment.name,
    secretKeys: workspace.environment.secretKeys,
    externalModules: workspace.config?.externalModules ?? [],
    externalFlows: workspace.config?.externalFlows ?? [],
    maxFileBytes: workspace.config?.maxFileBytes,
    documentHash: CANONICAL_HASH,
  };
}

/**
 * The results of unchanged files' checks are kept in `.flowops/cache/checks` beside flowops.yaml:
 * parsing large flows dominates a run, and most files have not changed since the last one.
 */
function checkCacheDir(project: Project): string | undefined {
  return project.workspace.config ? join(project.dir, '.flowops', 'cache', 'checks') : undefined;
}

/** The canonical hash of live content, kept in `.flowops/cache/live-hash` by the hash of its text. */
export function liveCacheOf(project: Project): PackCache<LiveHash> | undefined {
  if (!project.workspace.config) return undefined;
  return new PackCache<LiveHash>(
    join(project.dir, '.flowops', 'cache', 'live-hash'),
    'live-hash-v1.json',
    project.workspace.environment.secrets,
    { valid: (v) => typeof (v as LiveHash | null)?.hash === 'string' },
  );
}

/**
 * Opens the environment's org (`cache`: the export cache in `.flowops/cache`), does the work and
 * closes it whatever happens (the embedded emulator stops with it).
 */
export async function withOrg<T>(
  project: Project,
  options: { cache: boolean },
  ctx: OperationContext,
  work: (org: OpenOrg) => Promise<T>,
): Promise<T> {
  const org = await openOrg(project.workspace.environment, project.dir, ctx.env, {
    cache: options.cache,
    debug: ctx.debug,
  });
  try {
    return await work(org);
  } finally {
    await org.close();
  }
}
