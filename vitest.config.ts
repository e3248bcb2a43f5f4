import { defineConfig } from 'vitest/config'

/**
 * Test files whose assertions rest on timings of real workload processes (a gate that must pass on
 * identical code). Beside another test file on two cores they measure that file, not the workload: in
 * CI, identical code measured while a neighbour file hammered both cores came out 50% slower with 17x
 * the garbage-collector time, twice in a row. They run in their own group, after everything else, one
 * file at a time.
 */
const quiet = ['tests/integration/cli/ci-flow.test.ts']

export default defineConfig({
  test: {
    // Builds dist/ when missing or stale, for the tests of the compiled CLI, preload bundle and workers.
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'tests',
          include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx', 'tests/integration/**/*.test.ts'],
          exclude: quiet,
          fileParallelism: true,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'quiet',
          include: quiet,
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})
