/**
 * `hotpath ab`: sides A and B of one workload measured in alternation, saved as two runs and their
 * comparison (with the gate when asked).
 *
 * - Paired mode (default where both sides share a runtime): every round is one fresh child process that
 *   loads both sides and alternates their iterations (workloads/harness/paired.ts). The per-process
 *   statistic is the paired log-ratio; the interval comes from its spread between processes.
 * - ABBA mode (different runtimes, or asked for): every round is one A and one B process, in the order
 *   AB, BA, AB, … so slow drift of the machine hits both sides alike; rounds pair the processes.
 */
import { randomBytes } from 'node:crypto'
import { ApiValidationError } from '../core/api/contract.js'
import { type AbRequest, abRequestSchema, type RunRequest } from '../core/api/schemas.js'
import type { GateResult } from '../core/compare/comparison.js'
import { isMetricName, METRIC_NAMES, type MetricName } from '../core/compare/metrics.js'
import type { ReportInput } from '../core/export/index.js'
import type { EnvironmentSnapshot } from '../core/model/environment.js'
import { DEFAULT_SAMPLING_INTERVAL_US } from '../core/model/run-layout.js'
import { createRunRecord } from '../core/model/run-record.js'
import { type AbInfo, makeRunId, type ProcessResult, type Provenance, type RunId, type RunRecord, type RunStatus } from '../core/model/run.js'
import { collectRunWarnings, toWarningRecord } from '../core/stats/warnings.js'
import { captureEnvironment } from '../profilers/environment.js'
import { type LaunchResult, launchWorkloadChild } from '../profilers/launch.js'
import type { RunStore } from '../store/run-store.js'
import type { ChildConfig } from '../workloads/harness/protocol.js'
import { collectProvenance } from '../profilers/provenance.js'
import { loaderFlagsFor } from '../profilers/workload-file.js'
import { getWorkloadDescriptor } from '../workloads/registry.js'
import { ComparisonInputError, prepareComparison } from './comparison.js'
import { aggregateProcesses, samplesPerProcess } from './processes.js'
import { DEFAULT_TIMEOUT_MS, validateRunRequest } from './run-executor.js'
import { looksLikeWorkloadFile, type ResolvedWorkloadFile, resolveWorkloadFile, type WorkloadFilePolicy } from './workload-files.js'

export type AbMode = 'paired' | 'abba'

/**
 * Defaults chosen so a comparison fits the issue's budgets (30 s paired, 60 s ABBA) on a loaded 2-core machine.
 * ABBA's evidence is the spread between processes, which a longer window does not shrink (JIT decisions,
 * memory layout and the machine's load differ per process, not per second), so it runs more, shorter
 * processes: 22 rounds of 0.5 s (44 processes, about 50 s here) where 10 rounds of 1 s gave intervals of
 * ±3–8% and caught a planted 10% slowdown behind a 5% gate in only 3 of 10 trials.
 */
export const AB_DEFAULTS = {
  pairedRounds: 10,
  abbaRounds: 22,
  durationMs: 1000,
  warmupMs: 300,
  abbaDurationMs: 500,
  abbaWarmupMs: 200,
} as const

export interface AbProgress {
  round: number
  rounds: number
  mode: AbMode
  /** Which side is running (ABBA), or 'AB' for a paired process. */
  side: 'A' | 'B' | 'AB'
  /** 0..1 over the whole session. */
  overall: number
}

export interface AbOptions {
  onProgress?: (p: AbProgress) => void
  signal?: AbortSignal
  /** The Node binary when the request names none (Electron's own, with ELECTRON_RUN_AS_NODE). */
  defaultRuntime?: { path: string; env?: NodeJS.ProcessEnv }
  /** Where workload files may come from (`hotpath ab ./bench/x.bench.ts`); without it only built-ins run. */
  workloadFiles?: WorkloadFilePolicy
}

export interface AbResult {
  mode: AbMode
  /** Why this mode was used, in words. */
  modeReason: string
  status: RunStatus
  error?: string
  runs: [RunRecord, RunRecord]
  /** The comparison of B (candidate) against A (baseline); absent when a process failed. */
  report?: ReportInput
  gate?: GateResult
}

/** Side → the answer's checksum from its first process. */
const checksums = new WeakMap<Side, string | undefined>()

interface Side {
  label: 'A' | 'B'
  request: RunRequest
  variant: string
  params: Record<string, number | string | boolean>
  runtimePath: string
  runtimeEnv: NodeJS.ProcessEnv
  runId: RunId
  outDir: string
  processes: ProcessResult[]
  launches: LaunchResult[]
}

