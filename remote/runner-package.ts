/**
 * The self-contained runner shipped to targets: the compiled engine (dist/core, workloads, profilers,
 * store, service, remote), the npm packages it imports (found by scanning those files' imports, then
 * following each package's dependencies), and optionally this machine's Node binary. Described by a
 * manifest of `sha256 path` lines; the manifest's own sha256 names the runner on the target, so the
 * same build is uploaded once per target and a changed file uploads only itself.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import { builtinModules } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** One file of the runner: where it goes in the runner folder and where its bytes come from. */
export interface RunnerFile {
  /** Path inside the runner folder, with forward slashes. */
  rel: string
  sha256: string
  bytes: number
  executable: boolean
  /** Absolute path on this machine, or the content itself for generated files. */
  source: { file: string } | { content: Buffer }
}

export interface RunnerPackage {
  /** sha256 of the manifest: the runner's name on the target. */
  id: string
  files: RunnerFile[]
  /** The manifest text: `sha256 x|- rel` per line, sorted by path. */
  manifest: string
  totalBytes: number
  /** Entry script inside the runner folder. */
  entry: string
  /** The shipped Node binary inside the runner folder, when shipNode was asked for. */
  node?: string
}

/** Engine folders under dist/ that the runner needs; cli/, electron/, renderer/ and bench/ are not shipped. */
const ENGINE_DIRS = ['core', 'workloads', 'profilers', 'store', 'service', 'remote']
const SKIP_FILE = /\.(d\.[cm]?ts|map|md|markdown|ts|tsbuildinfo|flow)$|^(\.|CHANGELOG|LICENSE\.md)/i
const SKIP_DIR = new Set(['test', 'tests', '__tests__', 'docs', 'doc', 'example', 'examples', '.github'])
const BUILTINS = new Set(builtinModules)
/** npm package names (a quoted word after "from" in a string literal is not an import). */
const NPM_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/
/** Packages a shipped file may name that the runner never loads (optional captures, the HTTP server). */
const OPTIONAL_PACKAGES = new Set(['0x', 'electron'])

/** The dist/ folder holding the compiled engine: this file's parent in dist, or ./dist under vitest. */
export function findDistRoot(): string {
  const here = fileURLToPath(import.meta.url)
  if (here.endsWith('.ts')) return path.resolve(path.dirname(here), '..', 'dist')
  return path.resolve(path.dirname(here), '..')
}

export class RunnerPackageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RunnerPackageError'
  }
}

async function sha256OfFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const data = await readFile(file)
  return { sha256: createHash('sha256').update(data).digest('hex'), bytes: data.byteLength }
}

async function walk(dir: string, skipDirs: boolean): Promise<string[]> {
  const out: string[] = []
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch {
    return out
  }
  for (const e of entries) {
    const abs = path.join(dir, e.name)
    if (e.isDirectory()) {
      if (skipDirs && SKIP_DIR.has(e.name)) continue
      if (e.name === 'node_modules') continue
      out.push(...(await walk(abs, skipDirs)))
    } else if (e.isFile() && !SKIP_FILE.test(e.name)) {
      out.push(abs)
    }
  }
  return out
}

/** This package's own name. */
const SELF_PACKAGE = 'hotpath'

/** Bare package names a JS file imports statically or with a literal dynamic import()/require(). */
export function importedPackages(source: string): string[] {
  const names = new Set<string>()
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"./][^'"]*)['"]/g
  for (const m of source.matchAll(re)) {
    const spec = m[1] ?? ''
    if (spec.startsWith('node:')) continue
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? '')
    // The engine never imports itself by name (only relative paths); `hotpath/workload` appears in its
    // comments and error messages, which this scan cannot tell from code.
    if (name === SELF_PACKAGE) continue
    if (!NPM_NAME.test(name) || BUILTINS.has(name) || OPTIONAL_PACKAGES.has(name)) continue
    names.add(name)
  }
  return [...names]
}

/** node_modules/<name> seen from `fromDir`, walking up like Node's resolver. */
function findPackageDir(name: string, fromDir: string): string | undefined {
  let dir = fromDir
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name)
    if (existsSync(path.join(candidate, 'package.json'))) return candidate
    const parent = path.dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

/**
 * Lists the runner's files. `shipNode` adds this process's Node binary as bin/node (the caller checks
 * that the target's OS and architecture match).
 */
export async function buildRunnerPackage(opts: { distRoot?: string; shipNode?: boolean } = {}): Promise<RunnerPackage> {
  const distRoot = opts.distRoot ?? findDistRoot()
  const entryAbs = path.join(distRoot, 'remote', 'runner-entry.js')
  if (!existsSync(entryAbs)) throw new RunnerPackageError(`the runner is not built (${entryAbs} is missing): run npm run build`)
  const files: RunnerFile[] = []
  const add = async (abs: string, rel: string, executable = false): Promise<void> => {
    const { sha256, bytes } = await sha256OfFile(abs)
    files.push({ rel: rel.split(path.sep).join('/'), sha256, bytes, executable, source: { file: abs } })
  }
  const wanted = new Set<string>()
  for (const dir of ENGINE_DIRS) {
    for (const abs of await walk(path.join(distRoot, dir), false)) {
      if (!/\.(js|cjs|mjs|json)$/.test(abs)) continue
      await add(abs, path.join('engine', path.relative(distRoot, abs)))
      if (/\.(js|cjs|mjs)$/.test(abs)) for (const p of importedPackages(await readFile(abs, 'utf8'))) wanted.add(p)
    }
  }
  const pkgJson = Buffer.from(JSON.stringify({ name: 'hotpath-runner', private: true, type: 'module' }) + '\n')
  files.push({ rel: 'engine/package.json', sha256: createHash('sha256').update(pkgJson).digest('hex'), bytes: pkgJson.byteLength, executable: false, source: { content: pkgJson } })

  // Each package is shipped flat under node_modules/ (the layout npm gives a deduplicated tree).
  const shipped = new Map<string, string>()
  const queue = [...wanted].map((name) => ({ name, from: distRoot }))
  while (queue.length > 0) {
    const { name, from } = queue.shift()!
    if (shipped.has(name)) continue
    const dir = findPackageDir(name, from)
    if (!dir) throw new RunnerPackageError(`the runner needs the npm package "${name}", which is not installed here: run npm ci`)
    shipped.set(name, dir)
    for (const abs of await walk(dir, true)) await add(abs, path.join('node_modules', name, path.relative(dir, abs)))
    const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
    for (const dep of Object.keys(pkg.dependencies ?? {})) queue.push({ name: dep, from: dir })
  }
  let node: string | undefined
  if (opts.shipNode) {
    node = 'bin/node'
    await add(process.execPath, node, true)
  }
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
  const manifest = files.map((f) => `${f.sha256} ${f.executable ? 'x' : '-'} ${f.rel}\n`).join('')
  return {
    id: createHash('sha256').update(manifest).digest('hex'),
    files,
    manifest,
    totalBytes: files.reduce((s, f) => s + f.bytes, 0),
    entry: 'engine/remote/runner-entry.js',
    ...(node ? { node } : {}),
  }
}

/** The bytes of one runner file. */
export async function readRunnerFile(file: RunnerFile): Promise<Buffer> {
  return 'content' in file.source ? file.source.content : readFile(file.source.file)
}
