/**
 * Per-metric comparison of a candidate run against a baseline: both values, delta, ratio, an interval of
 * the ratio that rests on the spread *between processes* (core/stats/between-process.ts), its minimum
 * detectable effect, how many processes each side had, and a verdict.
 *
 * Verdicts: `improved`/`regressed` when the whole interval lies beyond the noise band [1 − noise,
 * 1 + noise] on one side; `no-change` when it lies inside the band; `inconclusive` otherwise (the data
 * cannot tell), and always with one process per side unless the change exceeds the single-process noise
 * floor measured on this machine. `none`: no verdict at all (zero or constant on both sides, a value
 * missing, or a process-wide value shared by both sides of a paired measurement).
 *
 * Within-process intervals (a bootstrap over one process's iterations) are not used for verdicts: they
 * measure noise inside a process and are blind to what differs between processes, which here is ±10%.
 */
import { formatPct } from '../format/number.js'
import type { RunMetrics, RunRecord } from '../model/run.js'
import {
  type ProcessRatioInterval,
  pairedProcessInterval,
  pairedRankInterval,
  SINGLE_PROCESS_NOISE_FLOOR,
  unpairedProcessInterval,
} from '../stats/between-process.js'

/** The metrics compared, in report order. */
export const METRIC_NAMES = ['opsPerSec', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'peakRssBytes', 'gcPauseMs', 'cpuUserMs'] as const
export type MetricName = (typeof METRIC_NAMES)[number]

export type MetricUnit = 'ops/s' | 'ns' | 'bytes' | 'ms'
export type Verdict = 'improved' | 'regressed' | 'no-change' | 'inconclusive' | 'none'
export type Better = 'higher' | 'lower'

/**
 * Where the verdict came from. `processes`: an interval from the spread between processes.
 * `noise-floor`: one process on each side, so the point ratio is held against the calibrated
 * single-process noise floor. `none`: no verdict possible.
 */
export type VerdictBasis = 'processes' | 'noise-floor' | 'none'

/** How the two sides were measured against each other. */
export type Pairing = 'paired' | 'abba' | 'independent'

/** One metric of one candidate against the baseline. Ratios are candidate / baseline (dimensionless). */
export interface MetricComparison {
  name: MetricName
  /** What the row says, per operation where it is: "GC pause per operation". */
  label: string
  unit: MetricUnit
  better: Better
  /** True for totals judged per operation (GC pause, CPU time): baseline/candidate are then per operation. */
  perOperation: boolean
  /** Baseline value in `unit` (per operation when `perOperation`); null when the run lacks it. */
  baseline: number | null
  candidate: number | null
  /** candidate − baseline, in `unit`. */
  delta: number | null
  /**
   * candidate / baseline. With an interval from processes, the estimate it is centred on (the geometric
   * mean of the per-process ratios, or of the paired ratios), which on a noisy machine can differ from the
   * ratio of the run-level aggregates shown as baseline and candidate. Null when undefined (a value
   * missing, or a baseline of 0 with a non-zero candidate).
   */
  ratio: number | null
  /** Interval of the ratio from the between-process spread; null without one. */
  ciLow: number | null
  ciHigh: number | null
  /** Minimum detectable effect, fraction: changes of at least this size would be reported (80% power); null when unknown. */
  mde: number | null
  /** Processes each side's values came from. */
  processes: { baseline: number; candidate: number }
  verdict: Verdict
  basis: VerdictBasis
  /** How the interval was made: paired-t, welch-t, pooled-t, or noise-floor. */
  method?: ProcessRatioInterval['method'] | 'noise-floor'
  /** Why there is no interval, or how the value was judged; plain text. */
  note?: string
}

/** How a metric is read from a run's process metrics and judged. */
export interface MetricDefinition {
  name: MetricName
  label: string
  unit: MetricUnit
  better: Better
  /** A total that grows with the work done: compared per operation, always. */
  perWork?: boolean
  /** A fact of the whole process (not of one side) when two sides share a process in paired mode. */
  processWide?: boolean
  value(metrics: RunMetrics): number
}

export const METRIC_DEFINITIONS: Readonly<Record<MetricName, MetricDefinition>> = {
  opsPerSec: { name: 'opsPerSec', label: 'Throughput', unit: 'ops/s', better: 'higher', value: (m) => m.opsPerSec },
  mean: { name: 'mean', label: 'Mean latency', unit: 'ns', better: 'lower', value: (m) => m.latencyNs.mean },
  p50: { name: 'p50', label: 'p50 latency', unit: 'ns', better: 'lower', value: (m) => m.latencyNs.p50 },
  p90: { name: 'p90', label: 'p90 latency', unit: 'ns', better: 'lower', value: (m) => m.latencyNs.p90 },
  p95: { name: 'p95', label: 'p95 latency', unit: 'ns', better: 'lower', value: (m) => m.latencyNs.p95 },
  p99: { name: 'p99', label: 'p99 latency', unit: 'ns', better: 'lower', value: (m) => m.latencyNs.p99 },
  p999: { name: 'p999', label: 'p99.9 latency', unit: 'ns', better: 'lower', value: (m) => m.latencyNs.p999 },
  peakRssBytes: { name: 'peakRssBytes', label: 'Peak RSS', unit: 'bytes', better: 'lower', processWide: true, value: (m) => m.peakRssBytes },
  gcPauseMs: { name: 'gcPauseMs', label: 'GC pause per operation', unit: 'ms', better: 'lower', perWork: true, processWide: true, value: (m) => m.gc.pauseMs },
  cpuUserMs: { name: 'cpuUserMs', label: 'CPU user time per operation', unit: 'ms', better: 'lower', perWork: true, processWide: true, value: (m) => m.cpu.userMs },
}

