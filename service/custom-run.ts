/**
 * Profiles an arbitrary command (`hotpath profile -- node app.js`) and records a run of kind "custom":
 * a preload injected through NODE_OPTIONS profiles every Node process the command starts and writes
 * CPU/allocation profiles and a heap snapshot at exit; the parent samples CPU and RSS.
 */
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdir, rename } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Artifact, type ProfileKind, type RunRecord, type TimelineSample, makeRunId } from '../core/model/run.js'
import { captureEnvironment } from '../profilers/environment.js'
import { writeFileAtomic } from '../store/atomic-write.js'
import { createRunPrivacy, saveRunningRecord } from './run-privacy.js'
import { clearResourceSampler, createResourceSampler } from '../profilers/resources.js'
import type { RunStore } from '../store/run-store.js'
import { RUN_FILES } from '../core/model/run-layout.js'
import { createRunRecord } from '../core/model/run-record.js'

export interface CustomRunOptions {
  command: string[]
  profile: ProfileKind[]
  samplingIntervalUs: number
  label?: string
  tags?: string[]
  timeoutMs: number
  cwd: string
  env: NodeJS.ProcessEnv
  signal?: AbortSignal
  onTimeline?(sample: TimelineSample): void
  /** Forward the command's stdout/stderr here as it runs (the CLI passes its own streams). */
  stdout?: NodeJS.WritableStream
  stderr?: NodeJS.WritableStream
  /** false keeps identifiers in the saved run (`--no-redact`); default true. */
  redact?: boolean
}

// scripts/copy-assets.mjs copies the preload next to the compiled code in dist/.
const preloadPath = fileURLToPath(new URL('../profilers/preload/profile-at-exit.cjs', import.meta.url))

/** Node and V8 versions of the command's program when it is a node binary; unknown otherwise. */
function probeNodeVersions(program: string): { node: string; v8: string } {
  if (!/(^|[\\/])node(\.exe)?$/.test(program)) return { node: 'unknown', v8: 'unknown' }
  try {
    const [node, v8] = JSON.parse(
      execFileSync(program, ['-p', 'JSON.stringify([process.versions.node, process.versions.v8])'], { encoding: 'utf8', timeout: 10_000 }),
    ) as [string, string]
    return { node, v8 }
  } catch {
    return { node: 'unknown', v8: 'unknown' }
  }
}

