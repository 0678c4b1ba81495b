/**
 * What Architect and export jobs have been taking, kept between runs beside the export cache
 * (`<cacheDir>/job-times-v1.json`), per org: a new run then checks its first jobs about when they
 * finish, instead of learning it again from jobs all started at once (an apply starts its first ten
 * or fifty jobs before any has finished). Only durations in milliseconds are kept, nothing of the
 * org. An unreadable file is no file; a write that fails costs only the next run's first checks.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { join } from 'node:path';
import type { GenesysTarget } from './connection.js';

const FILE = 'job-times-v1.json';

export interface JobTimes {
  publish: number[];
  export: number[];
}

type Stored = Record<string, Partial<JobTimes>>;

/** One key per org: the region, or the gateway's host (its port changes from run to run on the emulator). */
function keyOf(target: GenesysTarget): string {
  return target.kind === 'region' ? target.environment : `${target.protocol}://${target.host}${target.pathPrefix}`;
}

function durations(value: unknown): number[] {
  return Array.isArray(value)
    ? value
        .filter((n): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0 && n < 3_600_000)
        .slice(-50)
    : [];
}

function readStored(dir: string): Stored {
  try {
    const value: unknown = JSON.parse(readFileSync(join(dir, FILE), 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Stored) : {};
  } catch {
    return {};
  }
}

export function loadJobTimes(dir: string, target: GenesysTarget): JobTimes {
  const entry = readStored(dir)[keyOf(target)];
  return { publish: durations(entry?.publish), export: durations(entry?.export) };
}

export function saveJobTimes(dir: string, target: GenesysTarget, times: JobTimes): void {
  try {
    const stored = readStored(dir);
    stored[keyOf(target)] = { publish: durations(times.publish), export: durations(times.export) };
    mkdirSync(dir, { recursive: true });
    writeFileAtomic.sync(join(dir, FILE), JSON.stringify(stored), { fsync: false });
  } catch {
    // A read-only or full disk must not fail the command.
  }
}