/** Validates an ab request: the schema, both sides against the workload, and the mode against the runtimes. */
export function validateAbRequest(
  input: unknown,
  file?: ResolvedWorkloadFile,
): {
  request: AbRequest
  mode: AbMode
  modeReason: string
  a: ReturnType<typeof validateRunRequest>
  b: ReturnType<typeof validateRunRequest>
} {
  const parsed = abRequestSchema.safeParse(input)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`)
    throw new ApiValidationError(`Invalid ab request: ${issues.join('; ')}`, issues)
  }
  const request = parsed.data
  if (file && !file.descriptor) {
    throw new ApiValidationError(`Workload file ${file.display} could not be loaded: ${file.error ?? 'no definition'}`, [
      `workload: ${file.error ?? 'not loadable'}`,
    ])
  }
  if (request.metric !== undefined && !isMetricName(request.metric)) {
    throw new ApiValidationError(`Unknown metric "${request.metric}"; use one of ${METRIC_NAMES.join(', ')}.`, [`metric: unknown`])
  }
  const common = {
    workload: request.workload,
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.iterations !== undefined ? { iterations: request.iterations } : {}),
    ...(request.durationMs !== undefined ? { durationMs: request.durationMs } : {}),
    ...(request.warmupIterations !== undefined ? { warmupIterations: request.warmupIterations } : {}),
    ...(request.warmupMs !== undefined ? { warmupMs: request.warmupMs } : {}),
    ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
  }
  const a = validateRunRequest({
    ...common,
    ...(request.variantA ? { variant: request.variantA } : {}),
    params: request.params ?? {},
    ...(request.runtime ? { runtime: request.runtime } : {}),
  }, file)
  const runtimeB = request.runtimeB ?? request.runtime
  const b = validateRunRequest({
    ...common,
    variant: request.variantB ?? a.variant,
    params: { ...(request.params ?? {}), ...(request.paramsB ?? {}) },
    ...(runtimeB ? { runtime: runtimeB } : {}),
  }, file)
  // A workload file's runs carry the id its definition gives, as `hotpath run` records them.
  request.workload = a.request.workload
  const sameRuntime = (request.runtimeB ?? request.runtime) === request.runtime
  if (request.mode === 'paired' && !sameRuntime) {
    throw new ApiValidationError(
      'Paired mode runs both sides in one process, so both need the same runtime; drop --runtime-b or use --mode abba.',
      ['mode: paired needs one runtime'],
    )
  }
  const mode: AbMode = request.mode === 'abba' || !sameRuntime ? 'abba' : 'paired'
  const modeReason =
    mode === 'paired'
      ? 'paired: both sides share a runtime, so each process runs both and alternates their iterations'
      : request.mode === 'abba'
        ? 'ABBA: process-level interleaving, as asked'
        : 'ABBA: the sides use different runtimes, so each process runs one side, in ABBA order'
  return { request, mode, modeReason, a, b }
}

/** Runs an A/B session, saves both runs and compares them. A failed process fails both runs with its reason. */
export async function runAb(store: RunStore, input: unknown, options: AbOptions = {}): Promise<AbResult> {
  const file = await resolveAbWorkloadFile(input, options.workloadFiles)
  const { request, mode, modeReason, a: va, b: vb } = validateAbRequest(input, file)
  const nodeFlags = loaderFlagsFor(file?.path)
  const provenancePromise = collectProvenance(file?.repoDir, {}, nodeFlags)
  const rounds = request.rounds ?? (mode === 'paired' ? AB_DEFAULTS.pairedRounds : AB_DEFAULTS.abbaRounds)
  const createdAt = new Date()
  const session = randomBytes(4).toString('hex')
  const timed =
    request.iterations === undefined && request.durationMs === undefined
      ? { durationMs: mode === 'paired' ? AB_DEFAULTS.durationMs : AB_DEFAULTS.abbaDurationMs }
      : {}
  const warm =
    request.warmupIterations === undefined && request.warmupMs === undefined
      ? { warmupMs: mode === 'paired' ? AB_DEFAULTS.warmupMs : AB_DEFAULTS.abbaWarmupMs }
      : {}
  const defaultRuntime = options.defaultRuntime
  const makeSide = async (label: 'A' | 'B', v: ReturnType<typeof validateRunRequest>): Promise<Side> => {
    const runId = makeRunId(createdAt, `${request.workload}-${v.variant}-${label.toLowerCase()}`, randomBytes(3).toString('hex'))
    return {
      label,
      request: { ...v.request, ...timed, ...warm },
      variant: v.variant,
      params: v.params,
      runtimePath: v.request.runtime ?? defaultRuntime?.path ?? process.execPath,
      runtimeEnv: v.request.runtime ? {} : (defaultRuntime?.env ?? {}),
      runId,
      outDir: await store.createRunDir(runId),
      processes: [],
      launches: [],
    }
  }
  const A = await makeSide('A', va)
  const B = await makeSide('B', vb)
  const envPromise: Promise<EnvironmentSnapshot> = captureEnvironment()
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const seed = request.seed ?? 42
  const maxSamples = samplesPerProcess(rounds)

  const configOf = (side: Side, round: number, pair?: Side): ChildConfig => ({
    workload: request.workload,
    ...(file ? { workloadFile: file.path } : {}),
    variant: side.variant,
    params: side.params,
    seed,
    ...(side.request.warmupIterations !== undefined ? { warmupIterations: side.request.warmupIterations } : {}),
    ...(side.request.warmupMs !== undefined ? { warmupMs: side.request.warmupMs } : {}),
    ...(side.request.iterations !== undefined ? { iterations: side.request.iterations } : {}),
    ...(side.request.durationMs !== undefined ? { durationMs: side.request.durationMs } : {}),
    outDir: side.outDir,
    profile: [],
    samplingIntervalUs: DEFAULT_SAMPLING_INTERVAL_US,
    heapSnapshots: [],
    computeChecksum: round === 1,
    maxArtifactBytes: 64 * 1024 ** 2,
    maxSamples,
    // Creation order alternates by round (see the protocol's createFirst).
    ...(pair
      ? { pair: { variant: pair.variant, params: pair.params, createFirst: round % 2 === 1 ? ('A' as const) : ('B' as const) } }
      : {}),
  })

  let failure: { side: Side; round: number; result: LaunchResult } | undefined
  const launch = async (side: Side, round: number, pair?: Side): Promise<LaunchResult> => {
    const result = await launchWorkloadChild({
      runtimePath: side.runtimePath,
      env: side.runtimeEnv,
      nodeFlags,
      timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      config: configOf(side, round, pair),
    })
    side.launches.push(result)
    if (pair) pair.launches.push(result)
    return result
  }
  const steps = mode === 'paired' ? rounds : rounds * 2
  let step = 0
  const progress = (round: number, side: AbProgress['side']): void =>
    options.onProgress?.({ round, rounds, mode, side, overall: step / steps })

  for (let round = 1; round <= rounds && !failure && !options.signal?.aborted; round++) {
    if (mode === 'paired') {
      progress(round, 'AB')
      const r = await launch(A, round, B)
      step++
      const res = r.result
      if (!res || !res.paired) {
        failure = { side: A, round, result: r }
        break
      }
      A.processes.push({
        index: round,
        metrics: res.metrics,
        histogram: res.histogram,
        samplesNs: res.samplesNs,
        wallMs: r.wallMs,
        pairedLogRatio: res.paired.pairedLogRatio,
      })
      B.processes.push({
        index: round,
        metrics: res.paired.metrics,
        histogram: res.paired.histogram,
        samplesNs: res.paired.samplesNs,
        wallMs: r.wallMs,
        pairedLogRatio: res.paired.pairedLogRatio,
      })
      if (round === 1) {
        checksums.set(A, res.checksum)
        checksums.set(B, res.paired.checksum)
      }
    } else {
      // ABBA: rounds alternate AB, BA, AB, … so each side runs first in half of them.
      const order = round % 2 === 1 ? [A, B] : [B, A]
      for (const side of order) {
        progress(round, side.label)
        const r = await launch(side, round)
        step++
        if (!r.result) {
          failure = { side, round, result: r }
          break
        }
        if (round === 1) checksums.set(side, r.result.checksum)
        side.processes.push({
          index: round,
          metrics: r.result.metrics,
          histogram: r.result.histogram,
          samplesNs: r.result.samplesNs,
          wallMs: r.wallMs,
        })
      }
    }
  }
  options.onProgress?.({ round: rounds, rounds, mode, side: 'AB', overall: 1 })

  const cancelled = options.signal?.aborted === true
  const timedOut = failure?.result.timedOut === true
  const status: RunStatus = cancelled ? 'cancelled' : timedOut ? 'timeout' : failure ? 'failed' : 'ok'
  const error =
    status === 'ok'
      ? undefined
      : cancelled
        ? 'cancelled by the user'
        : `round ${failure!.round} (side ${mode === 'paired' ? 'A+B' : failure!.side.label}) failed: ${describeLaunchFailure(failure!.result, timeoutMs)}`
  const env = await envPromise
  const provenance = await provenancePromise
  const records = [A, B].map((side) => {
    const partner = side === A ? B : A
    const ab: AbInfo = { session, side: side.label, partner: partner.runId, mode }
    return buildRecord(side, {
      createdAt,
      env,
      status,
      error,
      timeoutMs,
      seed,
      ab,
      label: request.label,
      tags: request.tags ?? [],
      checksum: checksums.get(side),
      provenance,
      ...(file ? { file: file.display } : {}),
    })
  }) as [RunRecord, RunRecord]
  for (const r of records) await store.save(r)

  const result: AbResult = { mode, modeReason, status, ...(error ? { error } : {}), runs: records }
  if (status !== 'ok') return result
  const metric: MetricName = request.metric !== undefined && isMetricName(request.metric) ? request.metric : 'opsPerSec'
  try {
    const prepared = await prepareComparison(store, [A.runId, B.runId], {
      metric,
      method: 'percentile',
      force: false,
      ...(request.noise !== undefined ? { noise: request.noise } : {}),
      ...(request.maxRegression !== undefined ? { maxRegression: request.maxRegression } : {}),
    })
    return { ...result, report: prepared.input, ...(prepared.gate ? { gate: prepared.gate } : {}) }
  } catch (err) {
    if (err instanceof ComparisonInputError) throw new ApiValidationError(err.message, [err.message])
    throw err
  }
}

/** The workload file an ab request names, resolved under the policy; undefined for a built-in id. */
async function resolveAbWorkloadFile(input: unknown, policy: WorkloadFilePolicy | undefined): Promise<ResolvedWorkloadFile | undefined> {
  const parsed = abRequestSchema.safeParse(input)
  const spec = parsed.success ? parsed.data.workload : undefined
  if (!spec || getWorkloadDescriptor(spec) || !looksLikeWorkloadFile(spec)) return undefined
  return resolveWorkloadFile(spec, policy ?? { allowOutside: false }, parsed.success ? parsed.data.runtime : undefined)
}

function describeLaunchFailure(r: LaunchResult, timeoutMs: number): string {
  if (r.timedOut) return `timed out after ${Math.round(timeoutMs / 1000)} s`
  if (r.spawnError) return `could not start the workload: ${r.spawnError}`
  if (r.error) return r.error.message
  if (r.exit.signal) return `the workload was killed by ${r.exit.signal}`
  if (r.exit.code !== 0) return `the workload exited with code ${r.exit.code}`
  return 'the workload exited without reporting a result'
}

function buildRecord(
  side: Side,
  ctx: {
    createdAt: Date
    env: EnvironmentSnapshot
    status: RunStatus
    error: string | undefined
    timeoutMs: number
    seed: number
    ab: AbInfo
    label: string | undefined
    tags: string[]
    checksum: string | undefined
    provenance: Provenance
    file?: string
  },
): RunRecord {
  const { request } = side
  const first = side.launches[0]
  const last = side.launches[side.launches.length - 1]
  const runtimeFacts = first?.runtime ?? { node: process.versions.node, v8: process.versions.v8 }
  const record: RunRecord = createRunRecord({
    id: side.runId,
    kind: 'workload',
    createdAt: ctx.createdAt.toISOString(),
    finishedAt: new Date().toISOString(),
    label: `${ctx.label ? `${ctx.label} ` : ''}${side.label}: ${request.workload} ${side.variant}`,
    tags: [...new Set(['ab', ...ctx.tags])],
    notes: '',
    group: `ab-${ctx.ab.session}`,
    workload: { id: request.workload, variant: side.variant, params: side.params, seed: ctx.seed, ...(ctx.file ? { file: ctx.file } : {}) },
    measure: {
      ...(request.warmupIterations !== undefined ? { warmupIterations: request.warmupIterations } : {}),
      ...(request.warmupMs !== undefined ? { warmupMs: request.warmupMs } : {}),
      ...(request.iterations !== undefined ? { iterations: request.iterations } : {}),
      ...(request.durationMs !== undefined ? { durationMs: request.durationMs } : {}),
      timeoutMs: ctx.timeoutMs,
      repeat: Math.max(1, side.processes.length),
    },
    capture: { profile: [], samplingIntervalUs: DEFAULT_SAMPLING_INTERVAL_US, heapSnapshots: [], timingPass: true },
    runtime: { path: side.runtimePath, node: runtimeFacts.node, v8: runtimeFacts.v8 },
    status: ctx.status,
    exit: last?.exit ?? { code: null, signal: null },
    ...(ctx.error ? { error: ctx.error } : {}),
    stderrTail: last?.stderrTail ?? '',
    wallMs: side.processes.reduce((s, p) => s + p.wallMs, 0),
    ...(ctx.checksum ? { checksum: ctx.checksum } : {}),
    env: { ...ctx.env, runtime: { ...ctx.env.runtime, node: runtimeFacts.node, v8: runtimeFacts.v8, execPath: side.runtimePath } },
    ...aggregateProcesses(side.processes),
    timeline: [],
    warnings: [...new Map(side.launches.flatMap((l) => l.warnings).map((w) => [w.message, { kind: w.kind, message: w.message }])).values()],
    artifacts: [],
    ...(side.processes.length > 0 ? { processes: side.processes } : {}),
    ab: ctx.ab,
    provenance: ctx.provenance,
  })
  for (const w of collectRunWarnings(record)) if (w.kind !== 'run-not-ok') record.warnings.push(toWarningRecord(w))
  return record
}
