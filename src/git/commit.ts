import { simpleGit } from 'simple-git';

/**
 * The commit the flows come from, for the plan and the audit note. In GitHub Actions a pull
 * request's checkout is a merge commit, so GITHUB_SHA is not used; the checked-out HEAD is what
 * was planned. Outside a repository there is no commit.
 */
export async function currentCommit(cwd: string): Promise<{ sha: string; dirty: boolean } | undefined> {
  try {
    const git = simpleGit({ baseDir: cwd });
    if (!(await git.checkIsRepo())) return undefined;
    const sha = (await git.revparse(['HEAD'])).trim();
    const status = await git.status();
    // flowops' own folder (caches, the embedded org) is not a change to the flows.
    const changed = status.files.filter((f) => !f.path.split('/').includes('.flowops'));
    return { sha, dirty: changed.length > 0 };
  } catch {
    return undefined;
  }
}

/** The commit as plans and audit notes name it: its id, with `+dirty` when the files differ from it. */
export async function commitLabel(cwd: string): Promise<string | undefined> {
  const commit = await currentCommit(cwd);
  return commit && `${commit.sha}${commit.dirty ? '+dirty' : ''}`;
}
