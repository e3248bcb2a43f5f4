/**
 * Executes one run request end to end: validates it against the workload descriptor, runs the
 * unprofiled timing pass and then (when profiles are asked for) the profiling pass in fresh child
 * processes, captures the environment, and saves a run record whatever happened (ok, failed, timeout,
 * cancelled) with its exit, stderr tail and the artifacts that were completed.
 */
import { randomBytes } from 'node:crypto'
import { writeFileAtomic } from '../store/atomic-write.js'
import path from 'node:path'
import { ApiValidationError, type WorkbenchEventName, type WorkbenchEvents } from '../core/api/contract.js'
import { type RunRequest, runRequestSchema } from '../core/api/schemas.js'
import type { EnvironmentSnapshot } from '../core/model/environment.js'
import {
  type Artifact,
  type CaptureOptions,
  type ProcessResult,
  type RunId,
  type RunRecord,
  type RunStatus,
  type TimelineGc,
  type TimelineSample,
  MAX_GC_MARKS,
  makeRunId,
  summarizeRun,
} from '../core/model/run.js'
import { describeParamRange, resolveParams } from '../core/model/workload.js'
import { type LaunchResult, launchWorkloadChild } from '../profilers/launch.js'
import { captureEnvironment } from '../profilers/environment.js'
import { createRunPrivacy, saveRunningRecord } from './run-privacy.js'
import { runZeroX } from '../profilers/zero-x.js'
import { cpuProfileFileName } from '../core/model/run-layout.js'
import { aggregateProcesses, profilerOverheadOf, samplesPerProcess } from './processes.js'
import { collectRunWarnings, toWarningRecord } from '../core/stats/warnings.js'
import type { RunStore } from '../store/run-store.js'
import { getWorkloadDescriptor, listWorkloadDescriptors } from '../workloads/registry.js'
import type { ChildMessage } from '../workloads/harness/protocol.js'
import { DEFAULT_SAMPLING_INTERVAL_US, DEFAULT_TIMEOUT_MS, RUN_FILES } from '../core/model/run-layout.js'
import { createRunRecord } from '../core/model/run-record.js'
import { describeHeapLimit } from '../core/model/heap-limit.js'
import type { WorkloadDescriptor } from '../core/model/workload.js'
import { loaderFlagsFor } from '../profilers/workload-file.js'
import { collectProvenance } from '../profilers/provenance.js'
import type { ResolvedWorkloadFile } from './workload-files.js'
import { type LoadPlan, completeLoadRecord, planLoad, withLoadPlan } from './load-plan.js'

export type EngineEventListener = <E extends WorkbenchEventName>(name: E, payload: WorkbenchEvents[E]) => void

export interface RunExecutorDeps {
  store: RunStore
  onEvent?: EngineEventListener
  /** The Node binary used when the request names none (Electron passes its own binary + ELECTRON_RUN_AS_NODE). */
  defaultRuntime?: { path: string; env?: NodeJS.ProcessEnv }
  /** Largest artifact a child may write, in bytes (default 2 GiB). */
  maxArtifactBytes?: number
  /** Grace period after SIGTERM before SIGKILL, in ms. */
  graceMs?: number
  /** Set when the request names a workload file: its resolved path and descriptor (or why it could not be read). */
  workloadFile?: ResolvedWorkloadFile
}

export interface RunExecution {
  runId: RunId
  done: Promise<RunRecord>
  cancel(): void
}

export { DEFAULT_TIMEOUT_MS }
const DEFAULT_MAX_ARTIFACT_BYTES = 2 * 1024 ** 3