export function isMetricName(name: string): name is MetricName {
  return (METRIC_NAMES as readonly string[]).includes(name)
}

export interface MetricCompareOptions {
  /** Half-width of the no-change band around a ratio of 1, as a fraction (0.02 = ±2%). */
  noise?: number
  /** Confidence level of the intervals; default 0.95. */
  confidence?: number
  /** The single-process noise floor, fraction; default SINGLE_PROCESS_NOISE_FLOOR (measured on this machine). */
  singleProcessFloor?: number
  /** Which metrics; default all of METRIC_NAMES. */
  metrics?: readonly MetricName[]
}

export const DEFAULT_NOISE = 0.02

/**
 * The verdict of a ratio interval against the band [1 − noise, 1 + noise]: beyond it on one side →
 * improved or regressed (by which side and whether higher is better); inside it → no-change; straddling
 * an edge → inconclusive.
 */
export function verdictFromInterval(ciLow: number, ciHigh: number, better: Better, noise: number): Verdict {
  if (!(Number.isFinite(ciLow) && Number.isFinite(ciHigh))) return 'inconclusive'
  if (ciLow > 1 + noise) return better === 'higher' ? 'improved' : 'regressed'
  if (ciHigh < 1 - noise) return better === 'higher' ? 'regressed' : 'improved'
  if (ciLow >= 1 - noise && ciHigh <= 1 + noise) return 'no-change'
  return 'inconclusive'
}

/** The verdict of a single-process ratio: a change only beyond the noise floor, else inconclusive. */
export function verdictFromSingleProcess(ratio: number | null, better: Better, floor: number): Verdict {
  if (ratio === null || !Number.isFinite(ratio)) return 'inconclusive'
  if (ratio > 1 + floor) return better === 'higher' ? 'improved' : 'regressed'
  if (ratio < 1 / (1 + floor)) return better === 'higher' ? 'regressed' : 'improved'
  return 'inconclusive'
}

/** The metrics of each process of a run, in launch order (a run without `processes` is one process). */
export function processMetrics(run: RunRecord): RunMetrics[] {
  if (run.processes && run.processes.length > 0) return run.processes.map((p) => p.metrics)
  return run.metrics ? [run.metrics] : []
}

/** How two runs were measured against each other: from one `ab` session (paired or ABBA), or apart. */
export function pairingOf(baseline: RunRecord, candidate: RunRecord): Pairing {
  const a = baseline.ab
  const b = candidate.ab
  if (!a || !b || a.session !== b.session || a.side === b.side || a.partner !== candidate.id || b.partner !== baseline.id) return 'independent'
  if ((baseline.processes?.length ?? 0) !== (candidate.processes?.length ?? 0) || !baseline.processes?.length) return 'independent'
  return a.mode
}

function valuesOf(def: MetricDefinition, metrics: readonly RunMetrics[]): number[] {
  return metrics.map((m) => (def.perWork ? (m.operations > 0 ? def.value(m) / m.operations : Number.NaN) : def.value(m)))
}

/** The run-level value of a metric (per operation for totals of work). */
function runValue(def: MetricDefinition, run: RunRecord): number | undefined {
  const m = run.metrics
  if (!m) return undefined
  if (def.perWork) return m.operations > 0 ? def.value(m) / m.operations : undefined
  return def.value(m)
}

function pct(fraction: number): string {
  return formatPct(fraction)
}

