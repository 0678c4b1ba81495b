import { open } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import pLimit from 'p-limit';
import { glob } from 'tinyglobby';
import { apiTypeForKey, guessFlowIdentity } from '../check/index.js';
import type { SubstitutionValue } from '../check/types.js';

/**
 * A YAML file under the project that no `flows` glob takes but that reads like an Archy flow (its
 * first top-level key names a flow type): a flow left out silently, unless someone says so.
 */
export interface OutsideFile {
  /** As shown in messages (relative to the working folder). */
  path: string;
  /** The flow type (`inboundcall`, `commonmodule`: the plan's spelling). */
  type: string;
  /** The flow's name with the environment's substitutions (or the file's own), when its lines say it plainly. */
  name?: string;
  /** The line of the flow type's key, for the warning's position. */
  line: number;
}

export interface OutsideOptions {
  /** The folder flowops.yaml is in: everything under it is looked at. */
  projectDir: string;
  /** Absolute paths of the files the `flows` globs took. */
  flowFiles: ReadonlySet<string>;
  /** Globs (relative to projectDir) of files that are not flows: `ignore`, the seed folders. */
  ignore: readonly string[];
  /** Files to leave out whatever they hold (flowops.yaml itself). */
  exclude: readonly string[];
  substitutions: Record<string, SubstitutionValue>;
  /** A file's own substitutions (`files` entries of flowops.yaml), when it has some. */
  fileSubstitutions?: (absolute: string) => Record<string, SubstitutionValue> | undefined;
  shown: (absolute: string) => string;
}

/** Dependencies and tools' folders: never a project's flows (dot-folders such as .git, .flowops, .github are skipped too). */
const NEVER = ['**/node_modules/**'];

/** Enough of a file to find its top-level key and the flow's name, which come first in every Archy file seen. */
const HEAD_BYTES = 16 * 1024;

/**
 * The YAML files of the project outside the `flows` globs that read like flows, with the flow each
 * seems to describe (guessFlowIdentity: the first lines, not a parse), sorted by path. Reads only
 * the head of each file, a few at a time.
 */
export async function findOutsideFiles(options: OutsideOptions): Promise<OutsideFile[]> {
  const candidates = await glob(['**/*.yaml', '**/*.yml'], {
    cwd: options.projectDir,
    absolute: true,
    onlyFiles: true,
    dot: false,
    followSymbolicLinks: false,
    ignore: [...NEVER, ...options.ignore],
  });
  const excluded = new Set(options.exclude.map((p) => resolve(p)));
  const files = candidates.filter((f) => !options.flowFiles.has(f) && !excluded.has(resolve(f))).sort();
  const limit = pLimit(16);
  const found = await Promise.all(files.map((file) => limit(async () => describeOutside(file, options))));
  return found.filter((f): f is OutsideFile => f !== undefined);
}

async function describeOutside(file: string, options: OutsideOptions): Promise<OutsideFile | undefined> {
  const head = await readHead(file);
  if (head === undefined) return undefined;
  const flow = flowTypeLine(head);
  if (!flow) return undefined;
  const identity = guessFlowIdentity(head, options.fileSubstitutions?.(file) ?? options.substitutions);
  return {
    path: options.shown(file),
    type: flow.type,
    ...(identity?.type === flow.type ? { name: identity.name } : {}),
    line: flow.line,
  };
}

/** The first bare top-level key, as guessFlowIdentity finds it, when it names a flow type. */
export function flowTypeLine(text: string): { type: string; line: number } | undefined {
  const top = /^([A-Za-z]+):[ \t]*(?:#.*)?$/m.exec(text);
  const type = top ? apiTypeForKey(top[1]!) : undefined;
  if (!top || !type) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < top.index; i = text.indexOf('\n', i + 1)) line++;
  return { type, line };
}

async function readHead(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return undefined; // gone or unreadable: not for this listing to report
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/** The `ignore` globs and every environment's seed folder, relative to the project folder. */
export function notFlowGlobs(ignore: readonly string[], seeds: readonly string[], projectDir: string): string[] {
  const seedGlobs = seeds
    .map((seed) => relative(projectDir, resolve(projectDir, seed)))
    .filter((dir) => dir !== '' && !dir.startsWith('..'))
    .map((dir) => `${dir.split('\\').join('/')}/**`);
  return [...ignore, ...seedGlobs];
}
