/**
 * Builds of flowops with some of its plan machinery switched off, for `npm run bench -- --machinery`:
 * is each piece still worth its complexity? Made by editing a copy of the compiled dist/ (never
 * src/): each edit must find its text exactly once, or the bench stops (the code moved: update the
 * edit here).
 * (The early login and listing of a large repository's plan were measured the same way and removed
 * after the figures in README "Performance".)
 *   no-workers      the files are checked on the main thread only (src/workspace/check-in-worker.ts,
 *                   in the program's bundle: no worker threads, whatever the repository's size)
 */
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Switch = 'no-workers';

/** A text of the program's bundle (dist/cli/*.js, scripts/bundle.mjs), found in whichever file holds it. */
interface Edit {
  find: string;
  replace: string;
}

const EDITS: Record<Switch, Edit> = {
  'no-workers': {
    find: 'const threads = Math.min(3, availableParallelism() - 1);',
    replace: 'const threads = 0; /* bench: no worker threads */',
  },
};

/** A copy of `build` (dist/, schemas/, package.json, node_modules linked) with `switches` applied; returns its CLI's path. */
export function variantBuild(build: string, repoRoot: string, switches: readonly Switch[]): string {
  const dir = mkdtempSync(join(tmpdir(), `flowops-bench-${switches.join('+') || 'as-built'}-`));
  cpSync(join(build, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(join(build, 'schemas'), join(dir, 'schemas'), { recursive: true });
  copyFileSync(join(build, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const cliDir = join(dir, 'dist', 'cli');
  const texts = new Map(
    readdirSync(cliDir)
      .filter((f) => f.endsWith('.js'))
      .map((f) => [join(cliDir, f), readFileSync(join(cliDir, f), 'utf8')] as const),
  );
  for (const s of switches) {
    const edit = EDITS[s];
    const holding = [...texts].filter(([, text]) => text.includes(edit.find));
    const found = holding.reduce((n, [, text]) => n + text.split(edit.find).length - 1, 0);
    if (found !== 1)
      throw new Error(
        `${s}: "${edit.find}" found ${found} times in dist/cli (expected once): the code moved, update bench/variants.ts`,
      );
    const [path, text] = holding[0]!;
    const edited = text.replace(edit.find, edit.replace);
    texts.set(path, edited);
    writeFileSync(path, edited);
  }
  return join(dir, 'dist', 'cli', 'main.js');
}
