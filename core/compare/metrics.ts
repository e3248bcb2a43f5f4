/**
 * Per-metric comparison of a candidate run against a baseline: both values, delta, ratio, a bootstrap
 * confidence interval of the ratio and a verdict. The verdict follows Criterion.rs: a change counts only
 * when the whole interval lies outside the noise band [1 − noise, 1 + noise].
 */
import { formatPct } from '../format/number.js'
import type { RunRecord } from '../model/run.js'
import { bootstrapRatioCIs, type BootstrapMethod, type BootstrapStatistic, type RatioInterval } from '../stats/bootstrap.js'

/** The metrics compared, in report order. */
export const METRIC_NAMES = ['opsPerSec', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'peakRssBytes', 'gcPauseMs', 'cpuUserMs'] as const
export type MetricName = (typeof METRIC_NAMES)[number]

export type MetricUnit = 'ops/s' | 'ns' | 'bytes' | 'ms'
export type Verdict = 'improved' | 'regressed' | 'no-change' | 'unknown'
export type Better = 'higher' | 'lower'

/**
 * Where the verdict came from. `bootstrap`: a confidence interval of the ratio from the samples.
 * `threshold`: only single values (no spread), so the point ratio is held against the noise band.
 * `none`: no verdict possible (a value is missing or the baseline is 0).
 */
export type VerdictBasis = 'bootstrap' | 'threshold' | 'none'

/** One metric of one candidate against the baseline. Ratios are candidate / baseline (dimensionless). */
export interface MetricComparison {
  name: MetricName
  unit: MetricUnit
  better: Better
  /** Baseline value in `unit`; null when the run lacks it. */
  baseline: number | null
  candidate: number | null
  /** candidate − baseline, in `unit`. */
  delta: number | null
  /** candidate / baseline; null when undefined (a value missing, or a baseline of 0 with a non-zero candidate). */
  ratio: number | null
  /**
   * For work-dependent totals (GC pause, CPU time) of runs that did different numbers of operations: the
   * ratio per operation, which the verdict (and the gate) judge instead of `ratio`.
   */
  perOperationRatio?: number
  /** Confidence interval of the ratio (bootstrap); null without one. */
  ciLow: number | null
  ciHigh: number | null
  verdict: Verdict
  basis: VerdictBasis
  /** Why the basis is not a bootstrap, or how the value was judged; plain text. */
  note?: string
}

/** How a metric is read from a run and judged. */
export interface MetricDefinition {
  name: MetricName
  label: string
  unit: MetricUnit
  better: Better
  /** The sample statistic whose ratio CI applies; undefined for single-value metrics. */
  statistic?: BootstrapStatistic
  /** A total that grows with the work done (compare per operation when operation counts differ). */
  perWork?: boolean
  value(run: RunRecord): number | undefined
}

export const METRIC_DEFINITIONS: Readonly<Record<MetricName, MetricDefinition>> = {
  opsPerSec: { name: 'opsPerSec', label: 'Throughput', unit: 'ops/s', better: 'higher', statistic: 'mean', value: (r) => r.metrics?.opsPerSec },
  mean: { name: 'mean', label: 'Mean latency', unit: 'ns', better: 'lower', statistic: 'mean', value: (r) => r.metrics?.latencyNs.mean },
  p50: { name: 'p50', label: 'p50 latency', unit: 'ns', better: 'lower', statistic: 'median', value: (r) => r.metrics?.latencyNs.p50 },
  p90: { name: 'p90', label: 'p90 latency', unit: 'ns', better: 'lower', statistic: 'p90', value: (r) => r.metrics?.latencyNs.p90 },
  p95: { name: 'p95', label: 'p95 latency', unit: 'ns', better: 'lower', statistic: 'p95', value: (r) => r.metrics?.latencyNs.p95 },
  p99: { name: 'p99', label: 'p99 latency', unit: 'ns', better: 'lower', statistic: 'p99', value: (r) => r.metrics?.latencyNs.p99 },
  p999: { name: 'p999', label: 'p99.9 latency', unit: 'ns', better: 'lower', statistic: 'p999', value: (r) => r.metrics?.latencyNs.p999 },
  peakRssBytes: { name: 'peakRssBytes', label: 'Peak RSS', unit: 'bytes', better: 'lower', value: (r) => r.metrics?.peakRssBytes },
  gcPauseMs: { name: 'gcPauseMs', label: 'GC pause', unit: 'ms', better: 'lower', perWork: true, value: (r) => r.metrics?.gc.pauseMs },
  cpuUserMs: { name: 'cpuUserMs', label: 'CPU user', unit: 'ms', better: 'lower', perWork: true, value: (r) => r.metrics?.cpu.userMs },
}

