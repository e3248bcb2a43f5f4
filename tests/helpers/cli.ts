/**
 * Runs the built `hotpath` CLI (dist/cli/index.js) as a real process against a temp store.
 * `npm test` builds before running vitest; a missing dist/ fails loudly here.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const cliEntry = path.join(repoRoot, 'dist', 'cli', 'index.js')

export function assertBuilt(): void {
  if (!existsSync(cliEntry)) throw new Error(`${cliEntry} is missing: run \`npm run build\` before the integration tests (npm test does)`)
}

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export function startCli(args: string[], opts: { store: string; env?: NodeJS.ProcessEnv; cwd?: string }): { child: ChildProcess; done: Promise<CliResult> } {
  assertBuilt()
  const child = spawn(process.execPath, [cliEntry, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, HOTPATH_HOME: opts.store, HOTPATH_SELFTEST: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()))
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })))
  return { child, done }
}

export function runCliProcess(args: string[], opts: { store: string; env?: NodeJS.ProcessEnv; cwd?: string }): Promise<CliResult> {
  return startCli(args, opts).done
}
