import { readFileSync, statSync, type BigIntStats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import pLimit from 'p-limit';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { glob } from 'tinyglobby';
import { ConfigError, UsageError } from '../errors.js';
import {
  fileSubstitutionsMatcher,
  fileSubstitutionsOf,
  parseConfig,
  resolveEnvironment,
  type ProjectConfig,
  type ResolvedEnvironment,
} from '../config/config.js';
import { textHashOf } from '../check/index.js';
import type { Diagnostic, FileSubstitutions, FlowSource } from '../check/types.js';
import { FileStamps } from './file-stamps.js';
import { loadRules, type LoadedRules } from './load-rules.js';
import { findOutsideFiles, notFlowGlobs, type OutsideFile } from './outside-files.js';

export const DEFAULT_CONFIG = 'flowops.yaml';

export interface Workspace {
  config?: ProjectConfig;
  environment: ResolvedEnvironment;
  sources: FlowSource[];
  /** Files that could not be read as text (invalid UTF-8), reported like any other problem. */
  diagnostics: Diagnostic[];
  /**
   * By source path, the files that `files` entries of flowops.yaml give substitutions of their own
   * (CheckOptions.files); the others have the environment's.
   */
  fileSubstitutions: Record<string, FileSubstitutions>;
  /** About flowops.yaml itself, e.g. a `files` entry that matches no flow file. */
  configWarnings: Diagnostic[];
  /**
   * YAML files of the project that read like flows but that no `flows` glob takes (nor `ignore`,
   * nor a seed folder), with the flow each seems to describe; empty when the files were named on
   * the command line. Nothing is left out silently: validate lists them, and --prune must not
   * delete a live flow one of them describes.
   */
  outside: OutsideFile[];
  /** The house rules each file's check runs (the built-ins at their defaults without a config). */
  rules: LoadedRules;
}

export interface LoadOptions {
  /** --config; when absent, ./flowops.yaml if it exists. */
  configPath?: string;
  /** --env */
  environment?: string;
  /** Files or folders given on the command line instead of the config's `flows` globs. */
  paths?: string[];
  cwd?: string;
  env?: Record<string, string | undefined>;
  /**
   * Look for YAML files no glob takes (default true): validate lists them and --prune spares their
   * flows; other commands skip the walk over the project.
   */
  outside?: boolean;
}

/**
 * Everything a command needs from disk, read up front: the config, the chosen environment with its
 * substitutions resolved, and the flow files' text. Paths in messages are relative to `cwd`.
 */
export async function loadWorkspace(options: LoadOptions): Promise<Workspace> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const configFile = resolve(cwd, options.configPath ?? DEFAULT_CONFIG);
  const shown = (p: string) => shownPath(p, cwd);
  let config: ProjectConfig | undefined;
  const text = await readText(configFile);
  if (text === undefined) {
    if (options.configPath) throw new UsageError(`config file ${options.configPath} not found`);
    if (!options.paths?.length)
      throw new UsageError(
        `no ${DEFAULT_CONFIG} in ${cwd}: run flowops in your flows repository, pass --config FILE, or name the flow files to check`,
      );
  } else {
    const parsed = parseConfig(shown(configFile), text);
    if (!parsed.config) throw new ConfigError(parsed.diagnostics);
    config = parsed.config;
  }
  let environment: ResolvedEnvironment;
  if (config) {
    const resolved = resolveEnvironment(config, options.environment, env);
    if (!resolved.environment) throw new ConfigError(resolved.diagnostics);
    environment = resolved.environment;
  } else {
    if (options.environment) throw new UsageError(`--env ${options.environment} needs a config file that defines it`);
    environment = {
      name: 'default',
      emulator: true,
      values: {},
      secrets: [],
      secretKeys: [],
      knownSecrets: [],
      files: [],
    };
  }
  const projectDir = dirname(configFile);
  const rules = await loadRules({
    ...(config?.rules ? { section: config.rules } : {}),
    configPath: shown(configFile),
    projectDir,
  });
  const notFlows = config
    ? notFlowGlobs(
        config.ignore,
        Object.values(config.environments).flatMap((e) => e.seed ?? []),
        projectDir,
      )
    : [];
  const files = options.paths?.length
    ? await expandPaths(options.paths, cwd)
    : await glob(config!.flows, {
        cwd: projectDir,
        absolute: true,
        onlyFiles: true,
        dot: false,
        ignore: config!.ignore,
      });
  const unique = [...new Set(files)].sort();
  // `files` globs are relative to flowops.yaml, as `flows` globs are; sources are named relative to cwd.
  const inProject = (file: string) => relative(projectDir, file).split(sep).join('/');
  // Looked for while the flow files are read; a list of files given on the command line leaves nothing out.
  const outside =
    options.paths?.length || options.outside === false
      ? Promise.resolve([])
      : findOutsideFiles({
          projectDir,
          flowFiles: new Set(unique),
          ignore: notFlows,
          exclude: [configFile],
          substitutions: environment.values,
          ...(environment.files.length ? { fileSubstitutions: outsideValues(environment, inProject) } : {}),
          shown,
        });
  outside.catch(() => undefined);
  const sources: FlowSource[] = [];
  const diagnostics: Diagnostic[] = [];
  const own = fileSubstitutionsOf(environment, unique.map(inProject));
  const fileSubstitutions: Record<string, FileSubstitutions> = {};
  // A file whose stat is as stamped when it was last read is not read now (its text when asked for).
  const stamps = config ? new FileStamps(join(projectDir, '.flowops', 'cache')) : undefined;
  const readAtNs = BigInt(Date.now()) * 1_000_000n;
  const stats = unique.map((file) => statOf(file));
  const known = unique.map((file, i) => (stamps && stats[i] ? stamps.textHash(file, stats[i]) : undefined));
  // Read many at once (each read is four trips to libuv's thread pool: one after another, a thousand
  // files spent most of their time waiting), then taken in order: the first unreadable one is named.
  const reading = pLimit(READS_AT_ONCE);
  const contents = await Promise.all(
    unique.map((file, i) =>
      known[i] !== undefined
        ? undefined
        : reading(async () => {
            const bytes = await readFile(file).catch(() => undefined);
            const after = bytes && (await stat(file, { bigint: true }).catch(() => undefined));
            return { bytes, after };
          }),
    ),
  );
  for (const [i, file] of unique.entries()) {
    const values = own.byPath.get(inProject(file));
    if (values) fileSubstitutions[shown(file)] = values;
    const textHash = known[i];
    if (textHash !== undefined) {
      sources.push(sourceReadLater(shown(file), file, textHash));
      continue;
    }
    const bytes = contents[i]?.bytes;
    if (bytes === undefined) throw new UsageError(`cannot read ${shown(file)}`);
    const decoded = decodeUtf8(bytes);
    if (typeof decoded === 'string') {
      const read = { path: shown(file), text: decoded, textHash: textHashOf(decoded) };
      sources.push(read);
      if (stamps && stats[i]) stamps.record(file, stats[i], contents[i]?.after, readAtNs, read.textHash);
    } else
      diagnostics.push({
        severity: 'error',
        code: 'encoding',
        message: 'file is not valid UTF-8 text',
        file: shown(file),
        ...decoded,
      });
  }
  stamps?.save();
  // With files named on the command line, an entry for others is no mistake.
  const configWarnings: Diagnostic[] =
    config && !options.paths?.length
      ? own.unmatched.map((layer) => ({
          severity: 'warning',
          code: 'unused-files-entry',
          message: `${layer.origin}: no flow file matches ${layer.match.join(', ')}: its substitutions are used nowhere`,
          file: config.path,
          ...(config.filePositions[layer.origin] ?? { line: 1, col: 1 }),
        }))
      : [];
  const workspace: Workspace = {
    environment,
    sources,
    diagnostics,
    fileSubstitutions,
    configWarnings,
    outside: await outside,
    rules,
  };
  if (config) workspace.config = config;
  return workspace;
}

