import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests that run the real CLI start a Node process each (about a second); the default 5 s is tight
// on a shared 2-core machine, so the bound is generous: a hang still fails, slowness is for bench/.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
