/**
 * Regenerates the profile fixtures in tests/fixtures/profiles/node-<version>/ by running the small
 * programs in tests/fixtures/programs/ and one third-party program (prettier) under V8's profilers.
 * Usage: npx tsx scripts/record-fixture.ts [fixture-name...]   (no names: all of them)
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { importProfileText } from '../core/import/index.js'
import type { CpuProfileRaw } from '../core/import/cpuprofile.js'
import type { HeapProfileNode, HeapProfileRaw } from '../core/import/heap-profile.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** Fixtures are kept small so the repository stays light and tests stay fast. */
const MAX_BYTES = 300 * 1024
/** Paths under the repository are rewritten to this prefix, so fixtures do not depend on where they were recorded. */
const REPO_PLACEHOLDER = '/hotpath'

interface Recipe {
  name: string
  ext: 'cpuprofile' | 'heapprofile'
  /** V8 profiler flags; the output folder is appended by `record`. */
  flags: string[]
  /** The program and its arguments, relative to the repository root. */
  args: string[]
}

const recipes: Recipe[] = [
  {
    name: 'fib-strings-json',
    ext: 'cpuprofile',
    flags: ['--cpu-prof', '--cpu-prof-interval', '100'],
    args: ['tests/fixtures/programs/fib-strings-json.js'],
  },
  {
    name: 'deep-recursion',
    ext: 'cpuprofile',
    flags: ['--cpu-prof', '--cpu-prof-interval', '100'],
    args: ['tests/fixtures/programs/deep-recursion.js'],
  },
  {
    name: 'two-phases',
    ext: 'cpuprofile',
    flags: ['--cpu-prof', '--cpu-prof-interval', '200'],
    args: ['tests/fixtures/programs/two-phases.js'],
  },
  {
    // A real third-party program: prettier checking the fixture programs (module loading, parsing, printing).
    name: 'prettier-check',
    ext: 'cpuprofile',
    flags: ['--cpu-prof', '--cpu-prof-interval', '200'],
    args: [
      'node_modules/prettier/bin/prettier.cjs',
      '--check',
      'tests/fixtures/programs/fib-strings-json.js',
      'tests/fixtures/programs/deep-recursion.js',
      'tests/fixtures/programs/alloc-burst.js',
      'tests/fixtures/programs/tiny-ts-project/index.ts',
    ],
  },
  {
    name: 'alloc-burst',
    ext: 'heapprofile',
    flags: ['--heap-prof', '--heap-prof-interval', '8192'],
    args: ['tests/fixtures/programs/alloc-burst.js'],
  },
]

function rewriteUrl(url: string): string {
  const fileRoot = `file://${root}/`
  if (url.startsWith(fileRoot)) return `file://${REPO_PLACEHOLDER}/${url.slice(fileRoot.length)}`
  if (url.startsWith(`${root}/`)) return `${REPO_PLACEHOLDER}/${url.slice(root.length + 1)}`
  return url
}

function rewritePaths(ext: Recipe['ext'], data: unknown): unknown {
  if (ext === 'cpuprofile') {
    for (const node of (data as CpuProfileRaw).nodes) node.callFrame.url = rewriteUrl(node.callFrame.url)
    return data
  }
  const stack: HeapProfileNode[] = [(data as HeapProfileRaw).head]
  while (stack.length > 0) {
    const node = stack.pop() as HeapProfileNode
    node.callFrame.url = rewriteUrl(node.callFrame.url)
    stack.push(...node.children)
  }
  return data
}

function record(recipe: Recipe, outDir: string): void {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'hotpath-fixture-'))
  try {
    const dirFlag = recipe.ext === 'cpuprofile' ? '--cpu-prof-dir' : '--heap-prof-dir'
    const argv = [...recipe.flags, dirFlag, tmp, ...recipe.args]
    const result = spawnSync(process.execPath, argv, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
    // prettier --check exits 1 when a file is not formatted: that is its answer, not a failure to profile.
    if (result.error || (result.status !== 0 && result.status !== 1)) {
      throw new Error(`${recipe.name}: node ${argv.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`)
    }
    const produced = readdirSync(tmp).filter((f) => f.endsWith(`.${recipe.ext}`))
    if (produced.length !== 1) throw new Error(`${recipe.name}: expected one .${recipe.ext} file, found ${produced.length}`)
    const data = rewritePaths(recipe.ext, JSON.parse(readFileSync(path.join(tmp, produced[0] as string), 'utf8')))
    const text = JSON.stringify(data)
    if (text.length > MAX_BYTES) {
      throw new Error(`${recipe.name}: ${text.length} bytes is over ${MAX_BYTES}; raise the sampling interval or shorten the program`)
    }
    const file = path.join(outDir, `${recipe.name}.${recipe.ext}`)
    const { tree } = importProfileText(file, text)
    writeFileSync(file, text)
    const total = tree.nodes.total[0] ?? 0
    process.stdout.write(
      `${path.relative(root, file)}: ${text.length} bytes, ${tree.meta.sampleCount} samples, ${tree.nodes.length} call paths, ` +
        `${tree.unit === 'ms' ? `${total.toFixed(1)} ms` : `${total} bytes`}\n` +
        `  node ${argv.map((a) => (a === tmp ? '<dir>' : a)).join(' ')}\n`,
    )
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

function main(): void {
  const wanted = process.argv.slice(2)
  const unknown = wanted.filter((w) => !recipes.some((r) => r.name === w))
  if (unknown.length > 0) {
    process.stderr.write(`unknown fixture(s): ${unknown.join(', ')}; known: ${recipes.map((r) => r.name).join(', ')}\n`)
    process.exit(2)
  }
  const outDir = path.join(root, 'tests', 'fixtures', 'profiles', `node-${process.versions.node}`)
  mkdirSync(outDir, { recursive: true })
  for (const recipe of recipes) if (wanted.length === 0 || wanted.includes(recipe.name)) record(recipe, outDir)
}

main()
