import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import { checkInWorker } from '../workspace/check-in-worker.js';
import type { CheckOptions, CheckResult } from '../check/types.js';
import { CANONICAL_HASH } from '../plan/canonicalize.js';
import { checkCache, checkCached } from '../workspace/check-cache.js';
import { PackCache } from '../workspace/pack-cache.js';
import type { LiveHash } from '../workspace/get-plan.js';
import type { Workspace } from '../workspace/load-workspace.js';
import type { OpenOrg } from '../workspace/open-org.js';
import { findRenames } from '../workspace/renames.js';
import type { GetPlanInput } from '../workspace/get-plan.js';

/** Checks the workspace's flow files with its environment, config and cache. */
export function checkWorkspace(workspace: Workspace): CheckResult {
  const dir = checkCacheDir(workspace);
  const cache = dir ? checkCache(dir, workspace.environment.secrets) : undefined;
  const result = checkCached(workspace.sources, { ...checkOptionsOf(workspace), ...(cache ? { cache } : {}) });
  cache?.save();
  return result;
}

function checkOptionsOf(workspace: Workspace): CheckOptions {
  return {
    substitutions: workspace.environment.values,
    environment: workspace.environment.name,
    secretKeys: workspace.environment.secretKeys,
    externalModules: workspace.config?.externalModules ?? [],
    maxFileBytes: workspace.config?.maxFileBytes,
    documentHash: CANONICAL_HASH,
  };
}

/** Desired state must be valid before anything is asked of the org. */
export function checkDesired(workspace: Workspace): CheckResult {
  return validOnly(workspace, checkWorkspace(workspace));
}

/** The same, letting what the caller started meanwhile (reading the org) go on: on another thread when that pays. */
export async function checkDesiredAsync(workspace: Workspace): Promise<CheckResult> {
  const dir = checkCacheDir(workspace);
  return validOnly(workspace, await checkInWorker(workspace.sources, checkOptionsOf(workspace), dir ? { dir, secrets: workspace.environment.secrets } : undefined));
}

function validOnly(workspace: Workspace, check: CheckResult): CheckResult {
  const errors = [...workspace.diagnostics, ...check.diagnostics].filter((d) => d.severity === 'error');
  if (errors.length) throw new ConfigError(errors);
  return check;
}

/**
 * The results of unchanged files' checks are kept in `.flowops/cache/checks` beside flowops.yaml:
 * parsing large flows dominates a run, and most files have not changed since the last one.
 */
function checkCacheDir(workspace: Workspace): string | undefined {
  return workspace.config ? join(projectDirOf(workspace), '.flowops', 'cache', 'checks') : undefined;
}

/** The canonical hash of live content, kept in `.flowops/cache/live-hash` by the hash of its text. */
export function liveCacheOf(workspace: Workspace): PackCache<LiveHash> | undefined {
  return workspace.config ? new PackCache<LiveHash>(join(projectDirOf(workspace), '.flowops', 'cache', 'live-hash'), 'live-hash-v1.json', workspace.environment.secrets, { valid: (v) => typeof (v as LiveHash | null)?.hash === 'string' }) : undefined;
}

/** Temp file and rename: a reader never sees half a file. */
export async function writeAtomically(path: string, content: string): Promise<void> {
  const tmp = join(dirname(resolve(path)), `.${Date.now()}-${process.pid}.tmp`);
  try {
    await writeFile(tmp, content);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw cannotWrite(path, err);
  }
}

/** Why a file the command line named cannot be written: the user's to fix (a usage error), unless it is not a file system's refusal. */
export function cannotWrite(path: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const why = code ? WRITE_FAILURES[code] : undefined;
  return why ? new UsageError(`cannot write ${path}: ${why}`) : err;
}

const WRITE_FAILURES: Record<string, string> = {
  ENOENT: 'no such folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'a file is in the way',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

/** The folder flowops.yaml is in: where `.flowops/` lives and relative paths start. */
export function projectDirOf(workspace: Pick<Workspace, 'config'>): string {
  return workspace.config ? dirname(resolve(workspace.config.path)) : process.cwd();
}

/**
 * What plan and apply both give getPlan besides the files and the reader: who flowops runs as, the
 * files no glob takes (for --prune), and how renames are found (audit notes and git; `said`: --rename).
 */
export function planSourcesOf(workspace: Workspace, org: OpenOrg, check: CheckResult, said: readonly string[] = []): Pick<GetPlanInput, 'identity' | 'outside' | 'renames'> {
  return {
    identity: org.identity,
    outside: workspace.outside,
    renames: (live) => findRenames(check, live, { projectDir: process.cwd(), identity: org.identity, substitutions: workspace.environment.values, said }),
  };
}