/** The file's stat, to the nanosecond; undefined when there is none (the read then says why). */
function statOf(file: string): BigIntStats | undefined {
  try {
    return statSync(file, { bigint: true });
  } catch {
    return undefined;
  }
}

/**
 * A file whose stamp says its text is unchanged since it was last read (file-stamps.ts): read when
 * something first asks for its text, which must then have the stamped hash. A file edited while
 * flowops runs is an error, never a text of the wrong version.
 */
function sourceReadLater(path: string, file: string, textHash: string): FlowSource {
  let text: string | undefined;
  return {
    path,
    textHash,
    get text(): string {
      if (text !== undefined) return text;
      let decoded: ReturnType<typeof decodeUtf8> | undefined;
      try {
        decoded = decodeUtf8(readFileSync(file));
      } catch {
        throw new UsageError(`cannot read ${path}`);
      }
      if (typeof decoded !== 'string' || textHashOf(decoded) !== textHash)
        throw new UsageError(`${path} changed while flowops was reading the files: run the command again`);
      text = decoded;
      return text;
    },
  };
}

/** Flow files read at once: enough to keep libuv's four threads busy, few enough to stay clear of file-handle limits. */
const READS_AT_ONCE = 32;

/** A file outside the `flows` globs may have values of its own too: its flow's name is guessed with them. */
function outsideValues(
  environment: ResolvedEnvironment,
  inProject: (file: string) => string,
): (file: string) => ResolvedEnvironment['values'] | undefined {
  const of = fileSubstitutionsMatcher(environment);
  return (file) => of(inProject(file))?.values;
}

