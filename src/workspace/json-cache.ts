import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A folder of JSON files keyed by content hashes (`.flowops/cache/...`): what is in it is always
 * right or absent, never stale, because the key is a hash of everything the value depends on.
 * A corrupt or unreadable entry is a miss; a write that fails only costs the next run its time.
 */
export class JsonCache<T> {
  /** `secrets`: values (substitutions marked secret) that must never be written to disk. */
  constructor(
    private readonly dir: string,
    private readonly secrets: readonly string[] = [],
  ) {}

  get(key: string): T | undefined {
    try {
      return JSON.parse(readFileSync(this.path(key), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  set(key: string, value: T): void {
    const json = JSON.stringify(value);
    // What holds a secret value is worked out again next time rather than kept in clear.
    if (this.secrets.some((secret) => secret !== '' && json.includes(secret))) return;
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = `${this.path(key)}.${process.pid}.tmp`;
      writeFileSync(tmp, json);
      renameSync(tmp, this.path(key));
    } catch {
      // A read-only or full disk must not fail the command.
    }
  }

  private path(key: string): string {
    if (!/^[0-9a-f]{16,128}$/.test(key)) throw new Error(`bad cache key ${key}`);
    return join(this.dir, `${key}.json`);
  }
}