export function isMetricName(name: string): name is MetricName {
  return (METRIC_NAMES as readonly string[]).includes(name)
}

export interface MetricCompareOptions {
  /** Half-width of the no-change band around a ratio of 1, as a fraction (0.02 = ±2%). */
  noise?: number
  /**
   * Band for single-value metrics (peak RSS, GC pause, CPU time), default 0.10. They come with no spread
   * to build an interval from, and vary by more than 2% between identical runs.
   */
  singleValueNoise?: number
  confidence?: number
  resamples?: number
  seed?: number
  method?: BootstrapMethod
  maxSamples?: number
  /** Per-operation latency samples of a run (ns); default `run.samplesNs`. */
  samplesOf?: (run: RunRecord) => ArrayLike<number> | undefined
  /** Which metrics; default all of METRIC_NAMES. */
  metrics?: readonly MetricName[]
}

export const DEFAULT_NOISE = 0.02
export const DEFAULT_SINGLE_VALUE_NOISE = 0.1
/** An interval of a statistic needs this many samples at least, */
export const MIN_SAMPLES_FOR_CI = 10
/** and this many beyond a quantile on each side, or a tail quantile's interval is just its extreme values. */
export const MIN_TAIL_SAMPLES = 5

/** Samples needed for a confidence interval of a statistic. */
export function minSamplesFor(statistic: BootstrapStatistic): number {
  const q = typeof statistic === 'object' ? statistic.quantile : { mean: undefined, median: 0.5, p90: 0.9, p95: 0.95, p99: 0.99, p999: 0.999 }[statistic]
  if (q === undefined) return MIN_SAMPLES_FOR_CI
  const tail = Math.min(q, 1 - q)
  return Math.max(MIN_SAMPLES_FOR_CI, tail > 0 ? Math.ceil(MIN_TAIL_SAMPLES / tail - 1e-9) : Number.POSITIVE_INFINITY)
}

/**
 * The verdict of a ratio interval: no-change when it overlaps [1 − noise, 1 + noise]; otherwise improved
 * or regressed by which side it lies on and whether higher is better.
 */
export function verdictFromInterval(ciLow: number, ciHigh: number, better: Better, noise: number): Verdict {
  if (!(Number.isFinite(ciLow) && Number.isFinite(ciHigh))) return 'unknown'
  if (ciHigh >= 1 - noise && ciLow <= 1 + noise) return 'no-change'
  const higher = ciLow > 1 + noise
  return higher === (better === 'higher') ? 'improved' : 'regressed'
}

/** The verdict of a single ratio against the noise band (no interval available). */
export function verdictFromRatio(ratio: number | null, better: Better, noise: number): Verdict {
  if (ratio === null || !Number.isFinite(ratio)) return 'unknown'
  return verdictFromInterval(ratio, ratio, better, noise)
}

function ratioOf(baseline: number | undefined, candidate: number | undefined): number | null {
  if (baseline === undefined || candidate === undefined) return null
  if (baseline === 0) return candidate === 0 ? 1 : null
  return candidate / baseline
}

function pctText(fraction: number): string {
  return formatPct(fraction)
}

