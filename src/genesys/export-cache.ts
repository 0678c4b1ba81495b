/**
 * On-disk cache of exported flow content, keyed by flow id and published version id. A published
 * version never changes (a new publish makes a new version id, shared/reference/genesys-flow-api.md
 * section 3), so a hit is always right and nothing ever expires. In CI the folder (e.g.
 * `.flowops/cache`) can be restored between runs, and planning an unchanged org exports nothing.
 *
 * Layout: `<dir>/flow-exports-v1/<flowId>@<versionId>.json`, each
 * `{"flowId", "versionId", "sha256", "yaml"}`. The checksum catches truncated or edited entries, which
 * are ignored (and overwritten on the next export). Writes go to a temporary file in the same folder,
 * then `rename`, which is atomic on one file system: a reader sees the old entry or the new one.
 * Reads are synchronous (from the page cache, a fraction of the CPU the promise API costs: 0.1 s
 * against 0.4 s for a thousand entries, measured); writes are not: fifty megabytes written at once
 * keep the writer waiting on the disk for over a second, which the main thread spends checking files.
 *
 * Entries no run has read or written for 30 days are deleted, as the other caches drop theirs: most
 * exported versions are never needed again once flowops has published newer ones (the first plan of
 * an org exports every flow), and the folder travels between CI runs (the GitHub Action's cache). An
 * entry's modification time says when a run last used it: a read refreshes it once a day at most,
 * and the folder is swept at most once a day (`.swept`), when the cache is closed.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { join } from 'node:path';

const LAYOUT = 'flow-exports-v1';
const DAY_MS = 24 * 3600 * 1000;
/** An entry no run used for this long is deleted: the check cache's rule too (workspace/pack-cache.ts, which genesys/ may not import). */
const KEEP_UNUSED_MS = 30 * DAY_MS;
/** The file whose modification time says when the folder was last swept. */
const SWEPT = '.swept';

interface Entry {
  flowId: string;
  versionId: string;
  sha256: string;
  yaml: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A file-name-safe form of an id (ids are UUIDs and "2.0" in practice; anything else is escaped). */
function safe(id: string): string {
  const encoded = encodeURIComponent(id).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return encoded.replace(/^\./, '%2E');
}

function isEntry(value: unknown): value is Entry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.flowId === 'string' &&
    typeof v.versionId === 'string' &&
    typeof v.sha256 === 'string' &&
    typeof v.yaml === 'string'
  );
}

export class ExportCache {
  private readonly folder: string;
  private folderMade: Promise<unknown> | undefined;
  private readonly writing = new Set<Promise<void>>();
  private closed = false;

  /** The entries this run read, by path. */
  private readonly used = new Set<string>();

  /** `secrets`: values (substitutions marked secret) that must never be written to disk. */
  constructor(
    dir: string,
    private readonly secrets: readonly string[] = [],
    private readonly now: () => number = Date.now,
  ) {
    this.folder = join(dir, LAYOUT);
  }

  private pathOf(flowId: string, versionId: string): string {
    return join(this.folder, `${safe(flowId)}@${safe(versionId)}.json`);
  }

  /** The cached YAML, or undefined when absent, unreadable or corrupt. */
  async read(flowId: string, versionId: string): Promise<string | undefined> {
    let raw: string;
    const path = this.pathOf(flowId, versionId);
    try {
      raw = readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
    let entry: unknown;
    try {
      entry = JSON.parse(raw);
    } catch {
      return undefined;
    }
    if (
      !isEntry(entry) ||
      entry.flowId !== flowId ||
      entry.versionId !== versionId ||
      sha256(entry.yaml) !== entry.sha256
    ) {
      return undefined;
    }
    this.used.add(path);
    return entry.yaml;
  }

  /**
   * Stores one exported version (atomically: temporary file, then rename). Once the cache is closed,
   * nothing more is written: an export still under way when its command ended leaves the folder as
   * the command did.
   */
  write(flowId: string, versionId: string, yaml: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    const done = this.store(flowId, versionId, yaml);
    const tracked = done.catch(() => undefined).finally(() => this.writing.delete(tracked));
    this.writing.add(tracked);
    return done;
  }

  /**
   * Waits for the writes under way, and takes no more; then marks the entries this run read as used
   * (those last marked over a day ago) and, at most once a day, deletes those no run used for 30 days.
   * Never throws: a cache that cannot be tidied is only larger.
   */
  async close(): Promise<void> {
    this.closed = true;
    while (this.writing.size) await Promise.all([...this.writing]);
    try {
      await this.tidy();
    } catch {
      // Tidying is housekeeping: the entries stay valid either way.
    }
  }

  private async tidy(): Promise<void> {
    const now = this.now();
    const seconds = now / 1000;
    // Each entry on its own: one another run deleted meanwhile costs only itself.
    const each = (paths: Iterable<string>, work: (path: string) => Promise<void>) =>
      Promise.all([...paths].map((path) => work(path).catch(() => undefined)));
    await each(this.used, async (path) => {
      const { mtimeMs } = await stat(path);
      if (now - mtimeMs > DAY_MS) await utimes(path, seconds, seconds);
    });
    const swept = join(this.folder, SWEPT);
    const last = await stat(swept).then(
      (s) => s.mtimeMs,
      () => undefined,
    );
    if (last !== undefined && now - last < DAY_MS) return;
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch {
      return; // no folder: nothing to sweep
    }
    // Entries, and temporary files a crashed write left (a write under way has a fresh one).
    const paths = names.filter((name) => name !== SWEPT).map((name) => join(this.folder, name));
    await each(paths, async (path) => {
      if (this.used.has(path)) return;
      const { mtimeMs } = await stat(path);
      if (now - mtimeMs > KEEP_UNUSED_MS) await unlink(path);
    });
    await writeFile(swept, '');
    await utimes(swept, seconds, seconds);
  }

  private async store(flowId: string, versionId: string, yaml: string): Promise<void> {
    // A flow holding a secret value is exported again next time rather than kept in clear.
    if (this.secrets.some((secret) => secret !== '' && yaml.includes(secret))) return;
    this.folderMade ??= mkdir(this.folder, { recursive: true });
    try {
      await this.folderMade;
    } catch (error) {
      this.folderMade = undefined;
      throw error;
    }
    const target = this.pathOf(flowId, versionId);
    const entry: Entry = { flowId, versionId, sha256: sha256(yaml), yaml };
    // No fsync: an entry lost or torn by a crash is found out by its sha256 and exported again, and
    // a cold plan writes a thousand of them.
    await writeFileAtomic(target, `${JSON.stringify(entry)}\n`, { fsync: false });
  }
}
