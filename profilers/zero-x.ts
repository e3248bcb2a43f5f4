/**
 * The 0x capture: runs the workload child under 0x (V8's --prof ticks rendered as 0x's flamegraph)
 * in a host process of its own, with the same config as the other passes. Its output folder `0x/`
 * (flamegraph.html, ticks.json, meta.json) is kept with the run.
 */
import { spawn } from 'node:child_process'
import { readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ChildConfig } from '../workloads/harness/protocol.js'
import { childEntry } from './launch.js'

export interface ZeroXResult {
  ok: boolean
  /** Files written under the run folder, relative to it (e.g. "0x/flamegraph.html"). */
  files: string[]
  error?: string
  stderrTail: string
}

function hostEntry(): { file: string; execArgv: string[] } {
  const here = import.meta.url
  if (here.endsWith('.ts')) return { file: fileURLToPath(new URL('./zero-x-host.ts', here)), execArgv: ['--import', 'tsx'] }
  return { file: fileURLToPath(new URL('./zero-x-host.js', here)), execArgv: [] }
}

export async function runZeroX(opts: { runtimePath: string; env?: NodeJS.ProcessEnv; config: ChildConfig; outDir: string; timeoutMs: number; signal?: AbortSignal; title: string }): Promise<ZeroXResult> {
  const entry = childEntry()
  if (entry.execArgv.length > 0) {
    return { ok: false, files: [], error: '0x needs the compiled workload child (run `npm run build`)', stderrTail: '' }
  }
  const host = hostEntry()
  const outputDir = path.join(opts.outDir, '0x')
  await rm(outputDir, { recursive: true, force: true })
  const job = { childEntry: entry.file, runtimePath: opts.runtimePath, workingDir: opts.outDir, outputDir, title: opts.title }
  let stderr = ''
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [...host.execArgv, host.file, JSON.stringify(job)], {
      cwd: opts.outDir,
      env: { ...process.env, ...opts.env, HOTPATH_CHILD_CONFIG: JSON.stringify(opts.config) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout.resume()
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-16_384)))
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs)
    const onAbort = (): void => {
      child.kill('SIGKILL')
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    child.on('close', (c) => {
      clearTimeout(timer)
      opts.signal?.removeEventListener('abort', onAbort)
      resolve(c)
    })
  })
  // 0x leaves the isolate log beside its output when it fails; keep the run folder tidy.
  for (const f of await readdir(opts.outDir).catch(() => [] as string[])) if (/-v8\.log$/.test(f)) await rm(path.join(opts.outDir, f), { force: true })
  // Keep what a reader needs (the page, the ticks and 0x's meta); drop the multi-MB V8 logs it parsed.
  const KEEP = /^(flamegraph\.html|ticks\.json|meta\.json)$/
  for (const f of await readdir(outputDir).catch(() => [] as string[])) if (!KEEP.test(f)) await rm(path.join(outputDir, f), { recursive: true, force: true })
  const files = await readdir(outputDir).catch(() => [] as string[])
  const html = files.find((f) => f.endsWith('.html'))
  if (code !== 0 || !html || !(await stat(path.join(outputDir, html)).catch(() => undefined))) {
    return { ok: false, files: [], error: `0x did not produce a flamegraph (exit ${code})`, stderrTail: stderr }
  }
  return { ok: true, files: files.sort().map((f) => `0x/${f}`), stderrTail: stderr }
}