/** Checks a request against the schema and the workload's descriptor; throws ApiValidationError listing every problem. */
export function validateRunRequest(
  input: unknown,
  file?: ResolvedWorkloadFile,
): { request: RunRequest; variant: string; params: Record<string, number | string | boolean>; load: LoadPlan } {
  const parsed = runRequestSchema.safeParse(input)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`)
    throw new ApiValidationError(`Invalid run request: ${issues.join('; ')}`, issues)
  }
  const request = parsed.data
  // A workload file that could not be loaded still gets a run record (status failed, the error with file and line).
  if (file && !file.descriptor) {
    const none: LoadPlan = { params: request.params ?? {}, assertions: [], budgetsNs: {}, needsCpuProfile: false, child: {}, warnings: [] }
    return { request: { ...request, workload: file.id }, variant: request.variant ?? 'default', params: request.params ?? {}, load: none }
  }
  const descriptor: WorkloadDescriptor | undefined = file?.descriptor ?? getWorkloadDescriptor(request.workload)
  if (file?.descriptor) request.workload = file.descriptor.id
  if (!descriptor) {
    const valid = listWorkloadDescriptors()
      .map((d) => d.id)
      .join(', ')
    throw new ApiValidationError(`Unknown workload "${request.workload}". Valid workloads: ${valid}`, [
      `workload: unknown (valid: ${valid})`,
    ])
  }
  const variant = request.variant ?? descriptor.defaultVariant
  const issues: string[] = []
  if (!descriptor.variants.some((v) => v.id === variant)) {
    issues.push(`variant: "${variant}" is not a variant of ${descriptor.id} (valid: ${descriptor.variants.map((v) => v.id).join(', ')})`)
  }
  const resolved = resolveParams(descriptor, request.params ?? {})
  if (!resolved.ok) for (const p of resolved.problems) issues.push(`params.${p.param}: ${p.message} (valid: ${p.valid})`)
  if (request.iterations !== undefined && request.durationMs !== undefined) issues.push('iterations and durationMs are exclusive: give one')
  if (request.warmupIterations !== undefined && request.warmupMs !== undefined)
    issues.push('warmupIterations and warmupMs are exclusive: give one')
  const load = planLoad(request, descriptor, resolved.ok ? resolved.params : {})
  issues.push(...load.issues)
  if (issues.length > 0) throw new ApiValidationError(`Invalid run request for ${descriptor.id}: ${issues.join('; ')}`, issues)
  return { request: withLoadPlan(request, load.plan), variant, params: load.plan.params, load: load.plan }
}

export function describeParams(workloadId: string): string {
  const d = getWorkloadDescriptor(workloadId)
  if (!d) return ''
  return Object.entries(d.params)
    .map(([k, s]) => `${k} (${describeParamRange(s)}, default ${String(s.default)})`)
    .join('; ')
}

export function startRunExecution(input: unknown, deps: RunExecutorDeps): RunExecution {
  const { request, variant, params, load } = validateRunRequest(input, deps.workloadFile)
  const createdAt = new Date()
  const runId = makeRunId(createdAt, `${request.workload}-${variant}`, randomBytes(3).toString('hex'))
  const abort = new AbortController()
  const emit: EngineEventListener = (name, payload) => deps.onEvent?.(name, payload)
  const done = execute(runId, createdAt, request, variant, params, deps, abort.signal, emit, load).catch(async (err: unknown) => {
    // A fault after the `running` record was written: finish it as `failed` so it does not read as live.
    await markFailed(deps.store, runId, err).catch(() => undefined)
    throw err
  })
  return { runId, done, cancel: () => abort.abort() }
}

async function execute(
  runId: RunId,
  createdAt: Date,
  request: RunRequest,
  variant: string,
  params: Record<string, number | string | boolean>,
  deps: RunExecutorDeps,
  signal: AbortSignal,
  emit: EngineEventListener,
  load: LoadPlan,
): Promise<RunRecord> {
  const { store } = deps
  const outDir = await store.createRunDir(runId)
  const seed = request.seed ?? 42
  const profile = [...new Set(request.profile ?? [])]
  const inChildProfiles = profile.filter((p) => p !== '0x')
  const timingPass = inChildProfiles.length === 0 || request.timingPass !== false
  const profilingPass = inChildProfiles.length > 0
  const heapSnapshots = profile.includes('heap')
    ? request.heapSnapshots?.length
      ? [...new Set(request.heapSnapshots)]
      : (['end'] as const)
    : []
  const capture: CaptureOptions = {
    profile,
    samplingIntervalUs: request.samplingIntervalUs ?? DEFAULT_SAMPLING_INTERVAL_US,
    heapSnapshots: [...heapSnapshots],
    timingPass,
  }
  const runtimePath = request.runtime ?? deps.defaultRuntime?.path ?? process.execPath
  const runtimeEnv = request.runtime ? {} : (deps.defaultRuntime?.env ?? {})
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const passes: ('timing' | 'profiling')[] = [
    ...(timingPass ? (['timing'] as const) : []),
    ...(profilingPass ? (['profiling'] as const) : []),
  ]
  const warnings: RunRecord['warnings'] = []

  // Every progress event says whose it is, so a window that opens mid-run shows the label and elapsed time.
  const label = request.label ?? `${request.workload} ${variant}`
  const about = { label, startedAt: createdAt.getTime() }
  const redact = request.redact !== false
  const measure: RunRecord['measure'] = {
    ...(request.warmupIterations !== undefined ? { warmupIterations: request.warmupIterations } : {}),
    ...(request.warmupMs !== undefined ? { warmupMs: request.warmupMs } : {}),
    ...(request.iterations !== undefined ? { iterations: request.iterations } : {}),
    ...(request.durationMs !== undefined ? { durationMs: request.durationMs } : {}),
    timeoutMs,
    ...(request.repeat !== undefined && request.repeat > 1 ? { repeat: request.repeat } : {}),
  }
  const common = {
    id: runId,
    kind: 'workload' as const,
    createdAt: createdAt.toISOString(),
    label,
    tags: [...new Set(request.tags ?? [])],
    notes: '',
    ...(request.group ? { group: request.group } : {}),
    workload: { id: request.workload, variant, params, seed, ...(deps.workloadFile ? { file: deps.workloadFile.display } : {}) },
    measure,
    capture,
  }
  // The record exists before the child does: a killed parent leaves a run that reads as `interrupted`.
  await saveRunningRecord(store, redact, { ...common, runtimePath })

  emit('runProgress', { runId, phase: 'spawning', fraction: 0, overall: 0, ...about })
  const envPromise: Promise<EnvironmentSnapshot> = captureEnvironment()
  const file = deps.workloadFile
  const nodeFlags = [...loaderFlagsFor(file?.path), ...(request.nodeFlags ?? [])]
  const provenancePromise = collectProvenance(file?.repoDir, request.meta ?? {}, nodeFlags)
  const timeline: TimelineSample[] = []
  // GCs of every child, on the run's timeline clock, bounded over the whole run.
  const timelineGc: TimelineGc = { marks: [], dropped: 0 }
  let timeOffsetMs = 0
  // `--repeat N`: N fresh child processes, each with its own warm-up and passes.
  const repeat = request.repeat ?? 1
  const perProcess: Partial<Record<'timing' | 'profiling', LaunchResult>>[] = []
  let stoppedBy: 'cancelled' | 'timeout' | undefined
  let failedProcess: number | undefined

  processes: for (let p = 1; p <= repeat; p++) {
    const results: Partial<Record<'timing' | 'profiling', LaunchResult>> = {}
    perProcess.push(results)
    // Heap snapshots and allocation profiles would share one file name: only the first process takes them.
    const profilesHere = p === 1 ? inChildProfiles : inChildProfiles.filter((k) => k === 'cpu')
    for (const [index, pass] of passes.entries()) {
      if (pass === 'profiling' && profilesHere.length === 0) continue
      if (signal.aborted || file?.error) break processes
      const base = ((p - 1) * passes.length + index) / (repeat * passes.length)
      const span = 1 / (repeat * passes.length)
      const result = await launchWorkloadChild({
        runtimePath,
        env: runtimeEnv,
        nodeFlags,
        timeoutMs,
        signal,
        ...(deps.graceMs !== undefined ? { graceMs: deps.graceMs } : {}),
        config: {
          workload: request.workload,
          ...(file ? { workloadFile: file.path } : {}),
          variant,
          params,
          seed,
          ...(request.warmupIterations !== undefined ? { warmupIterations: request.warmupIterations } : {}),
          ...(request.warmupMs !== undefined ? { warmupMs: request.warmupMs } : {}),
          ...(request.iterations !== undefined ? { iterations: request.iterations } : {}),
          ...(request.durationMs !== undefined ? { durationMs: request.durationMs } : {}),
          outDir,
          profile: pass === 'profiling' ? profilesHere : [],
          samplingIntervalUs: capture.samplingIntervalUs,
          heapSnapshots: pass === 'profiling' && p === 1 ? capture.heapSnapshots : [],
          computeChecksum: p === 1 && pass === passes[0],
          maxArtifactBytes: deps.maxArtifactBytes ?? DEFAULT_MAX_ARTIFACT_BYTES,
          ...(p === 1 && pass === passes[0] ? load.child : {}),
          ...(repeat > 1 ? { maxSamples: samplesPerProcess(repeat), cpuProfileFile: cpuProfileFileName(p, repeat) } : {}),
        },
        onTimeline: (sample) => {
          const shifted = { ...sample, tMs: sample.tMs + timeOffsetMs }
          timeline.push(shifted)
          emit('timelineSample', { runId, sample: shifted })
        },
        onMessage: (m: ChildMessage) => {
          if (m.type !== 'progress') return
          const phase =
            m.phase === 'warmup'
              ? 'warmup'
              : m.phase === 'snapshot'
                ? 'snapshot'
                : m.phase === 'profiling'
                  ? 'profiling'
                  : m.phase === 'timing'
                    ? 'timing'
                    : m.phase === 'checksum'
                      ? 'checksum'
                      : 'spawning'
          // Only measuring phases have a throughput; the others would show "0 ops/s" for seconds.
          const measuring = m.phase === 'warmup' || m.phase === 'timing' || m.phase === 'profiling'
          const within =
            m.phase === 'warmup'
              ? m.fraction * 0.15
              : m.phase === 'timing' || m.phase === 'profiling'
                ? 0.15 + m.fraction * 0.8
                : m.phase === 'checksum'
                  ? 0.97
                  : m.fraction * 0.05
          const overall = Math.min(1, base + span * within)
          const of = repeat > 1 ? `process ${p}/${repeat}` : ''
          emit('runProgress', {
            runId,
            phase,
            fraction: m.fraction,
            overall,
            ...(measuring ? { opsDone: m.opsDone, opsPerSec: m.opsPerSec } : {}),
            ...(measuring && m.p99Ns !== undefined ? { p99Ns: m.p99Ns } : {}),
            ...(m.message || of ? { message: [of, m.message].filter(Boolean).join(': ') } : {}),
            ...about,
            pass: { name: pass, index, count: passes.length },
          })
        },
      })
      results[pass] = result
      for (const m of result.gc.marks) {
        if (timelineGc.marks.length >= MAX_GC_MARKS) timelineGc.dropped++
        else timelineGc.marks.push({ ...m, tMs: Math.round((m.tMs + timeOffsetMs) * 100) / 100 })
      }
      timelineGc.dropped += result.gc.dropped
      timeOffsetMs += result.wallMs
      if (result.cancelled) stoppedBy = 'cancelled'
      else if (result.timedOut) stoppedBy = 'timeout'
      for (const w of result.warnings) warnings.push({ kind: w.kind, message: repeat > 1 ? `process ${p}: ${w.message}` : w.message })
      if (stoppedBy || !result.result) {
        // A process that fails fails the run, with its reason; the processes before it stay recorded.
        if (!stoppedBy) failedProcess = p
        break processes
      }
    }
  }

  // A cancelled or timed-out run keeps the phase it stopped in: no "saving 98%" over it.
  if (!stoppedBy) emit('runProgress', { runId, phase: 'saving', fraction: 0, overall: 0.98, ...about })
  const firstProcess = perProcess[0] ?? {}
  const lastProcess = perProcess[perProcess.length - 1] ?? {}
  const failing = failedProcess !== undefined ? perProcess[failedProcess - 1] : undefined
  const timing = firstProcess.timing
  const profiled = firstProcess.profiling
  const primary = timing ?? profiled
  const last = lastProcess.profiling ?? lastProcess.timing
  const failedPass = failing
    ? [failing.timing, failing.profiling].find((r) => r && !r.result)
    : [timing, profiled].find((r) => r && !r.result)
  const status: RunStatus = file?.error
    ? 'failed'
    : stoppedBy === 'cancelled'
      ? 'cancelled'
      : stoppedBy === 'timeout'
        ? 'timeout'
        : failedPass || !primary
          ? 'failed'
          : 'ok'
  const failure = file?.error ?? describeFailure(failedPass ?? last, status, timeoutMs)
  const rawError = failure && repeat > 1 && failedProcess !== undefined ? `process ${failedProcess} of ${repeat}: ${failure}` : failure
  // Errors of a workload file name it as the run records it (relative to its repository), not by its absolute path.
  const errorText = file && rawError ? rawError.split(file.path).join(file.display) : rawError

  const env = await envPromise
  const privacy = createRunPrivacy(redact, env)
  const artifacts: Artifact[] = []
  // The timing pass writes artifacts only for a failed leak check (leak-*.heapsnapshot); the profiling passes, the profiles.
  for (const a of [...(timing?.artifacts ?? []), ...perProcess.flatMap((r) => r.profiling?.artifacts ?? [])]) {
    try {
      await privacy.profileFile(store.artifactPath(runId, a.file), a.kind)
      artifacts.push(await store.describeArtifact(runId, a.kind, a.file, a.label))
    } catch (err) {
      warnings.push({ kind: 'artifact-missing', message: `${a.file} was reported but cannot be read: ${(err as Error).message}` })
    }
  }
  const stderrAll = perProcess
    .flatMap((r) => [r.timing?.stderrFull, r.profiling?.stderrFull])
    .filter(Boolean)
    .join('')
  if (stderrAll.length > 0) {
    await writeFileAtomic(path.join(outDir, RUN_FILES.stderr), privacy.text(stderrAll))
    artifacts.push(await store.describeArtifact(runId, 'stderr', RUN_FILES.stderr, 'standard error of the workload child'))
  }
  if (profile.includes('0x') && !stoppedBy && primary?.result) {
    emit('runProgress', { runId, phase: 'profiling', fraction: 0, overall: 0.9, message: 'recording with 0x' })
    const zx = await runZeroX({
      runtimePath,
      env: runtimeEnv,
      outDir,
      timeoutMs,
      signal,
      title: `${request.workload} ${variant}`,
      config: {
        workload: request.workload,
        ...(file ? { workloadFile: file.path } : {}),
        variant,
        params,
        seed,
        ...(request.warmupIterations !== undefined ? { warmupIterations: request.warmupIterations } : {}),
        ...(request.warmupMs !== undefined ? { warmupMs: request.warmupMs } : {}),
        ...(request.iterations !== undefined ? { iterations: request.iterations } : {}),
        ...(request.durationMs !== undefined ? { durationMs: request.durationMs } : {}),
        outDir,
        profile: [],
        samplingIntervalUs: capture.samplingIntervalUs,
        heapSnapshots: [],
        computeChecksum: false,
        maxArtifactBytes: deps.maxArtifactBytes ?? DEFAULT_MAX_ARTIFACT_BYTES,
      },
    })
    if (zx.ok) {
      for (const f of zx.files)
        artifacts.push(await store.describeArtifact(runId, '0x', f, f.endsWith('.html') ? '0x flamegraph (open in a browser)' : '0x data'))
    } else {
      warnings.push({
        kind: 'capture-failed',
        message: `${zx.error}${zx.stderrTail ? `: ${zx.stderrTail.trim().split('\n').slice(-3).join(' / ')}` : ''}`,
      })
    }
  }

  const ranOn = (profiled ?? primary)?.runtime?.node
  if (profile.includes('heap') && ranOn && Number(ranOn.split('.')[0]) < 22) {
    warnings.push({
      kind: 'slow-heap-snapshots',
      message: `Heap snapshots on Node ${ranOn} are much slower than on Node 22+ (tens of seconds for a 15 MB heap); run with --runtime pointing at a Node 22 binary for faster snapshots.`,
    })
  }
  const timingMetrics = timing?.result?.metrics
  const profiledMetrics = profiled?.result?.metrics
  // Every process that finished, in order; a repeated run's metrics are their aggregate.
  const processResults: ProcessResult[] = []
  perProcess.forEach((r, i) => {
    const main = r.timing ?? r.profiling
    if (!main?.result) return
    const prof = r.timing && r.profiling?.result ? r.profiling.result.metrics : undefined
    const cpuFile = r.profiling?.artifacts.find((a) => a.kind === 'cpuprofile')?.file
    processResults.push({
      index: i + 1,
      metrics: main.result.metrics,
      histogram: main.result.histogram,
      samplesNs: main.result.samplesNs,
      wallMs: (r.timing?.wallMs ?? 0) + (r.profiling?.wallMs ?? 0),
      ...(cpuFile && artifacts.some((a) => a.file === cpuFile) ? { cpuProfile: cpuFile } : {}),
      ...(prof ? { profiled: { opsPerSec: prof.opsPerSec, operations: prof.operations } } : {}),
    })
  })
  const repeated = repeat > 1 && processResults.length > 0
  const runtimeFacts = primary?.runtime ?? { node: process.versions.node, v8: process.versions.v8 }
  const record: RunRecord = createRunRecord({
    // The fields the `running` record already had (id, label, workload, measure, capture…), then the outcome.
    ...common,
    finishedAt: new Date().toISOString(),
    provenance: await provenancePromise,
    runtime: { path: runtimePath, node: runtimeFacts.node, v8: runtimeFacts.v8 },
    status,
    exit: (failedPass ?? last)?.exit ?? { code: null, signal: null },
    ...(errorText ? { error: errorText } : {}),
    stderrTail: (failedPass ?? last)?.stderrTail ?? '',
    wallMs: perProcess.reduce((sum, r) => sum + (r.timing?.wallMs ?? 0) + (r.profiling?.wallMs ?? 0), 0),
    ...(primary?.result?.checksum ? { checksum: primary.result.checksum } : {}),
    env: { ...env, runtime: { ...env.runtime, node: runtimeFacts.node, v8: runtimeFacts.v8, execPath: runtimePath } },
    ...(repeated
      ? aggregateProcesses(processResults)
      : primary?.result
        ? { metrics: primary.result.metrics, histogram: primary.result.histogram, samplesNs: primary.result.samplesNs }
        : {}),
    timeline,
    ...(timelineGc.marks.length > 0 || timelineGc.dropped > 0 ? { timelineGc } : {}),
    ...((failedPass ?? primary)?.heapLimit ? { heapLimit: (failedPass ?? primary)?.heapLimit } : {}),
    ...(repeated && profilerOverheadOf(processResults)
      ? { profilerOverhead: profilerOverheadOf(processResults) }
      : timingMetrics && profiledMetrics && timingMetrics.opsPerSec > 0
        ? {
            profilerOverhead: {
              timingOpsPerSec: timingMetrics.opsPerSec,
              profiledOpsPerSec: profiledMetrics.opsPerSec,
              overheadPct: (1 - profiledMetrics.opsPerSec / timingMetrics.opsPerSec) * 100,
              profiledOperations: profiledMetrics.operations,
            },
          }
        : {}),
    warnings,
    artifacts,
    ...(repeated ? { processes: processResults } : {}),
  })
  const descriptor = getWorkloadDescriptor(request.workload)
  if (descriptor && status === 'ok') await completeLoadRecord(record, primary?.result, load, descriptor, outDir)
  // Statistical warnings (few samples, variance, outliers, load, battery, profiler overhead) as data.
  // "recorded" warnings are the ones already in record.warnings, seen again: storing them would double them.
  for (const w of collectRunWarnings(record)) if (w.kind !== 'run-not-ok' && w.kind !== 'recorded') record.warnings.push(toWarningRecord(w))
  const stored = privacy.record(record)
  await store.save(stored)
  emit('runProgress', { runId, phase: 'done', fraction: 1, overall: 1 })
  emit('runFinished', { runId, status, summary: summarizeRun(stored) })
  return stored
}

async function markFailed(store: RunStore, runId: RunId, err: unknown): Promise<void> {
  if (!(await store.has(runId))) return
  const run = await store.get(runId)
  if (run.status !== 'running') return
  const { owner: _owner, ...rest } = run
  await store.save({
    ...rest,
    status: 'failed',
    finishedAt: new Date().toISOString(),
    error: `Hotpath failed while recording the run: ${(err as Error).message}`,
  })
}

function describeFailure(result: LaunchResult | undefined, status: RunStatus, timeoutMs: number): string | undefined {
  if (!result) return status === 'ok' ? undefined : 'the run did not start'
  if (status === 'ok') return undefined
  if (status === 'cancelled') return 'cancelled by the user'
  if (status === 'timeout') return `timed out after ${Math.round(timeoutMs / 1000)} s`
  if (result.spawnError) return `could not start the workload: ${result.spawnError}`
  if (result.error) return result.error.message
  // V8 aborts (SIGABRT) when the heap is exhausted: say what happened, not just the signal.
  if (/heap out of memory|Allocation failed/i.test(result.stderrTail)) {
    const limit = result.heapLimit ? ` at its heap limit of ${describeHeapLimit(result.heapLimit)}` : ''
    return `the workload ran out of memory${limit} (${result.exit.signal ? `signal ${result.exit.signal}` : `exit code ${result.exit.code}`}); raise --max-old-space-size or lower the parameters`
  }
  if (result.exit.signal) return `the workload was killed by ${result.exit.signal}`
  if (result.exit.code !== 0) return `the workload exited with code ${result.exit.code}`
  return 'the workload exited without reporting a result'
}
