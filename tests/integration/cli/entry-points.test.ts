/**
 * The ways people start `hotpath`, each through the symlinks npm makes: node_modules/.bin/hotpath (npx,
 * npm exec, package scripts) and <prefix>/bin/hotpath of a global install of the packed tarball. Before
 * bin/hotpath.js called main() itself, the CLI guessed from process.argv[1] whether it was the program,
 * and through node_modules/.bin it printed nothing and exited 0.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, repoRoot } from '../../helpers/cli.js'

const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version

interface Result {
  code: number
  stdout: string
  stderr: string
}

function run(file: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<Result> {
  return new Promise((resolve) => {
    // HOTPATH_HOME points into the temp folder so nothing touches a real store.
    const env = { ...process.env, HOTPATH_HOME: path.join(cwd, '.store'), npm_config_update_notifier: 'false' }
    execFile(file, args, { cwd, env, timeout: timeoutMs, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

let dir: string
beforeAll(async () => {
  assertBuilt()
  dir = await mkdtemp(path.join(tmpdir(), 'hotpath-entry-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

/** A project folder laid out as `npm install hotpath` leaves it: node_modules/hotpath and the .bin symlink. */
function projectLinkingTo(packageDir: string, name: string): string {
  const project = path.join(dir, name)
  mkdirSync(path.join(project, 'node_modules', '.bin'), { recursive: true })
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true }))
  symlinkSync(packageDir, path.join(project, 'node_modules', 'hotpath'))
  symlinkSync(path.join('..', 'hotpath', 'bin', 'hotpath.js'), path.join(project, 'node_modules', '.bin', 'hotpath'))
  return project
}

describe('node_modules/.bin/hotpath (a symlink to bin/hotpath.js)', () => {
  it('runs the CLI: --version, and a command with output', async () => {
    const project = projectLinkingTo(repoRoot, 'linked')
    const bin = path.join(project, 'node_modules', '.bin', 'hotpath')
    const v = await run(bin, ['--version'], project)
    expect(v, v.stderr).toMatchObject({ code: 0, stdout: `${version}\n` })
    const list = await run(bin, ['list'], project)
    expect(list.code, list.stderr).toBe(0)
    expect(list.stdout).toMatch(/^No runs in /)
    const bad = await run(bin, ['list', '--limit', 'x'], project)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^hotpath list: --limit "x"/)
  })
})

describe('the packed tarball, installed globally into a temp prefix', () => {
  it('runs as <prefix>/bin/hotpath, and through npm exec and npx in a project that has it', async () => {
    const pack = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--silent'], repoRoot)
    expect(pack.code, pack.stderr).toBe(0)
    const tarball = path.join(dir, pack.stdout.trim().split('\n').pop() as string)
    const prefix = path.join(dir, 'global')
    // The dependencies come from the npm cache when they are there (npm ci filled it), else the registry.
    const install = await run(
      'npm',
      ['install', '--global', '--prefix', prefix, tarball, '--omit=optional', '--prefer-offline', '--no-audit', '--no-fund', '--silent'],
      dir,
      280_000,
    )
    expect(install.code, install.stderr).toBe(0)
    const global = await run(path.join(prefix, 'bin', 'hotpath'), ['--version'], dir)
    expect(global, global.stderr).toMatchObject({ code: 0, stdout: `${version}\n` })

    const project = projectLinkingTo(path.join(prefix, 'lib', 'node_modules', 'hotpath'), 'consumer')
    const exec = await run('npm', ['exec', '--offline', '--', 'hotpath', '--version'], project)
    expect(exec, exec.stderr).toMatchObject({ code: 0, stdout: `${version}\n` })
    const npx = await run('npx', ['--offline', 'hotpath', 'workloads'], project)
    expect(npx.code, npx.stderr).toBe(0)
    expect(npx.stdout).toMatch(/^orderbook — /)
  }, 300_000)
})
