#!/usr/bin/env node
// The `hotpath` command: runs the compiled CLI (npm run build puts it in dist/).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const entry = new URL('../dist/cli/index.js', import.meta.url)
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('hotpath: dist/ is missing; run `npm run build` first (or `npm ci && npm run build:all`).\n')
  process.exit(2)
}
await import(entry.href)
