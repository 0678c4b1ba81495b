/**
 * The check cache (`.flowops/cache/checks/checks-v1.json`, a PackCache): each file's own checks, by a
 * hash of its text and the options (check/index.ts fileCheckKey). An entry keeps what the checks found
 * and what the checks across files and plan need (the flow's identity, module calls, canonical hash),
 * not the document nor the substituted text: those are worked out again from the file for a flow
 * that needs them (a plan of a thousand unchanged flows compares hashes and never does).
 */
import type { FileCheckCache, FileCheckRecord } from '../check/types.js';
import { PackCache } from './pack-cache.js';

/** An entry as kept: without the document and the substituted text. */
export function storableRecord(record: FileCheckRecord): FileCheckRecord {
  const { text: _substituted, ...rest } = record;
  if (!rest.flow) return rest;
  const { data: _document, ...flow } = rest.flow;
  return { ...rest, flow };
}

export class CheckCache extends PackCache<FileCheckRecord> implements FileCheckCache {
  constructor(dir: string, secrets: readonly string[] = []) {
    super(dir, 'checks-v1.json', secrets, {
      keep: storableRecord,
      valid: (value) => typeof value === 'object' && value !== null && Array.isArray((value as FileCheckRecord).diagnostics),
    });
  }

  /** Entries worked out elsewhere (the check's worker threads). */
  absorb(entries: ReadonlyArray<readonly [string, FileCheckRecord]>): void {
    for (const [key, record] of entries) this.set(key, record);
  }
}

/** The check cache in `dir`. */
export function checkCache(dir: string, secrets: readonly string[]): CheckCache {
  return new CheckCache(dir, secrets);
}
