import { realpath } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { simpleGit } from 'simple-git';
import { UsageError } from '../errors.js';

export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type-changed';

export interface ChangedFile {
  status: ChangeStatus;
  /** Relative to the working directory given, `/`-separated (like the paths in flowops' messages). */
  path: string;
  /** A renamed or copied file's path at REF. */
  previousPath?: string;
}

const STATUS: Record<string, ChangeStatus> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed',
};

/**
 * The files that differ between REF and the working tree: committed or not, renames followed
 * (`git diff -M`), plus untracked files that git does not ignore. In a pull request's checkout (the
 * merge commit) with REF = the base commit, that is exactly what the pull request changes.
 */
export async function changedFilesSince(ref: string, cwd: string): Promise<ChangedFile[]> {
  if (!ref || ref.startsWith('-')) throw new UsageError(`--changed-since ${ref}: expected a commit, branch or tag`);
  const here = simpleGit({ baseDir: cwd });
  if (!(await here.checkIsRepo().catch(() => false))) throw new UsageError('--changed-since needs a git repository');
  const top = (await here.revparse(['--show-toplevel'])).trim();
  // Run at the top so that paths are relative to it whatever `diff.relative` says.
  const git = simpleGit({ baseDir: top });
  // `--quiet` makes git exit 1 without a word, which simple-git does not count as a failure: the
  // answer is the commit's id, or nothing.
  const commit = await git
    .raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])
    .catch(() => '');
  if (!/^[0-9a-f]{40,64}\s*$/.test(commit)) {
    throw new UsageError(
      `--changed-since ${ref}: no such commit here (in GitHub Actions, check out with fetch-depth: 0 so that the base commit is there)`,
    );
  }
  const diff = await git.raw([
    '-c',
    'core.quotePath=false',
    'diff',
    '--name-status',
    '-z',
    '-M',
    '--no-ext-diff',
    ref,
    '--',
  ]);
  const untracked = await git.raw(['ls-files', '-z', '--others', '--exclude-standard', '--full-name']);
  const base = await realpath(cwd);
  const local = (p: string) => relative(base, resolve(top, p)).split(sep).join('/');
  const changes = parseNameStatus(diff).map((c) => ({
    ...c,
    path: local(c.path),
    ...(c.previousPath ? { previousPath: local(c.previousPath) } : {}),
  }));
  for (const path of untracked.split('\0').filter(Boolean)) changes.push({ status: 'added', path: local(path) });
  return changes;
}

/** `git diff --name-status -z`: `X\0path\0`, or `R100\0old\0new\0` for renames and copies. Pure. */
export function parseNameStatus(output: string): ChangedFile[] {
  const fields = output.split('\0');
  const changes: ChangedFile[] = [];
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++] ?? '';
    if (!code) continue;
    const status = STATUS[code[0]!];
    if (status === 'renamed' || status === 'copied') {
      const previousPath = fields[i++] ?? '';
      const path = fields[i++] ?? '';
      changes.push({ status, path, previousPath });
    } else {
      const path = fields[i++] ?? '';
      // U (unmerged), X (unknown): the file is there and differs; treat it as modified.
      changes.push({ status: status ?? 'modified', path });
    }
  }
  return changes;
}
