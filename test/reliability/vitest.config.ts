import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:reliability`: chaos, crash, fuzz and secrets, against the built binary and the
 * emulator. Its files end in `.reliability.ts` so that `npm test` (test/**\/*.test.ts) leaves them out:
 * together they take minutes, and the chaos and crash tests are about timing, so they run one file
 * at a time here, not beside the unit tests. CI runs both (.ci/run).
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/reliability/**/*.reliability.ts'],
    // figures-setup first: its folder is made before test/global-setup moves TMPDIR, so it outlives it.
    globalSetup: ['test/reliability/figures-setup.ts', 'test/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