/** Compares every metric of `candidate` against `baseline`. */
export function compareMetrics(baseline: RunRecord, candidate: RunRecord, options: MetricCompareOptions = {}): MetricComparison[] {
  const noise = options.noise ?? DEFAULT_NOISE
  const floor = options.singleProcessFloor ?? SINGLE_PROCESS_NOISE_FLOOR
  const confidence = options.confidence ?? 0.95
  const names = options.metrics ?? METRIC_NAMES
  const pairing = pairingOf(baseline, candidate)
  const pb = processMetrics(baseline)
  const pc = processMetrics(candidate)
  const processes = { baseline: pb.length, candidate: pc.length }
  // In paired mode the per-process statistic of throughput is the paired log-ratio: the median over
  // iteration pairs of log(per-op time B / A) (workloads/harness/paired.ts). Its sign is B over A, so it
  // flips when A is the candidate; throughput is the inverse of time, so it flips once more.
  const pairedLogRatios =
    pairing === 'paired'
      ? (candidate.processes ?? []).map((p) => (p.pairedLogRatio ?? Number.NaN) * (candidate.ab?.side === 'B' ? 1 : -1))
      : undefined

  return names.map((name): MetricComparison => {
    const def = METRIC_DEFINITIONS[name]
    const vb = runValue(def, baseline)
    const vc = runValue(def, candidate)
    const ratio = vb === undefined || vc === undefined ? null : vb === 0 ? (vc === 0 ? 1 : null) : vc / vb
    const base = {
      name,
      label: def.label,
      unit: def.unit,
      better: def.better,
      perOperation: def.perWork === true,
      baseline: vb ?? null,
      candidate: vc ?? null,
      delta: vb !== undefined && vc !== undefined ? vc - vb : null,
      ratio,
      ciLow: null,
      ciHigh: null,
      mde: null,
      processes,
    }
    const none = (note: string): MetricComparison => ({ ...base, verdict: 'none', basis: 'none', note })
    if (vb === undefined || vc === undefined) return none(`${vb === undefined ? 'the baseline' : 'the candidate'} has no ${def.label.toLowerCase()} (no metrics recorded)`)

    const xb = valuesOf(def, pb)
    const xc = valuesOf(def, pc)
    const all = [...xb, ...xc]
    if (pairing === 'paired' && def.processWide) {
      return none('measured for the whole process, which both sides shared in paired mode: not attributable to either side')
    }
    // Constant: 0 everywhere, or the same value in several processes. One equal value a side is no evidence of
    // "no change" (processes differ by ±10% here), so that goes on to the single-process noise floor.
    if (all.every((v) => v === all[0]) && (all[0] === 0 || all.length > 2)) return none(all[0] === 0 ? `0 on both sides: nothing to judge` : `the same value in every process on both sides: nothing to judge`)
    if (ratio === null) return { ...base, verdict: 'inconclusive', basis: 'none', note: `the baseline ${def.label.toLowerCase()} is 0, so the ratio is undefined` }

    // One value per process; logs need values above 0.
    let interval: ProcessRatioInterval | undefined
    let why = ''
    if (pairing === 'paired' && pairedLogRatios && name === 'opsPerSec') {
      interval = pairedProcessInterval(
        pairedLogRatios.map((v) => -v),
        { confidence, noise },
      )
    } else if (all.some((v) => !(v > 0))) {
      why = `zero in some processes, so no ratio interval`
    } else if (pairing !== 'independent') {
      // Process-level ABBA: whole processes are the pairs, and on a shared machine one process now and then
      // loses much of its CPU to a neighbour; the signed-rank interval keeps such a pair from swamping the
      // rest (core/stats/between-process.ts pairedRankInterval). In-process pairs keep the t-interval.
      const logRatios = xb.map((v, i) => Math.log((xc[i] as number) / v))
      interval = pairing === 'abba' ? pairedRankInterval(logRatios, { confidence, noise }) : pairedProcessInterval(logRatios, { confidence, noise })
    } else {
      interval = unpairedProcessInterval(xb, xc, { confidence, noise })
    }

    if (interval) {
      const pooled = interval.method === 'pooled-t' ? `; one side has a single process, so its spread is assumed equal to the other side's` : ''
      return {
        ...base,
        ratio: interval.estimate,
        ciLow: interval.low,
        ciHigh: interval.high,
        mde: interval.mde,
        verdict: verdictFromInterval(interval.low, interval.high, def.better, noise),
        basis: 'processes',
        method: interval.method,
        note: `${interval.method} interval over ${describeProcesses(pairing, processes)}${pairing === 'paired' && name === 'opsPerSec' ? ' of the median paired log-ratio of iteration times' : ''}; could detect changes ≥ ${pct(interval.mde)}${pooled}`,
      }
    }
    if (why) return { ...base, verdict: 'inconclusive', basis: 'none', note: why }
    // One process per side: no evidence about between-process noise.
    const verdict = verdictFromSingleProcess(ratio, def.better, floor)
    return {
      ...base,
      mde: floor,
      verdict,
      basis: 'noise-floor',
      method: 'noise-floor',
      note:
        verdict === 'inconclusive'
          ? `one process per side says nothing about between-process noise; the change is within the ±${pct(floor)} single-process noise floor measured on this machine: inconclusive (measure with --repeat or hotpath ab)`
          : `one process per side; the change exceeds the ±${pct(floor)} single-process noise floor measured on this machine`,
    }
  })
}

function describeProcesses(pairing: Pairing, p: { baseline: number; candidate: number }): string {
  if (pairing === 'paired') return `${p.baseline} processes, both sides in each (paired)`
  if (pairing === 'abba') return `${p.baseline} + ${p.candidate} interleaved processes (ABBA, paired by round)`
  return `${p.baseline} + ${p.candidate} processes`
}
