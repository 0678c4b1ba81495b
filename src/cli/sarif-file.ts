/**
 * `flowops validate --sarif FILE`: the report's problems as a SARIF 2.1.0 file for GitHub code
 * scanning (render/sarif.ts builds it). Paths are made relative to the git repository's top (the
 * working folder outside one), as code scanning resolves them against the checkout; a file outside
 * the repository keeps its absolute `file:` URI. Secrets are masked in every string, the way printed
 * output masks them, and the file is written whole or not at all.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../check/types.js';
import { repositoryRoot } from '../git/repository-root.js';
import { sarifLog, type SarifRule } from '../render/sarif.js';
import type { Output } from './output.js';
import { writeInFolder } from './write-file.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  homepage?: string;
};

export async function writeSarifFile(
  path: string,
  report: { diagnostics: readonly Diagnostic[]; rules: readonly SarifRule[] },
  out: Output,
): Promise<void> {
  const cwd = process.cwd();
  const root = (await repositoryRoot(cwd)) ?? cwd;
  const log = sarifLog({
    ...report,
    tool: { name: 'flowops', version: pkg.version, ...(pkg.homepage ? { informationUri: pkg.homepage } : {}) },
    uriOf: (file) => uriOf(resolve(cwd, file), root),
  });
  await writeInFolder(resolve(cwd, path), `${JSON.stringify(masked(log, out), null, 2)}\n`);
}

/** Relative to the repository's top with `/` and percent-encoding, or a `file:` URI when outside it. */
function uriOf(file: string, root: string): string {
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return pathToFileURL(file).href;
  return rel.split(sep).map(encodeURIComponent).join('/');
}

/** Every string of the log with the secrets masked (masking the JSON text would miss an escaped secret). */
function masked<T>(value: T, out: Output): T {
  if (typeof value === 'string') return out.redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => masked(v, out)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, out)])) as T;
  return value;
}
