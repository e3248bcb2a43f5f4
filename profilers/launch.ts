/**
 * Launches one workload child (harness/child.ts) with the chosen Node runtime and collects what it
 * reports: progress, artifacts, warnings, the result, its exit, stderr tail and a 10 Hz resource timeline.
 * Timeouts and cancels send SIGTERM, wait a grace period for the child to flush, then SIGKILL.
 */
import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type HeapLimit, MAX_GC_MARKS, type TimelineGc, type TimelineSample } from '../core/model/run.js'
import { type ChildConfig, type ChildMessage, childMessageSchema } from '../workloads/harness/protocol.js'
import { clearResourceSampler, createResourceSampler } from './resources.js'

export type ResultMessage = Extract<ChildMessage, { type: 'result' }>
export type ArtifactMessage = Extract<ChildMessage, { type: 'artifact' }>

export interface LaunchOptions {
  /** Node binary for the child (default: this process's). */
  runtimePath: string
  /** Extra environment (ELECTRON_RUN_AS_NODE=1 when the runtime is Electron's own binary). */
  env?: NodeJS.ProcessEnv
  nodeFlags: string[]
  config: ChildConfig
  timeoutMs: number
  /** Time the child gets to flush after SIGTERM, before SIGKILL. */
  graceMs?: number
  signal?: AbortSignal
  onMessage?(message: ChildMessage): void
  onTimeline?(sample: TimelineSample): void
  /** Timeline rate, in Hz. */
  timelineHz?: number
}

export interface LaunchResult {
  exit: { code: number | null; signal: string | null }
  result?: ResultMessage
  error?: { message: string; stack?: string }
  artifacts: ArtifactMessage[]
  warnings: { kind: string; message: string }[]
  stderrTail: string
  stderrFull: string
  timedOut: boolean
  cancelled: boolean
  wallMs: number
  timeline: TimelineSample[]
  /** The child's GCs on the timeline's clock (bounded by MAX_GC_MARKS; the rest counted). */
  gc: TimelineGc
  runtime?: { node: string; v8: string }
  /** The child's V8 heap limit, as it reported it when ready. */
  heapLimit?: HeapLimit
  /** Set when the child could not be started at all. */
  spawnError?: string
}

const STDERR_TAIL_BYTES = 8 * 1024
const STDERR_KEEP_BYTES = 1024 * 1024

/** The child entry: compiled JS next to this file in dist/, or the TS source under vitest (via tsx). */
export function childEntry(): { file: string; execArgv: string[] } {
  const here = import.meta.url
  if (here.endsWith('.ts')) {
    // tsx resolved from Hotpath's own dependencies, so a child started in a user's project (cwd) still finds it.
    return { file: fileURLToPath(new URL('../workloads/harness/child.ts', here)), execArgv: ['--import', pathToFileURL(createRequire(here).resolve('tsx')).href] }
  }
  return { file: unpackedPath(fileURLToPath(new URL('../workloads/harness/child.js', here))), execArgv: [] }
}

/**
 * In a packaged Electron app the code sits inside app.asar, which only Electron's own Node can read; a
 * child started with a user-chosen Node needs the copy electron-builder unpacks (asarUnpack) beside it.
 */
export function unpackedPath(file: string): string {
  return file.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2')
}

