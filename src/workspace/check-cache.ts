/**
 * The check cache (`.flowops/cache/checks/checks-v1.json`, a PackCache): each file's own checks
 * (check/index.ts checkFile), by a hash of its text and the options (fileCheckKey). An entry keeps what
 * the checks found and what the checks across files and plan need (the flow's identity, module calls,
 * canonical hash), not the document nor the substituted text: those are worked out again from the
 * file for a flow that needs them (a plan of a thousand unchanged flows compares hashes and never does).
 * The check itself knows nothing of it: the answers are handed to checkFlowSources. The house rules'
 * diagnostics are part of a file's answer (fileCheckWithRules), keyed by the rules' fingerprint too:
 * a warm run with the same rules runs none of them.
 */
import { checkFile, checkFlowSources, fileCheckKey } from '../check/index.js';
import type { CheckOptions, CheckResult, FileCheckRecord, FlowSource } from '../check/types.js';
import { runRules, type RuleSet } from '../rules/index.js';
import { PackCache } from './pack-cache.js';

/**
 * Where the results of one file's checks may be kept between runs (on disk: CheckCache): parsing
 * large flows dominates a run, and most files have not changed since the last.
 */
export interface FileCheckCache {
  get(key: string): FileCheckRecord | undefined;
  /** Whether there is an entry, without reading it (when the cache can tell more cheaply). */
  has?(key: string): boolean;
  set(key: string, record: FileCheckRecord): void;
}

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
      valid: (value) =>
        typeof value === 'object' && value !== null && Array.isArray((value as FileCheckRecord).diagnostics),
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

/** One file's own checks, then the house rules over its flow (their diagnostics added to the file's). */
export function fileCheckWithRules(source: FlowSource, options: CheckOptions, rules?: RuleSet): FileCheckRecord {
  const record = checkFile(source, options);
  if (rules) record.diagnostics.push(...runRules(source, record, rules));
  return record;
}

/** The key of fileCheckWithRules' answer: the check's key, and the rules' fingerprint when there are rules. */
export function fileKey(source: FlowSource, options: CheckOptions, rules?: RuleSet): string {
  const key = fileCheckKey(source, options);
  return rules ? `${key}.${rules.fingerprint}` : key;
}

/**
 * One file's own checks (and rules): the cache's answer, else worked out and kept. The answer just
 * worked out is returned whole (with its document), not as the cache keeps it: this run need not
 * parse it again.
 */
export function cachedFileCheck(
  cache: FileCheckCache,
  source: FlowSource,
  options: CheckOptions,
  rules?: RuleSet,
): FileCheckRecord {
  const key = fileKey(source, options, rules);
  const known = cache.get(key);
  if (known) return known;
  const record = fileCheckWithRules(source, options, rules);
  cache.set(key, record);
  return record;
}

/** Whether the cache has the answer of a file's own checks (without reading it, when it can tell). */
export function isCached(cache: FileCheckCache, source: FlowSource, options: CheckOptions, rules?: RuleSet): boolean {
  const key = fileKey(source, options, rules);
  return cache.has ? cache.has(key) : cache.get(key) !== undefined;
}

/** The check, each file's own checks (and rules) through the cache when there is one (the caller saves it). */
export function checkCached(
  sources: readonly FlowSource[],
  options: CheckOptions & { cache?: FileCheckCache; rules?: RuleSet },
): CheckResult {
  const { cache, rules, ...checkOptions } = options;
  const fileChecks = cache
    ? sources.map((source) => cachedFileCheck(cache, source, checkOptions, rules))
    : rules
      ? sources.map((source) => fileCheckWithRules(source, checkOptions, rules))
      : [];
  return checkFlowSources(sources, checkOptions, fileChecks);
}
