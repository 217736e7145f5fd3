import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Real processes and real load: two cores cannot run many of these side by side without the timing-sensitive ones starving.
    fileParallelism: false,
  },
});
