// Builds the flame graph benchmark page (renderer/bench/flame-bench.html) into dist/flame-bench/, for
// tests/e2e/flame-bench.spec.ts. Separate from vite.config.ts so the app build never ships it.
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  root: here('./renderer/bench'),
  // Relative asset urls: the page is served from wherever the test's static server puts it.
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: here('./dist/flame-bench'),
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: { input: { 'flame-bench': here('./renderer/bench/flame-bench.html') } },
  },
  worker: { format: 'es' },
})
