/**
 * What each flow file's `stat` said when its text was last read and hashed
 * (`.flowops/cache/files/files-v1.json`), as git's index keeps it: a file whose size, modification
 * and change times (to the nanosecond), inode and device are all as they were then still has the text
 * of that hash, so a run needs neither to read it nor to hash it to find its checks in the check
 * cache. Its text is read when something asks for it (a changed flow's content, a position), and
 * must then have that hash.
 *
 * A stamp is kept only for a file that had not been touched for RACY_NS when it was read: an edit
 * made after the read (even within the filesystem's timestamp tick) then gives it another change
 * time. The change time cannot be set by tools that copy or restore files (`touch -d`, `tar`,
 * `rsync -t` set the modification time only), and a file written anew gets another inode or change
 * time. Anything else (no stamp, one that differs, a cache that cannot be read) is a read.
 */
import type { BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { PackCache } from './pack-cache.js';

/** How long a file must have been left alone before its stamp is trusted: filesystem ticks and clocks are far finer. */
const RACY_NS = 2_000_000_000n;

interface FileStamp {
  /** size, mtime (ns), ctime (ns), inode and device, as one string. */
  stat: string;
  /** textHashOf(the file's text). */
  textHash: string;
}

export class FileStamps {
  private readonly cache: PackCache<FileStamp>;

  /** `dir`: the project's `.flowops/cache`. */
  constructor(dir: string) {
    this.cache = new PackCache<FileStamp>(join(dir, 'files'), 'files-v1.json', [], {
      valid: (v) => typeof (v as FileStamp | null)?.stat === 'string' && typeof (v as FileStamp).textHash === 'string',
    });
  }

  /** The hash of `file`'s text when its stat is the one stamped, else undefined (read it). */
  textHash(file: string, stat: BigIntStats): string | undefined {
    const stamp = this.cache.get(file);
    return stamp && stamp.stat === stampOf(stat) ? stamp.textHash : undefined;
  }

  /**
   * Stamps a file just read: `before` and `after`, its stat before and after the read (equal: it did
   * not change meanwhile), `readAtNs` when the read began. A file touched less than RACY_NS before is
   * not stamped (read it again next time).
   */
  record(file: string, before: BigIntStats, after: BigIntStats | undefined, readAtNs: bigint, textHash: string): void {
    const stat = stampOf(before);
    if (!after || stampOf(after) !== stat) return;
    if (before.ctimeNs > readAtNs - RACY_NS || before.mtimeNs > readAtNs - RACY_NS) return;
    if (this.cache.get(file)?.stat === stat) return;
    this.cache.set(file, { stat, textHash });
  }

  /** Writes the stamps when some were added (never throws). */
  save(): void {
    this.cache.save();
  }
}

function stampOf(stat: BigIntStats): string {
  return `${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}:${stat.ino}:${stat.dev}`;
}
