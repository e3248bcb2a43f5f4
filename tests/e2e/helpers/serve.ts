/**
 * Starts the real `hotpath serve` (dist/cli/index.js) on a temp store as a child process, reads the
 * URL with its token from the output, and stops it again. Also makes temp stores and runs the CLI.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { cliEntry, repoRoot, runCliProcess } from '../../helpers/cli.js'

export { repoRoot }

export interface ServeHandle {
  /** The URL printed by serve, with its token: open this in the browser. */
  url: string
  origin: string
  store: string
  /** Everything serve wrote so far (stdout and stderr), for failure messages. */
  output(): string
  stop(): Promise<void>
}

const URL_PATTERN = /(http:\/\/(?:127\.0\.0\.1|localhost):\d+\/\S*token=[^\s'"]+)/

export function assertEngineBuilt(): void {
  if (!existsSync(cliEntry)) throw new Error(`${cliEntry} is missing: run \`npm run build:all\` first (scripts/e2e.mjs does not build)`)
  if (!existsSync(path.join(repoRoot, 'dist', 'renderer', 'index.html'))) {
    throw new Error('dist/renderer/index.html is missing: run `npm run build:all` (vite build) so `hotpath serve` has a UI to serve')
  }
}

export async function makeTempStore(prefix = 'hotpath-e2e-'): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** Starts serve on `store` (port 0: the OS picks one) and resolves once it has printed its URL. */
export async function startServe(store: string, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; args?: string[] } = {}): Promise<ServeHandle> {
  assertEngineBuilt()
  const child: ChildProcess = spawn(process.execPath, [cliEntry, 'serve', '--store', store, '--port', '0', '--no-open', ...(options.args ?? [])], {
    cwd: repoRoot,
    env: { ...process.env, HOTPATH_HOME: store, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`hotpath serve printed no URL within ${options.timeoutMs ?? 30_000} ms. Output:\n${output}`)),
      options.timeoutMs ?? 30_000,
    )
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const m = URL_PATTERN.exec(output)
      if (m?.[1]) {
        clearTimeout(timer)
        resolve(m[1])
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`hotpath serve exited with code ${code} before printing its URL. Output:\n${output}`))
    })
  })
  return {
    url,
    origin: new URL(url).origin,
    store,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(killer)
    },
  }
}

/**
 * Runs the CLI against a store and parses its --json output; throws with stderr on a non-zero exit.
 * Commands that touch no runs (`workloads`, `env`) take no --store: pass `{ storeFlag: false }`.
 */
export async function hotpathJson<T>(args: string[], store: string, options: { storeFlag?: boolean } = {}): Promise<T> {
  const result = await runCliProcess([...args, ...(options.storeFlag === false ? [] : ['--store', store]), '--json'], { store })
  if (result.code !== 0) throw new Error(`hotpath ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  return JSON.parse(result.stdout) as T
}

export async function hotpath(args: string[], store: string): Promise<string> {
  const result = await runCliProcess([...args, '--store', store], { store })
  if (result.code !== 0) throw new Error(`hotpath ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  return result.stdout
}
