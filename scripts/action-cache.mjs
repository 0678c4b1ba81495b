// The GitHub Action's cache of .flowops/cache between runs (action.yml, input `cache`): where it is,
// the key it is saved under, and whether a run changed it. Node, not shell, so that it runs the same
// on Linux, macOS and Windows runners (no sha256sum, GNU find or xargs needed). Called by
// action.yml's steps from the working directory, with what GitHub gives every step (RUNNER_OS,
// RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_WORKSPACE, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT,
// GITHUB_ACTION_PATH) and:
//   FLOWOPS_CONFIG       the config input (empty: ./flowops.yaml)
//   FLOWOPS_ENVIRONMENT  the environment input (empty: flowops.yaml's defaultEnvironment)
//
//   locate   outputs dir (the project's .flowops/cache), prefix (of every key this project, this
//            environment and this build of flowops save under), and restore: true the first time in
//            a job, false after (a second use of the action in the same job, such as apply after
//            plan, keeps what the first one left rather than restoring an older copy over it)
//   state    outputs hash (of the cache's content, .flowops/cache/files left out: those stamps are of
//            this machine's files and never match on another) and key (a new one, to save under)
//
// Keys: flowops-cache-v1-<os>-<flowops build>-<project>-<environment>-<run>-<attempt>-<nonce>. The
// build is a hash of flowops' package files and built program, so another flowops never reads this
// one's cache (its entries are keyed by what they depend on anyway: this is a second guard).
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

const env = process.env;

/** The files under `folder` of `root`, by their path from root (with `/`). */
function filesUnder(root, folder = '') {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      relative(root, join(entry.parentPath ?? entry.path, entry.name))
        .split(sep)
        .join('/'),
    );
}

/** sha256 of these files of `root` (paths from root), their paths and contents both. */
function hashFiles(root, paths) {
  const hash = createHash('sha256');
  for (const path of [...paths].sort()) {
    const content = readFileSync(join(root, path));
    hash.update(`${path}\0${content.length}\0`).update(content);
  }
  return hash.digest('hex').slice(0, 16);
}

const short = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16);
const projectDir = () => realpathSync(dirname(env.FLOWOPS_CONFIG || 'flowops.yaml'));
const output = (values) =>
  appendFileSync(
    env.GITHUB_OUTPUT,
    Object.entries(values)
      .map(([name, value]) => `${name}=${value}\n`)
      .join(''),
  );

const command = process.argv[2];
if (command === 'locate') {
  const project = projectDir();
  const dir = join(project, '.flowops', 'cache');
  const action = env.GITHUB_ACTION_PATH;
  // Only what is asked for is walked: the action's folder holds its node_modules too.
  const build = hashFiles(action, [
    'package.json',
    'package-lock.json',
    ...filesUnder(action, 'dist').filter((path) => /\.(?:js|json)$/.test(path)),
  ]);
  const workspace = env.GITHUB_WORKSPACE ? realpathSync(env.GITHUB_WORKSPACE) : '';
  const where = short(relative(workspace, project).split(sep).join('/'));
  const environment = (env.FLOWOPS_ENVIRONMENT || 'default').replace(/[^A-Za-z0-9._]/g, '_');
  const marker = join(env.RUNNER_TEMP, `flowops-cache-${short(dir)}`);
  const restore = !existsSync(marker);
  if (restore) writeFileSync(marker, '');
  output({
    dir,
    prefix: `flowops-cache-v1-${env.RUNNER_OS || 'unknown'}-${build}-${where}-${environment}-`,
    restore: String(restore),
  });
} else if (command === 'state') {
  const dir = join(projectDir(), '.flowops', 'cache');
  const hash = existsSync(dir)
    ? hashFiles(
        dir,
        filesUnder(dir).filter((path) => !path.startsWith('files/')),
      )
    : 'none';
  const nonce = `${Date.now()}${randomBytes(3).toString('hex')}`;
  output({ hash, key: `${env.GITHUB_RUN_ID || '0'}-${env.GITHUB_RUN_ATTEMPT || '1'}-${nonce}` });
} else {
  console.error('usage: action-cache.mjs locate|state');
  process.exit(2);
}
