/**
 * Many machines, one table: runs grouped by the target they ran on (their `target:` tag; "local" for
 * runs made here) and by case (workload, variant, parameters). Per target and case: throughput and
 * latency as the mean over processes with a 95% Student-t interval; throughput relative to a reference
 * target with a 95% interval; and the environment facts, with those that differ between targets marked.
 *
 * Estimators. The unit of evidence is the process (a run holds one, or N with --repeat N): iterations
 * only make each process's own figure precise. Mean m over n processes, interval m ± t(0.975, n−1)·s/√n.
 * The relative speed is the geometric-mean ratio with Welch's t on per-process log throughput
 * (core/stats/between-process.ts), the estimator the verdicts use.
 * Coverage is checked in simulation by tests/unit/core/compare/by-target.test.ts. With one run on a side
 * there is no between-process spread, so no interval is given (never a within-run one in its place).
 */
import type { EnvironmentSnapshot } from '../model/environment.js'
import type { RunMetrics, RunRecord } from '../model/run.js'
import { getRunTarget } from '../model/target.js'
import { diffEnvironments, type EnvValue, flattenEnvironment } from './environment-diff.js'
import { unpairedProcessInterval } from '../stats/between-process.js'
import { studentTQuantile } from '../stats/significance.js'

/** The name runs without a `target:` tag go under. */
export const LOCAL_TARGET = 'local'

/** A mean over processes and its 95% interval (absent with fewer than two processes). */
export interface ProcessEstimate {
  mean: number
  low?: number
  high?: number
  processes: number
}

export interface TargetCell {
  target: string
  runIds: string[]
  processes: number
  opsPerSec?: ProcessEstimate
  p50Ns?: ProcessEstimate
  p99Ns?: ProcessEstimate
  /** Runs of this case on this target that did not finish ok, with the reason. */
  failed: { runId: string; status: string; error: string }[]
}

export interface RelativeSpeedEstimate {
  target: string
  /** Throughput of this target / throughput of the reference: 1.3 means 30% faster. */
  ratio: number
  low?: number
  high?: number
  isReference: boolean
}

export interface TargetCase {
  key: string
  workload: string
  variant: string
  params: Record<string, string | number | boolean>
  cells: TargetCell[]
  relative: RelativeSpeedEstimate[]
}

export interface TargetFactRow {
  path: string
  /** values[i] belongs to targets[i]; null where unknown. */
  values: EnvValue[]
  differs: boolean
}

export interface TargetComparison {
  targets: string[]
  reference: string
  cases: TargetCase[]
  /** Key facts first (CPU, cores, clock, RAM, OS, kernel, Node), then any other fact that differs. */
  environment: TargetFactRow[]
  runIds: string[]
}

/** Facts always shown, in this order, whether or not they differ. */
export const KEY_TARGET_FACTS: readonly string[] = [
  'cpu.brand',
  'cpu.cores',
  'cpu.physicalCores',
  'cpu.speedGHz',
  'memory.totalBytes',
  'os.platform',
  'os.arch',
  'os.distro',
  'os.release',
  'os.kernel',
  'runtime.node',
  'runtime.v8',
]

export class TargetComparisonError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TargetComparisonError'
  }
}

/** The 97.5% quantile of Student's t with df degrees of freedom (two-sided 95% intervals). */
export function studentTQuantile975(df: number): number {
  return studentTQuantile(0.975, df)
}

function meanOf(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length
}

function varianceOf(xs: readonly number[], m: number): number {
  return xs.length < 2 ? 0 : xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1)
}

/** The metrics of each process of a run: `processes[]` of a repeated run, else the run's own. */
function processMetricsOf(run: RunRecord): { metrics?: RunMetrics }[] {
  if (run.processes && run.processes.length > 0) return run.processes.map((p) => ({ metrics: p.metrics }))
  return run.metrics ? [{ metrics: run.metrics }] : []
}

/** Mean over processes with its Student-t 95% interval; the low end stops at 0 (rates and times are never negative). */
export function estimateOverProcesses(values: readonly number[]): ProcessEstimate | undefined {
  if (values.length === 0) return undefined
  const m = meanOf(values)
  if (values.length < 2) return { mean: m, processes: 1 }
  const half = (studentTQuantile975(values.length - 1) * Math.sqrt(varianceOf(values, m))) / Math.sqrt(values.length)
  return { mean: m, low: Math.max(0, m - half), high: m + half, processes: values.length }
}

/**
 * Throughput of a target relative to the reference: the verdicts' between-process estimator
 * (core/stats/between-process.ts, Welch's t on per-process log throughput, geometric-mean ratio).
 * One process on either side: the ratio of the values, no interval.
 */
export function relativeThroughput(candidate: readonly number[], reference: readonly number[]): { ratio: number; low?: number; high?: number } | undefined {
  if (candidate.length === 0 || reference.length === 0) return undefined
  if (![...candidate, ...reference].every((v) => v > 0 && Number.isFinite(v))) return undefined
  if (candidate.length < 2 || reference.length < 2) return { ratio: meanOf(candidate) / meanOf(reference) }
  const interval = unpairedProcessInterval(reference, candidate)
  if (!interval) return undefined
  return { ratio: interval.estimate, low: interval.low, high: interval.high }
}

