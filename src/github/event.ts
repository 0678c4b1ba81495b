import { readFile } from 'node:fs/promises';

/**
 * The webhook payload of the event that started the workflow run (`GITHUB_EVENT_PATH`), parsed; or
 * undefined outside GitHub Actions or when the file cannot be read as JSON.
 */
export async function readGitHubEvent(env: Readonly<Record<string, string | undefined>>): Promise<unknown> {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return undefined;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}
