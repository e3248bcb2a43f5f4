#!/usr/bin/env node
// The `hotpath` command: runs the compiled CLI (npm run build puts it in dist/). npx, npm exec,
// node_modules/.bin and global installs reach this file through symlinks, so it calls main() itself
// rather than letting the CLI guess from process.argv[1] whether it is the program.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const entry = new URL('../dist/cli/index.js', import.meta.url)
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('hotpath: dist/ is missing; run `npm run build` first (or `npm ci && npm run build:all`).\n')
  process.exit(2)
}
const cli = await import(entry.href)
cli.main(process.argv.slice(2))