export function launchWorkloadChild(opts: LaunchOptions): Promise<LaunchResult> {
  const entry = childEntry()
  const started = performance.now()
  const timeline: TimelineSample[] = []
  const artifacts: ArtifactMessage[] = []
  const warnings: { kind: string; message: string }[] = []
  let stderr = ''
  let result: ResultMessage | undefined
  let error: { message: string; stack?: string } | undefined
  let runtime: { node: string; v8: string } | undefined
  let heapLimit: HeapLimit | undefined
  const gc: TimelineGc = { marks: [], dropped: 0 }
  let timedOut = false
  let cancelled = false
  let lastProgress: Extract<ChildMessage, { type: 'progress' }> | undefined

  return new Promise((resolve) => {
    if (!existsSync(opts.runtimePath)) {
      resolve(emptyResult(`the runtime ${opts.runtimePath} does not exist`))
      return
    }
    let child: ReturnType<typeof fork>
    try {
      child = fork(entry.file, [], {
        execPath: opts.runtimePath,
        execArgv: childExecArgv(entry.execArgv, opts.nodeFlags),
        env: { ...process.env, ...opts.env },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        serialization: 'json',
      })
    } catch (err) {
      resolve(emptyResult((err as Error).message))
      return
    }

    child.stdout?.on('data', () => undefined)
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk
      if (stderr.length > STDERR_KEEP_BYTES * 2) stderr = stderr.slice(-STDERR_KEEP_BYTES)
    })

    let killTimer: NodeJS.Timeout | undefined
    const terminate = (): void => {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      killTimer ??= setTimeout(() => child.kill('SIGKILL'), opts.graceMs ?? 5000)
    }
    const timeoutTimer = setTimeout(() => {
      timedOut = true
      terminate()
    }, opts.timeoutMs)
    const onAbort = (): void => {
      cancelled = true
      terminate()
    }
    if (opts.signal?.aborted) onAbort()
    opts.signal?.addEventListener('abort', onAbort, { once: true })

    const sampler = child.pid !== undefined ? createResourceSampler(child.pid) : undefined
    const hz = opts.timelineHz ?? 10
    const timelineTimer = setInterval(() => {
      void sampler?.().then((s) => {
        if (!s) return
        const sample: TimelineSample = {
          tMs: performance.now() - started,
          cpuUserPct: s.cpuUserPct,
          cpuSystemPct: s.cpuSystemPct,
          rssBytes: s.rssBytes,
          ...(lastProgress
            ? {
                heapUsedBytes: lastProgress.heapUsedBytes,
                opsPerSec: lastProgress.opsPerSec,
                phase: lastProgress.phase,
                ...(lastProgress.eventLoopDelayMs !== undefined ? { eventLoopDelayMs: lastProgress.eventLoopDelayMs } : {}),
              }
            : {}),
        }
        timeline.push(sample)
        opts.onTimeline?.(sample)
      })
    }, 1000 / hz)

    child.on('message', (raw: unknown) => {
      const parsed = childMessageSchema.safeParse(raw)
      if (!parsed.success) {
        warnings.push({ kind: 'protocol', message: `ignored a malformed message from the child: ${parsed.error.issues[0]?.message}` })
        return
      }
      const message = parsed.data
      switch (message.type) {
        case 'ready':
          runtime = { node: message.node, v8: message.v8 }
          heapLimit = message.heapLimit
          child.send({ type: 'start', config: opts.config })
          if (cancelled) child.send({ type: 'stop' })
          break
        case 'progress':
          lastProgress = message
          break
        case 'gc': {
          // The child times GCs on the epoch clock; the timeline counts from `started` on this process's clock.
          const origin = performance.timeOrigin + started
          for (const m of message.marks) {
            if (gc.marks.length >= MAX_GC_MARKS) gc.dropped++
            else gc.marks.push({ tMs: Math.max(0, Math.round((m.atEpochMs - origin) * 100) / 100), durationMs: m.durationMs, kind: m.kind })
          }
          gc.dropped += message.dropped
          break
        }
        case 'artifact':
          artifacts.push(message)
          break
        case 'warning':
          warnings.push({ kind: message.kind, message: message.message })
          break
        case 'result':
          result = message
          break
        case 'error':
          error = { message: message.message, ...(message.stack ? { stack: message.stack } : {}) }
          break
      }
      opts.onMessage?.(message)
    })

    let spawnError: string | undefined
    let finished = false
    child.on('error', (err) => {
      spawnError = err.message
      // A child that never started (EACCES, ENOENT, ENOEXEC…) emits no 'exit': finish the run now, not never.
      if (child.pid === undefined) finish(null, null)
    })
    child.on('exit', (code, signal) => finish(code, signal))
    function finish(code: number | null, signal: NodeJS.Signals | null): void {
      if (finished) return
      finished = true
      clearTimeout(timeoutTimer)
      if (killTimer) clearTimeout(killTimer)
      clearInterval(timelineTimer)
      clearResourceSampler()
      opts.signal?.removeEventListener('abort', onAbort)
      // Let the last stderr chunks arrive before taking the tail.
      setImmediate(() => {
        resolve({
          exit: { code, signal },
          ...(result ? { result } : {}),
          ...(error ? { error } : {}),
          artifacts,
          warnings,
          stderrTail: tail(stderr, STDERR_TAIL_BYTES),
          stderrFull: stderr,
          timedOut,
          cancelled,
          wallMs: performance.now() - started,
          timeline,
          gc,
          ...(runtime ? { runtime } : {}),
          ...(heapLimit ? { heapLimit } : {}),
          ...(spawnError ? { spawnError } : {}),
        })
      })
    }
  })

  function emptyResult(spawnError: string): LaunchResult {
    return {
      exit: { code: null, signal: null },
      artifacts: [],
      warnings: [],
      stderrTail: '',
      stderrFull: '',
      timedOut: false,
      cancelled: false,
      wallMs: 0,
      timeline: [],
      gc: { marks: [], dropped: 0 },
      spawnError,
    }
  }
}

/** The child's Node flags: the entry's own, then the caller's, without registering the same --import loader twice. */
export function childExecArgv(entryArgv: readonly string[], nodeFlags: readonly string[]): string[] {
  const out = [...entryArgv]
  for (let i = 0; i < nodeFlags.length; i++) {
    const flag = nodeFlags[i] as string
    const next = nodeFlags[i + 1]
    if (flag === '--import' && next !== undefined) {
      if (!out.some((f, j) => f === '--import' && out[j + 1] === next)) out.push(flag, next)
      i++
    } else out.push(flag)
  }
  return out
}

function tail(text: string, bytes: number): string {
  if (text.length <= bytes) return text
  const cut = text.slice(-bytes)
  const nl = cut.indexOf('\n')
  return nl >= 0 && nl < 200 ? cut.slice(nl + 1) : cut
}
