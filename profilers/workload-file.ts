/**
 * Workload files on the parent side: the Node flags a child needs to load one (tsx's loader for TypeScript),
 * and reading a file's descriptor in a short-lived child (harness/describe-child.ts) with a timeout, so a
 * file that hangs, crashes or throws at import never runs inside the CLI, the server or Electron main.
 *
 * Why tsx and not Node's own type stripping: Node 20 (our floor) has none, and Node 22's
 * --experimental-strip-types rejects enums, parameter properties and `import './x.js'` that points at x.ts,
 * which ordinary TypeScript projects use; tsx (esbuild) compiles all of it, on every Node we support.
 */
import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { z } from 'zod'
import { type WorkloadDescriptor, workloadDescriptorSchema } from '../core/model/workload.js'
import { isTypeScriptFile } from '../workloads/harness/file-workload.js'
import { unpackedPath } from './launch.js'

const require = createRequire(import.meta.url)

/** The file: URL of tsx's ESM loader, resolved from Hotpath's own dependencies (not the user's cwd). */
export function tsxLoaderUrl(): string {
  return pathToFileURL(require.resolve('tsx')).href
}

/** Node flags a child needs before it can import `file`. */
export function loaderFlagsFor(file: string | undefined): string[] {
  return file && isTypeScriptFile(file) ? ['--import', tsxLoaderUrl()] : []
}

function describeEntry(): { file: string; execArgv: string[] } {
  const here = import.meta.url
  if (here.endsWith('.ts')) return { file: fileURLToPath(new URL('../workloads/harness/describe-child.ts', here)), execArgv: ['--import', tsxLoaderUrl()] }
  return { file: unpackedPath(fileURLToPath(new URL('../workloads/harness/describe-child.js', here))), execArgv: [] }
}

const describeMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('descriptor'), descriptor: workloadDescriptorSchema }),
  z.object({ type: z.literal('error'), message: z.string(), location: z.string().optional() }),
])

export type DescribeResult = { ok: true; descriptor: WorkloadDescriptor } | { ok: false; message: string; location?: string }

const cache = new Map<string, { mtimeMs: number; size: number; result: DescribeResult }>()

/** Reads the descriptor of a workload file (absolute path); cached by modification time and size. */
export async function describeWorkloadFile(file: string, opts: { runtimePath?: string; timeoutMs?: number } = {}): Promise<DescribeResult> {
  let info
  try {
    info = await stat(file)
  } catch {
    return { ok: false, message: `${file}: no such file` }
  }
  if (!info.isFile()) return { ok: false, message: `${file}: not a file` }
  const key = `${opts.runtimePath ?? ''}|${file}`
  const hit = cache.get(key)
  if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit.result
  const result = await describeInChild(file, opts.runtimePath ?? process.execPath, opts.timeoutMs ?? 30_000)
  cache.set(key, { mtimeMs: info.mtimeMs, size: info.size, result })
  return result
}

function describeInChild(file: string, runtimePath: string, timeoutMs: number): Promise<DescribeResult> {
  const entry = describeEntry()
  if (!existsSync(runtimePath)) return Promise.resolve({ ok: false, message: `the runtime ${runtimePath} does not exist` })
  return new Promise((resolve) => {
    let settled: DescribeResult | undefined
    let stderr = ''
    const child = fork(entry.file, [file], {
      execPath: runtimePath,
      execArgv: [...new Set([...entry.execArgv, ...loaderFlagsFor(file)])],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    })
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (c: string) => (stderr = (stderr + c).slice(-8192)))
    const timer = setTimeout(() => {
      settled ??= { ok: false, message: `${file}: loading the file took more than ${Math.round(timeoutMs / 1000)} s (does it start work at import?)` }
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('message', (raw: unknown) => {
      const parsed = describeMessageSchema.safeParse(raw)
      if (!parsed.success) settled ??= { ok: false, message: `${file}: the definition could not be read: ${parsed.error.issues[0]?.message ?? 'bad message'}` }
      else if (parsed.data.type === 'descriptor') settled ??= { ok: true, descriptor: parsed.data.descriptor }
      else settled ??= { ok: false, message: parsed.data.message, ...(parsed.data.location ? { location: parsed.data.location } : {}) }
    })
    child.on('error', (err) => {
      settled ??= { ok: false, message: `${file}: could not start the loader: ${err.message}` }
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      const lastLine = stderr.trim().split('\n').filter(Boolean).slice(-1)[0]
      resolve(settled ?? { ok: false, message: `${file}: the loader exited (${signal ?? `code ${code}`}) without a descriptor${lastLine ? `: ${lastLine}` : ''}` })
    })
  })
}
