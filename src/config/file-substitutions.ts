/**
 * Substitutions per file: the `files` entries of flowops.yaml, each globs and values, at the top
 * level (every environment) and in an environment (that one only). Owns their order, the check of
 * their globs, and which values a given file gets. Pure: paths come from the caller.
 *
 * Precedence, lowest first: the environment's `substitutions`, the top-level `files` entries in the
 * file's order, the environment's own `files` entries in order. A later entry that matches the same
 * file wins for the keys it sets, as in .gitattributes and .editorconfig: a broad entry first, the
 * exceptions after it.
 */
import picomatch from 'picomatch';
import type { FileSubstitutions, SubstitutionValue } from '../check/types.js';
import type { FilesEntry } from './config.js';

/** One `files` entry that applies to the chosen environment, its values resolved. */
export interface FileLayer {
  /** Where it is written, for messages: `files[0]`, `environments.prod.files[1]`. */
  origin: string;
  match: string[];
  values: Record<string, SubstitutionValue>;
  /** Its keys marked secret. */
  secretKeys: string[];
}

/**
 * The `files` entries that apply to an environment, lowest precedence first, with where each is
 * written (`files[0]`, `environments.prod.files[1]`): the path of keys in flowops.yaml, for positions.
 */
export function fileEntriesOf(
  topLevel: readonly FilesEntry[] | undefined,
  environment: string,
  own: readonly FilesEntry[] | undefined,
): Array<{ origin: string; path: Array<string | number>; entry: FilesEntry }> {
  return [
    ...(topLevel ?? []).map((entry, i) => ({ origin: `files[${i}]`, path: ['files', i], entry })),
    ...(own ?? []).map((entry, i) => ({
      origin: `environments.${environment}.files[${i}]`,
      path: ['environments', environment, 'files', i],
      entry,
    })),
  ];
}

/** A glob or a list of globs (the schema has checked which). */
export function globsOf(value: unknown): string[] {
  return Array.isArray(value) ? (value as string[]) : [value as string];
}

/**
 * What is wrong with a `match` glob, if anything: globs are relative to flowops.yaml and inside the
 * project, like the `flows` globs they select among, and brackets must close (picomatch would
 * otherwise read `flows/[a.yaml` as a literal and match nothing, silently).
 */
export function globProblem(glob: string): string | undefined {
  if (glob.startsWith('/') || /^[A-Za-z]:/.test(glob))
    return `"${glob}" is an absolute path: a glob is relative to flowops.yaml`;
  if (glob.split('/').includes('..')) return `"${glob}" leaves the project: a glob is relative to flowops.yaml`;
  try {
    picomatch.makeRe(glob, { strictBrackets: true });
    return undefined;
  } catch (err) {
    return `"${glob}" is not a valid glob: ${(err as Error).message}`;
  }
}

/**
 * Each path (relative to flowops.yaml, `/`-separated) some layer matches, with its substitutions
 * (fileSubstitutionsMatcher), and the layers that match none of the paths (a glob with a typo gives
 * nothing, silently, else).
 */
export function fileSubstitutionsOf(
  environment: LayeredEnvironment,
  paths: readonly string[],
): { byPath: Map<string, FileSubstitutions>; unmatched: FileLayer[] } {
  const byPath = new Map<string, FileSubstitutions>();
  const used = new Set<FileLayer>();
  const of = fileSubstitutionsMatcher(environment);
  for (const path of paths) {
    const own = of(path, used);
    if (own) byPath.set(path, own);
  }
  return { byPath, unmatched: environment.files.filter((l) => !used.has(l)) };
}

/** What of a resolved environment the layering needs. */
type LayeredEnvironment = {
  values: Record<string, SubstitutionValue>;
  secretKeys: readonly string[];
  files: readonly FileLayer[];
};

/**
 * The globs compiled once; then, for a path (relative to flowops.yaml, `/`-separated), its
 * substitutions when some layer matches it (else undefined: the environment's are the file's): the
 * environment's, then every matching layer's over them in order. A key a later layer sets without
 * `secret` is no secret in that file any more (its value is another, written in clear). `used`
 * collects the layers that matched.
 */
export function fileSubstitutionsMatcher(
  environment: LayeredEnvironment,
): (path: string, used?: Set<FileLayer>) => FileSubstitutions | undefined {
  const layers = environment.files.map((layer) => ({ layer, matches: picomatch(layer.match, { dot: true }) }));
  return (path, used) => {
    let values: Record<string, SubstitutionValue> | undefined;
    let secret: Set<string> | undefined;
    for (const { layer, matches } of layers) {
      if (!matches(path)) continue;
      used?.add(layer);
      values ??= { ...environment.values };
      secret ??= new Set(environment.secretKeys);
      for (const [key, value] of Object.entries(layer.values)) {
        values[key] = value;
        if (layer.secretKeys.includes(key)) secret.add(key);
        else secret.delete(key);
      }
    }
    return values && secret ? { values, secretKeys: [...secret].sort() } : undefined;
  };
}
