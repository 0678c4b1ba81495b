/**
 * The pure core stays pure: what src/check/, src/config/, src/identity/ and src/plan/ import, and
 * what those imports import in turn (src/schemas.ts, ...), reads no file, starts no process or
 * thread, opens no socket, talks to no Genesys SDK and schedules no timer. Reading, caching and sharing work between threads
 * belong to workspace/; a plan or a check is then the same answer whoever asks, tests included.
 * The scan reads the import statements of the TypeScript sources (no build needed).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const PURE_FOLDERS = ['check', 'config', 'identity', 'plan', 'rules'];

/** Modules that do I/O (or hand it out): node's and the packages that reach the network or git. */
const FORBIDDEN_MODULES = [
  /^(node:)?fs(\/promises)?$/,
  /^(node:)?child_process$/,
  /^(node:)?worker_threads$/,
  /^(node:)?cluster$/,
  /^(node:)?(net|http|https|http2|tls|dgram|dns)$/,
  /^(node:)?(timers|timers\/promises)$/,
  /^(node:)?readline(\/promises)?$/,
  /^(node:)?module$/, // createRequire: a way around the rest
  /^purecloud-platform-client-v2(\/|$)/,
  /^simple-git(\/|$)/,
  /^@octokit\//,
];

/** Calls that schedule work for later: the core answers now. */
const FORBIDDEN_CALLS = /\b(setImmediate|setTimeout|setInterval)\s*\(/;

/** What a module imports (static, re-exports, dynamic with a literal). */
function importsOf(code: string): string[] {
  const found: string[] = [];
  for (const m of code.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g)) found.push(m[1]!);
  for (const m of code.matchAll(/(?:^|[\s;])import\s*['"]([^'"]+)['"]/g)) found.push(m[1]!);
  for (const m of code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found;
}

/** The code without its comments (they may well name what the code must not use). */
function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** The TypeScript file a relative import names (`./x.js` is `./x.ts`); undefined for data (JSON). */
function resolveLocal(from: string, specifier: string): string | undefined {
  const target = resolve(dirname(from), specifier);
  if (target.endsWith('.json')) return undefined;
  const ts = target.replace(/\.js$/, '.ts');
  if (existsSync(ts)) return ts;
  throw new Error(`${relative(SRC, from)} imports ${specifier}, which is not a file of src/`);
}

/** Every problem in the pure folders and all they reach, as "file: problem". */
function impurities(roots: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = withoutComments(readFileSync(file, 'utf8'));
    const name = relative(SRC, file);
    for (const specifier of importsOf(code)) {
      if (specifier.startsWith('.')) {
        const local = resolveLocal(file, specifier);
        if (local) queue.push(local);
      } else if (FORBIDDEN_MODULES.some((re) => re.test(specifier))) problems.push(`${name}: imports ${specifier}`);
    }
    const call = FORBIDDEN_CALLS.exec(code);
    if (call) problems.push(`${name}: calls ${call[1]}`);
  }
  return problems;
}

function tsFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFilesIn(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the pure core does no I/O', () => {
  it('check/, config/ and plan/, and all they import, use no file system, process, thread, network, SDK or timer', () => {
    const roots = PURE_FOLDERS.flatMap((folder) => tsFilesIn(join(SRC, folder)));
    expect(roots.length).toBeGreaterThan(20);
    expect(impurities(roots)).toEqual([]);
  });

  it('the scan sees what it must refuse', () => {
    expect(
      importsOf(
        `import { readFileSync } from 'node:fs';\nexport * from './a.js';\nimport 'x';\nconst m = await import('node:worker_threads');`,
      ),
    ).toEqual(['node:fs', './a.js', 'x', 'node:worker_threads']);
    expect(importsOf(`import type {\n  A,\n  B,\n} from '../check/types.js';`)).toEqual(['../check/types.js']);
    expect(FORBIDDEN_MODULES.some((re) => re.test('fs/promises'))).toBe(true);
    expect(FORBIDDEN_CALLS.test('await new Promise((r) => setImmediate(r));')).toBe(true);
    expect(withoutComments('// setTimeout(...) in a comment\nconst url = "https://example.com";')).toBe(
      '\nconst url = "https://example.com";',
    );
  });
});
