// Bundles the `flowops` program (`npm run build` runs it after tsc): dist/cli/main.js, and the two
// worker scripts beside it, from the TypeScript sources, with every dependency but the Genesys SDK
// inside. Loading some 130 ES modules one by one (resolving, reading, linking each) was about a
// sixth of a warm plan of 1000 unchanged flows (bench: 0.44 s to 0.37 s with the bundle).
//
// What is loaded only when needed stays so: each dynamic import() is a chunk of its own, loaded at
// its first use (the HTML report's graph layout, the markdown renderer, each command's code); the
// SDK is loaded with require() at its first use (src/genesys/sdk.ts) and left out of the bundle.
// Chunks, entries and workers all sit in dist/cli, so each `new URL('./x.js', import.meta.url)`
// and `../../package.json` of the sources finds the same file from any of them. tsc's dist/ (the
// modules one by one) stays for what imports them directly (tests).
import { build } from 'esbuild';
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'cli');
// The chunks of an earlier build (their names are hashes of their content) go first.
for (const name of readdirSync(out).filter((n) => n.startsWith('chunk-'))) rmSync(join(out, name));
await build({
  absWorkingDir: root,
  entryPoints: {
    main: 'src/cli/main.ts',
    'check-worker': 'src/workspace/check-worker.ts',
    'job-file-worker': 'src/emulator/job-file-worker.ts',
  },
  outdir: 'dist/cli',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['purecloud-platform-client-v2'],
  // CommonJS dependencies bundled into ES modules still call require() for Node's own modules, and
  // read __filename (write-file-atomic: a seed of its temporary files' names).
  banner: {
    js: [
      "import { createRequire as __flowopsRequire } from 'node:module';",
      "import { fileURLToPath as __flowopsPath } from 'node:url';",
      'const require = __flowopsRequire(import.meta.url);',
      'const __filename = __flowopsPath(import.meta.url);',
    ].join('\n'),
  },
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
chmodSync(join(root, 'dist/cli/main.js'), 0o755);
