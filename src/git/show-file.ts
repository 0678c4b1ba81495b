import { simpleGit } from 'simple-git';

/** A file's text at a commit, or undefined when the commit or the file is not there. */
export async function fileAtCommit(cwd: string, commit: string, path: string): Promise<string | undefined> {
  try {
    const git = simpleGit({ baseDir: cwd });
    const prefix = (await git.revparse(['--show-prefix'])).trim();
    return await git.show([`${commit}:${prefix}${path.replace(/^\.\//, '')}`]);
  } catch {
    return undefined;
  }
}
