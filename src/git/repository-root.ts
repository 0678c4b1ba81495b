import { simpleGit } from 'simple-git';

/**
 * The top folder of the git repository `cwd` is in (what code scanning's paths are relative to), or
 * undefined outside a repository.
 */
export async function repositoryRoot(cwd: string): Promise<string | undefined> {
  try {
    const git = simpleGit({ baseDir: cwd });
    if (!(await git.checkIsRepo())) return undefined;
    return (await git.revparse(['--show-toplevel'])).trim() || undefined;
  } catch {
    return undefined;
  }
}
