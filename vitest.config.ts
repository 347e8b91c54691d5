import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/dashboard/**/*.test.ts',
      'test/integration/**/*.test.ts',
    ],
    // Guards against hangs, not speed checks: CI machines are shared and a loaded one runs
    // the slowest integration tests (a real controller, child processes) several times slower.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