/** A path as messages show it: relative to the working folder. */
export function shownPath(path: string, cwd = process.cwd()): string {
  return relative(cwd, path) || path;
}

/** The config file's path as messages show it (errors about the whole project are placed there). */
export function shownConfigPath(configPath: string | undefined, cwd = process.cwd()): string {
  return shownPath(resolve(cwd, configPath ?? DEFAULT_CONFIG), cwd);
}

async function expandPaths(paths: string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const abs = isAbsolute(p) ? p : resolve(cwd, p);
    const info = await stat(abs).catch(() => undefined);
    if (!info) throw new UsageError(`${p}: no such file or directory`);
    if (info.isDirectory())
      out.push(...(await glob(['**/*.yaml', '**/*.yml'], { cwd: abs, absolute: true, onlyFiles: true })));
    else out.push(abs);
  }
  return out;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((err as NodeJS.ErrnoException).code === 'EISDIR') throw new UsageError(`${file} is a directory`);
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The text, or the line and column of the first byte that is not UTF-8. */
function decodeUtf8(bytes: Uint8Array): string | { line: number; col: number } {
  try {
    return strictUtf8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    // Find the first bad byte by decoding ever longer prefixes would be quadratic; walk once instead.
    let line = 1;
    let col = 1;
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i]!;
      const len = b < 0x80 ? 1 : b >> 5 === 6 ? 2 : b >> 4 === 14 ? 3 : b >> 3 === 30 ? 4 : 0;
      const valid =
        len > 0 &&
        i + len <= bytes.length &&
        isContinuation(bytes, i + 1, len - 1) &&
        canDecode(bytes.subarray(i, i + len));
      if (!valid) return { line, col };
      if (b === 0x0a) {
        line++;
        col = 1;
      } else col++;
      i += len;
    }
    return { line, col };
  }
}

function isContinuation(bytes: Uint8Array, from: number, count: number): boolean {
  for (let i = from; i < from + count; i++) if ((bytes[i]! & 0xc0) !== 0x80) return false;
  return true;
}

function canDecode(seq: Uint8Array): boolean {
  try {
    strictUtf8.decode(seq);
    return true;
  } catch {
    return false;
  }
}