export async function runCustomCommand(store: RunStore, opts: CustomRunOptions): Promise<RunRecord> {
  const [program, ...args] = opts.command
  if (!program) throw new Error('no command to profile')
  const createdAt = new Date()
  const id = makeRunId(createdAt, `custom-${path.basename(program)}`, randomBytes(3).toString('hex'))
  const dir = await store.createRunDir(id)
  const wants = new Set(opts.profile)
  const childEnv: NodeJS.ProcessEnv = {
    ...opts.env,
    // The preload profiles every Node process the command starts (see profilers/preload/profile-at-exit.cjs).
    NODE_OPTIONS: [opts.env.NODE_OPTIONS ?? '', `--require=${preloadPath}`].join(' ').trim(),
    ...(wants.has('cpu')
      ? { HOTPATH_CPU_PROFILE_DIR: path.join(dir, '.cpu'), HOTPATH_CPU_PROFILE_INTERVAL_US: String(opts.samplingIntervalUs) }
      : {}),
    ...(wants.has('alloc') ? { HOTPATH_ALLOC_PROFILE_DIR: path.join(dir, '.alloc') } : {}),
    ...(wants.has('heap') ? { HOTPATH_HEAP_SNAPSHOT_DIR: path.join(dir, '.heap') } : {}),
  }
  for (const sub of ['.cpu', '.alloc', '.heap'])
    await import('node:fs/promises').then((fs) => fs.mkdir(path.join(dir, sub), { recursive: true }))
  const redact = opts.redact !== false
  const common = {
    id,
    kind: 'custom' as const,
    createdAt: createdAt.toISOString(),
    label: opts.label ?? opts.command.join(' ').slice(0, 200),
    tags: [...new Set(opts.tags ?? [])],
    notes: '',
    workload: { id: 'custom', variant: path.basename(program), params: {}, seed: 0 },
    command: opts.command,
    measure: { timeoutMs: opts.timeoutMs },
    capture: {
      profile: opts.profile,
      samplingIntervalUs: opts.samplingIntervalUs,
      heapSnapshots: opts.profile.includes('heap') ? (['end'] as ('start' | 'end')[]) : [],
      timingPass: false,
    },
  }
  // Written before the command starts, so a killed parent leaves a run that reads as `interrupted`.
  await saveRunningRecord(store, redact, { ...common, runtimePath: program })
  const envPromise = captureEnvironment()
  const started = performance.now()
  const timeline: TimelineSample[] = []
  let stderr = ''
  let timedOut = false
  let cancelled = false
  const exit = await new Promise<{ code: number | null; signal: string | null; error?: string }>((resolve) => {
    const child = spawn(program, args, { cwd: opts.cwd, env: childEnv, stdio: ['inherit', 'pipe', 'pipe'] })
    child.stdout.on('data', (c: Buffer) => opts.stdout?.write(c))
    child.stderr.on('data', (c: Buffer) => {
      opts.stderr?.write(c)
      stderr = (stderr + c.toString('utf8')).slice(-256 * 1024)
    })
    const sampler = child.pid !== undefined ? createResourceSampler(child.pid) : undefined
    const timer = setInterval(() => {
      void sampler?.().then((s) => {
        if (!s) return
        const sample = { tMs: performance.now() - started, ...s }
        timeline.push(sample)
        opts.onTimeline?.(sample)
      })
    }, 100)
    const stop = (): void => {
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 5000).unref()
    }
    const timeout = setTimeout(() => {
      timedOut = true
      stop()
    }, opts.timeoutMs)
    const onAbort = (): void => {
      cancelled = true
      stop()
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    child.on('error', (err) => resolve({ code: null, signal: null, error: err.message }))
    child.on('exit', (code, signal) => {
      clearInterval(timer)
      clearTimeout(timeout)
      clearResourceSampler()
      opts.signal?.removeEventListener('abort', onAbort)
      resolve({ code, signal })
    })
  })
  const wallMs = performance.now() - started

  const env = await envPromise
  const privacy = createRunPrivacy(redact, env)
  const artifacts: Artifact[] = []
  const adopt = async (sub: string, ext: string, base: string, kind: Artifact['kind'], label: string): Promise<void> => {
    const files = (await readdir(path.join(dir, sub)).catch(() => [] as string[])).filter((f) => f.endsWith(ext)).sort()
    for (const [i, f] of files.entries()) {
      const name = i === 0 ? `${base}${ext}` : `${base}-${i + 1}${ext}`
      await rename(path.join(dir, sub, f), path.join(dir, name))
      await privacy.profileFile(path.join(dir, name), kind)
      artifacts.push(await store.describeArtifact(id, kind, name, `${label} (${f})`))
    }
    await import('node:fs/promises').then((fs) => fs.rm(path.join(dir, sub), { recursive: true, force: true }))
  }
  await adopt('.cpu', '.cpuprofile', 'cpu', 'cpuprofile', 'CPU profile of the whole process')
  await adopt('.alloc', '.heapprofile', 'alloc', 'heapprofile', 'sampling heap profile of the whole process')
  await adopt('.heap', '.heapsnapshot', 'heap-end', 'heapsnapshot', 'heap snapshot at exit')
  if (stderr) {
    await writeFileAtomic(path.join(dir, RUN_FILES.stderr), privacy.text(stderr))
    artifacts.push(await store.describeArtifact(id, 'stderr', RUN_FILES.stderr, 'standard error of the command'))
  }
  const status: RunRecord['status'] = cancelled ? 'cancelled' : timedOut ? 'timeout' : exit.code === 0 ? 'ok' : 'failed'
  const record: RunRecord = createRunRecord({
    ...common,
    finishedAt: new Date().toISOString(),
    runtime: { path: program, ...probeNodeVersions(program) },
    status,
    exit: { code: exit.code, signal: exit.signal },
    ...(status !== 'ok'
      ? {
          error: exit.error
            ? `could not start ${program}: ${exit.error}`
            : cancelled
              ? 'cancelled by the user'
              : timedOut
                ? `timed out after ${Math.round(opts.timeoutMs / 1000)} s`
                : exit.signal
                  ? `killed by ${exit.signal}`
                  : `exited with code ${exit.code}`,
        }
      : {}),
    stderrTail: stderr.slice(-8192),
    wallMs,
    env,
    timeline,
    warnings: [
      {
        kind: 'custom-command',
        message: 'A custom command: profiles cover the whole process (start-up included); there are no per-operation metrics.',
      },
    ],
    artifacts,
  })
  const stored = privacy.record(record)
  await store.save(stored)
  return stored
}
