/** Files the command line was asked to write (a plan, a report, exported flows): whole or not at all. */
import { mkdir } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { UsageError } from '../errors.js';

/** Whole or not at all (write-file-atomic: a temporary file, fsync, rename): a reader never sees half a file. */
export async function writeAtomically(path: string, content: string): Promise<void> {
  try {
    await writeFileAtomic(path, content);
  } catch (err) {
    throw cannotWrite(path, err);
  }
}

/** The same, making the file's folder first (shown relative to the working folder when it cannot be). */
export async function writeInFolder(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true }).catch((err: unknown) => {
    throw cannotWrite(relative(process.cwd(), dirname(path)), err);
  });
  await writeAtomically(path, content);
}

/** Why a file the command line named cannot be written: the user's to fix (a usage error), unless it is not a file system's refusal. */
function cannotWrite(path: string, err: unknown): unknown {
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
