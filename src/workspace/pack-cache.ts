/**
 * A cache of small JSON values in one file (`.flowops/cache/...`), read once and written once a run:
 * a thousand entries cost a few milliseconds that way, where a file each cost seconds when the disk
 * was busy (the export cache writes fifty megabytes during a cold plan).
 *
 * What is in it is always right or absent, never stale: keys are hashes of everything a value
 * depends on. A corrupt file is an empty cache; a write that fails costs only the next run its time;
 * two runs at once each write what they know (the last one wins). Entries no run has used for 30 days
 * are dropped when the file is written, and the least recently used beyond `maxEntries`.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { join } from 'node:path';

const DAY_MS = 24 * 3600 * 1000;
const KEEP_UNUSED_MS = 30 * DAY_MS;

interface Stored<T> {
  /** When a run last used the entry (ms since the epoch). */
  used: number;
  value: T;
}

export interface PackCacheOptions<T> {
  /** What is kept of a value (default: all of it). */
  keep?: (value: T) => T;
  /** Whether a value read from the file has the expected shape (others are left out). */
  valid?: (value: unknown) => boolean;
  maxEntries?: number;
  now?: () => number;
}

export class PackCache<T> {
  private entries: Map<string, Stored<T>> | undefined;
  private readonly used = new Set<string>();
  private changed = false;

  /** `secrets`: values (substitutions marked secret) that must never be written to disk. */
  constructor(
    private readonly dir: string,
    private readonly file: string,
    private readonly secrets: readonly string[] = [],
    private readonly options: PackCacheOptions<T> = {},
  ) {}

  get(key: string): T | undefined {
    const entry = this.load().get(key);
    if (entry) this.used.add(key);
    return entry?.value;
  }

  has(key: string): boolean {
    return this.load().has(key);
  }

  set(key: string, value: T): void {
    const kept = this.options.keep ? this.options.keep(value) : value;
    // What holds a secret value is worked out again next time rather than kept in clear.
    if (this.secrets.length && this.holdsSecret(kept)) return;
    this.load().set(key, { used: this.now(), value: kept });
    this.used.add(key);
    this.changed = true;
  }

  /**
   * Writes the file when this run added entries, or used some not used for a day (temporary file,
   * then rename: a reader sees the old file or the new one). Never throws.
   */
  save(): void {
    const entries = this.load();
    const now = this.now();
    let refreshed = false;
    for (const key of this.used) {
      const entry = entries.get(key);
      if (!entry) continue;
      if (now - entry.used > DAY_MS) refreshed = true;
      entry.used = now;
    }
    if (!this.changed && !refreshed) return;
    const kept = [...entries]
      .filter(([, e]) => now - e.used <= KEEP_UNUSED_MS)
      .sort((a, b) => b[1].used - a[1].used)
      .slice(0, this.options.maxEntries ?? 20_000);
    try {
      mkdirSync(this.dir, { recursive: true });
      // A cache: no fsync (a torn file reads as an empty cache); write-file-atomic removes its temporary file on failure.
      writeFileAtomic.sync(join(this.dir, this.file), JSON.stringify({ entries: Object.fromEntries(kept) }), {
        fsync: false,
      });
      this.changed = false;
      this.removeLeftovers(now);
    } catch {
      // A read-only or full disk must not fail the command.
    }
  }

  /** Temporary files of runs killed while writing (over an hour old: no run writes that long). */
  private removeLeftovers(now: number): void {
    for (const name of readdirSync(this.dir)) {
      // write-file-atomic's `<file>.<8 hex>`, or `.tmp` from flowops versions before it.
      const rest = name.slice(this.file.length + 1);
      if (!name.startsWith(`${this.file}.`) || !(/^[0-9a-f]{8}$/.test(rest) || rest.endsWith('.tmp'))) continue;
      const path = join(this.dir, name);
      try {
        if (now - statSync(path).mtimeMs > 3600_000) rmSync(path, { force: true });
      } catch {
        // Gone already, or not ours to remove.
      }
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private holdsSecret(value: T): boolean {
    const json = JSON.stringify(value);
    return this.secrets.some((secret) => secret !== '' && json.includes(secret));
  }

  private load(): Map<string, Stored<T>> {
    if (this.entries) return this.entries;
    this.entries = new Map();
    try {
      const stored = JSON.parse(readFileSync(join(this.dir, this.file), 'utf8')) as {
        entries?: Record<string, Stored<T>>;
      };
      for (const [key, entry] of Object.entries(stored.entries ?? {})) {
        if (
          entry &&
          typeof entry.used === 'number' &&
          (this.options.valid ? this.options.valid(entry.value) : entry.value !== undefined)
        )
          this.entries.set(key, entry);
      }
    } catch {
      // No cache yet, or not one we can read: start empty.
    }
    return this.entries;
  }
}
