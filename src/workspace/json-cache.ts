import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

let writes = 0;

/** How a cache writes its values as text and reads them back. */
export interface Codec<T> {
  encode(value: T): string;
  /** Throws on a text it cannot read (the entry is then a miss). */
  decode(text: string): T;
  /** The entry files' extension (default `.json`). */
  extension?: string;
}

const JSON_CODEC: Codec<never> = { encode: (value) => JSON.stringify(value), decode: (text) => JSON.parse(text) as never };

/** A temporary file beside `path`, unique in this process (two writes of one key may overlap). */
function tmpFor(path: string): string {
  return `${path}.${process.pid}-${++writes}.tmp`;
}

/**
 * A folder of JSON files keyed by content hashes (`.flowops/cache/...`): what is in it is always
 * right or absent, never stale, because the key is a hash of everything the value depends on.
 * A corrupt or unreadable entry is a miss; a write that fails only costs the next run its time.
 * Writes are done before `set` returns; with `background` (the check's worker threads, which write
 * a thousand entries while they work on) they go on meanwhile, what is being written is answered from
 * memory, and `flush` waits for them.
 */
export class JsonCache<T> {
  private readonly writing = new Map<string, string>();
  private readonly writes = new Set<Promise<void>>();
  private folder: Promise<unknown> | undefined;
  private readonly codec: Codec<T>;

  /**
   * `secrets`: values (substitutions marked secret) that must never be written to disk. `codec`: how
   * a value is written as text and read back (default: one JSON text; a decode that throws is a miss).
   */
  constructor(
    private readonly dir: string,
    private readonly secrets: readonly string[] = [],
    private readonly options: { background?: boolean; codec?: Codec<T> } = {},
  ) {
    this.codec = options.codec ?? JSON_CODEC;
  }

  get(key: string): T | undefined {
    const pending = this.writing.get(key);
    if (pending !== undefined) return this.codec.decode(pending);
    try {
      return this.codec.decode(readFileSync(this.path(key), 'utf8'));
    } catch {
      return undefined;
    }
  }

  has(key: string): boolean {
    return this.writing.has(key) || existsSync(this.path(key));
  }

  set(key: string, value: T): void {
    const json = this.codec.encode(value);
    // What holds a secret value is worked out again next time rather than kept in clear.
    if (this.secrets.some((secret) => secret !== '' && json.includes(secret))) return;
    const path = this.path(key);
    if (!this.options.background) {
      this.writeNow(path, json);
      return;
    }
    this.writing.set(key, json);
    const write = this.write(path, json).finally(() => {
      if (this.writing.get(key) === json) this.writing.delete(key);
      this.writes.delete(write);
    });
    this.writes.add(write);
  }

  /** Resolves once every write started so far is on disk (or has failed). */
  async flush(): Promise<void> {
    while (this.writes.size) await Promise.all([...this.writes]);
  }

  private writeNow(path: string, json: string): void {
    const tmp = tmpFor(path);
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(tmp, json);
      renameSync(tmp, path);
    } catch {
      // A read-only or full disk must not fail the command.
      try {
        rmSync(tmp, { force: true });
      } catch {
        // Nothing more to do.
      }
    }
  }

  /** Temp file and rename: a reader sees the old entry or the new one, never half of one. */
  private async write(path: string, json: string): Promise<void> {
    const tmp = tmpFor(path);
    try {
      this.folder ??= mkdir(this.dir, { recursive: true });
      await this.folder;
      await writeFile(tmp, json);
      await rename(tmp, path);
    } catch {
      // A read-only or full disk must not fail the command.
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  private path(key: string): string {
    if (!/^[0-9a-f]{16,128}$/.test(key)) throw new Error(`bad cache key ${key}`);
    return join(this.dir, `${key}${this.codec.extension ?? '.json'}`);
  }
}
