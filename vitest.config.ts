import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // Generous: a test that only waits for events ends as soon as they come; on a loaded 2-core machine a
    // heavy one (a dozen agent processes, the bundle) can take minutes, and must not fail for it.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