function caseKey(run: RunRecord): string {
  const params = Object.keys(run.workload.params)
    .sort()
    .map((k) => `${k}=${String(run.workload.params[k])}`)
    .join(',')
  return `${run.workload.id}/${run.workload.variant}${params ? `?${params}` : ''}`
}

/**
 * Builds the table. `order` fixes the column order (default: order of first appearance); `reference`
 * is the target others are compared against (default: the first column).
 */
export function compareByTarget(runs: readonly RunRecord[], options: { reference?: string; order?: readonly string[] } = {}): TargetComparison {
  if (runs.length === 0) throw new TargetComparisonError('no runs to compare; run with --on NAME,NAME first, or name the runs')
  const seen: string[] = []
  for (const r of runs) {
    const t = getRunTarget(r) ?? LOCAL_TARGET
    if (!seen.includes(t)) seen.push(t)
  }
  const targets = options.order?.length ? [...options.order.filter((t) => seen.includes(t)), ...seen.filter((t) => !options.order?.includes(t))] : seen
  const reference = options.reference ?? targets[0] ?? LOCAL_TARGET
  if (!targets.includes(reference)) throw new TargetComparisonError(`no runs from target "${reference}" among these; targets: ${targets.join(', ')}`)

  const byCase = new Map<string, RunRecord[]>()
  for (const r of runs) {
    const k = caseKey(r)
    const list = byCase.get(k) ?? []
    list.push(r)
    byCase.set(k, list)
  }
  const cases: TargetCase[] = []
  for (const [key, caseRuns] of byCase) {
    const first = caseRuns[0] as RunRecord
    const okValues = new Map<string, { metrics?: RunMetrics }[]>()
    const cells: TargetCell[] = targets.map((target) => {
      const mine = caseRuns.filter((r) => (getRunTarget(r) ?? LOCAL_TARGET) === target)
      const okRuns = mine.filter((r) => r.status === 'ok' && r.metrics)
      // One value per process: a `--repeat N` run holds N processes, an older run one.
      const ok = okRuns.flatMap(processMetricsOf)
      okValues.set(target, ok)
      const cell: TargetCell = {
        target,
        runIds: mine.map((r) => r.id),
        processes: ok.length,
        failed: mine.filter((r) => r.status !== 'ok').map((r) => ({ runId: r.id, status: r.status, error: r.error ?? r.status })),
      }
      const ops = estimateOverProcesses(ok.map((r) => r.metrics?.opsPerSec ?? 0))
      const p50 = estimateOverProcesses(ok.map((r) => r.metrics?.latencyNs.p50 ?? 0))
      const p99 = estimateOverProcesses(ok.map((r) => r.metrics?.latencyNs.p99 ?? 0))
      if (ops) cell.opsPerSec = ops
      if (p50) cell.p50Ns = p50
      if (p99) cell.p99Ns = p99
      return cell
    })
    const refOps = (okValues.get(reference) ?? []).map((r) => r.metrics?.opsPerSec ?? 0)
    const relative: RelativeSpeedEstimate[] = []
    for (const target of targets) {
      const est = relativeThroughput((okValues.get(target) ?? []).map((r) => r.metrics?.opsPerSec ?? 0), refOps)
      if (est) relative.push({ target, ...est, isReference: target === reference })
    }
    cases.push({ key, workload: first.workload.id, variant: first.workload.variant, params: first.workload.params, cells, relative })
  }

  const envOf = (target: string): EnvironmentSnapshot | undefined => {
    const mine = runs.filter((r) => (getRunTarget(r) ?? LOCAL_TARGET) === target)
    return (mine.find((r) => r.status === 'ok') ?? mine.find((r) => r.env.cpu.cores > 0) ?? mine[0])?.env
  }
  const envs = targets.map((t) => ({ target: t, env: envOf(t) }))
  const known = envs.filter((e): e is { target: string; env: EnvironmentSnapshot } => e.env !== undefined)
  const flat = new Map(known.map((e) => [e.target, flattenEnvironment(e.env)]))
  const row = (path: string): TargetFactRow => {
    const values = targets.map((t) => {
      const f = flat.get(t)
      return f?.has(path) ? (f.get(path) as EnvValue) : null
    })
    const present = values.filter((v) => v !== null && v !== 'unknown' && v !== 0)
    return { path, values, differs: present.length > 1 && present.some((v) => v !== present[0]) }
  }
  const environment = KEY_TARGET_FACTS.map(row)
  if (known.length > 1) {
    const diff = diffEnvironments(known.map((e) => ({ runId: e.target, env: e.env })))
    for (const d of diff.differences) if (!KEY_TARGET_FACTS.includes(d.path)) environment.push(row(d.path))
  }
  return { targets, reference, cases, environment: environment.filter((r) => r.values.some((v) => v !== null)), runIds: runs.map((r) => r.id) }
}
