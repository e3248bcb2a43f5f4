// Browser end-to-end specs (Playwright via playwright-core in Debian's Chromium), one file at a time:
// they start servers and browsers and measure timings, which parallel files would disturb.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.spec.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
  },
})