/** Compares every metric of `candidate` against `baseline`. */
export function compareMetrics(baseline: RunRecord, candidate: RunRecord, options: MetricCompareOptions = {}): MetricComparison[] {
  const noise = options.noise ?? DEFAULT_NOISE
  const singleNoise = options.singleValueNoise ?? DEFAULT_SINGLE_VALUE_NOISE
  const names = options.metrics ?? METRIC_NAMES
  const samplesOf = options.samplesOf ?? ((r: RunRecord) => r.samplesNs)
  const sb = samplesOf(baseline)
  const sc = samplesOf(candidate)
  const nb = sb?.length ?? 0
  const nc = sc?.length ?? 0

  // One set of resamples serves every sample statistic that has enough samples on both sides.
  const wanted = [...new Set(names.map((n) => METRIC_DEFINITIONS[n].statistic).filter((s): s is BootstrapStatistic => s !== undefined))]
  const usable = wanted.filter((s) => Math.min(nb, nc) >= minSamplesFor(s))
  const intervals = new Map<BootstrapStatistic, RatioInterval | { error: string }>()
  if (sb && sc && usable.length > 0) {
    const results = bootstrapRatioCIs(sb, sc, usable, {
      ...(options.confidence !== undefined ? { confidence: options.confidence } : {}),
      ...(options.resamples !== undefined ? { resamples: options.resamples } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.method !== undefined ? { method: options.method } : {}),
      ...(options.maxSamples !== undefined ? { maxSamples: options.maxSamples } : {}),
    })
    usable.forEach((s, i) => {
      const r = results[i]
      if (r) intervals.set(s, r)
    })
  }
  const opsB = baseline.metrics?.operations
  const opsC = candidate.metrics?.operations

  return names.map((name): MetricComparison => {
    const def = METRIC_DEFINITIONS[name]
    const vb = def.value(baseline)
    const vc = def.value(candidate)
    const ratio = ratioOf(vb, vc)
    const base = {
      name,
      unit: def.unit,
      better: def.better,
      baseline: vb ?? null,
      candidate: vc ?? null,
      delta: vb !== undefined && vc !== undefined ? vc - vb : null,
      ratio,
      ciLow: null,
      ciHigh: null,
    }
    if (vb === undefined || vc === undefined) {
      return { ...base, verdict: 'unknown', basis: 'none', note: `${vb === undefined ? 'the baseline' : 'the candidate'} has no ${def.label.toLowerCase()} (no metrics recorded)` }
    }
    if (ratio === null) return { ...base, verdict: 'unknown', basis: 'none', note: `the baseline ${def.label.toLowerCase()} is 0, so the ratio is undefined` }

    if (def.statistic !== undefined) {
      const interval = intervals.get(def.statistic)
      if (interval && !('error' in interval)) {
        // Throughput is operations / timed ns = 1e9 / mean latency per operation, so its ratio is the
        // inverse of the mean-latency ratio. Percentile (and BCa) intervals respect monotone transforms
        // (Efron & Tibshirani §13.6), so the interval inverts too. (The mean of per-iteration rates
        // 1e9 / sample would be a different, Jensen-biased statistic that no run reports.)
        const [lo, hi] = name === 'opsPerSec' ? [1 / interval.high, 1 / interval.low] : [interval.low, interval.high]
        return { ...base, ciLow: lo, ciHigh: hi, verdict: verdictFromInterval(lo, hi, def.better, noise), basis: 'bootstrap' }
      }
      const need = minSamplesFor(def.statistic)
      const why =
        nb === 0 || nc === 0
          ? `no latency samples in the ${nb === 0 ? 'baseline' : 'candidate'}`
          : interval && 'error' in interval
            ? interval.error
            : `too few samples for an interval (${Math.min(nb, nc)}; ${def.label.toLowerCase()} needs ${need})`
      return { ...base, verdict: verdictFromRatio(ratio, def.better, noise), basis: 'threshold', note: `${why}: verdict by the ±${pctText(noise)} threshold on the single ratio` }
    }

    // Single values: no spread, so the point ratio is held against the wider band. Work-dependent totals
    // (GC pause, CPU time) are judged per operation when the runs did different amounts of work, as
    // duration-bound runs of a faster variant do more operations in the same time.
    let judged = ratio
    let perOp = ''
    if (def.perWork && opsB && opsC && Math.abs(opsC / opsB - 1) > 0.01) {
      judged = ratio * (opsB / opsC)
      perOp = `; judged per operation (the runs did ${opsB} and ${opsC} operations): ratio per operation ${judged.toFixed(3)}`
    }
    return {
      ...base,
      ...(perOp ? { perOperationRatio: judged } : {}),
      verdict: verdictFromRatio(judged, def.better, singleNoise),
      basis: 'threshold',
      note: `one value per run, no confidence interval: verdict by the ±${pctText(singleNoise)} threshold${perOp}`,
    }
  })
}
