/**
 * No import runs upwards: each folder of src/ says in its README.md what it owns and, on its
 * `May import:` line, which folders (or single files, `folder/file`) it may import; this test holds
 * every relative import of src/ to those lines, and the folders to an order without cycles. A new
 * import across folders is a decision: write it on the line first, where a reader sees it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
/** generated/ has no README: its code is Ajv's and imports nothing of ours. */
const LEAVES = new Set(['generated']);
/**
 * Files at the root of src/, which have no README: errors.ts takes the check's Diagnostic type (a
 * validation error carries the diagnostics), a file that imports nothing itself.
 */
const ROOT_MAY_IMPORT: Record<string, string[]> = { errors: ['check/types'] };

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** `check/index.ts` -> `check`; `errors.ts` -> `errors`. */
function folderOf(path: string): string {
  const rel = relative(SRC, path).split('/');
  return rel.length === 1 ? rel[0]!.replace(/\.ts$/, '') : rel[0]!;
}

function mayImport(folder: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(join(SRC, folder, 'README.md'), 'utf8');
  } catch {
    return undefined;
  }
  const line = text.split('\n').find((l) => l.startsWith('May import:'));
  if (!line) return undefined;
  return line
    .slice('May import:'.length)
    .split(',')
    .map((entry) => entry.trim().replace(/\s*\(.*$/, ''))
    .filter((entry) => entry !== '');
}

/** Every (from file, to file) pair of relative imports between folders, type-only imports included. */
function crossImports(): { from: string; to: string }[] {
  const edges: { from: string; to: string }[] = [];
  for (const file of tsFiles(SRC)) {
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolve(dirname(file), m[1]!).replace(/\.js$/, '.ts');
      if (folderOf(target) !== folderOf(file)) edges.push({ from: file, to: target });
    }
  }
  return edges;
}

const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());

describe('layers', () => {
  it('every folder of src/ says what it owns and what it may import', () => {
    const missing = folders.filter((f) => !LEAVES.has(f) && mayImport(f) === undefined);
    expect(missing).toEqual([]);
  });

  it("every import across folders is on its folder's `May import:` line", () => {
    const wrong: string[] = [];
    for (const { from, to } of crossImports()) {
      const allowed = mayImport(folderOf(from)) ?? ROOT_MAY_IMPORT[folderOf(from)] ?? [];
      const target = folderOf(to);
      const file = `${target}/${relative(join(SRC, target), to).replace(/\.ts$/, '')}`;
      if (!allowed.includes(target) && !allowed.includes(file))
        wrong.push(`${relative(SRC, from)} imports ${relative(SRC, to)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('the folders have an order: no cycle through the `May import:` lines', () => {
    // A single-file entry (`identity/flow-key`) is an edge to its folder only when that file imports
    // something of src/ itself; a leaf file carries nothing back.
    const edgesOf = (f: string): string[] =>
      (mayImport(f) ?? ROOT_MAY_IMPORT[f] ?? []).flatMap((entry) => {
        const [folder, file] = entry.split('/');
        if (file === undefined) return [folder!];
        const code = readFileSync(join(SRC, `${entry}.ts`), 'utf8');
        return /from\s*['"]\.{1,2}\//.test(code) ? [folder!] : [];
      });
    const cycles: string[] = [];
    const visit = (f: string, path: string[]): void => {
      if (path.includes(f)) {
        cycles.push([...path.slice(path.indexOf(f)), f].join(' -> '));
        return;
      }
      for (const next of edgesOf(f)) visit(next, [...path, f]);
    };
    for (const f of [...folders, ...Object.keys(ROOT_MAY_IMPORT)]) visit(f, []);
    expect([...new Set(cycles)]).toEqual([]);
  });
});
