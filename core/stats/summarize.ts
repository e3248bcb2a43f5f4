/**
 * Summary statistics of per-operation latency samples (ns): mean, stddev, percentiles, outliers, CV.
 * The harness summarizes its own HDR histogram for a run's headline metrics; this one works on raw
 * samples and is what comparisons, warnings and reports use.
 */
import type { LatencyNs } from '../model/run.js'
import type { Nanoseconds } from '../model/units.js'
import { countOutliers } from './outliers.js'

/** Summary of a set of latency samples. All latencies in nanoseconds per operation. */
export interface SampleSummary extends LatencyNs {
  /** Number of samples summarized. */
  count: number
  /** Coefficient of variation: stddev / mean (a fraction; 0.1 = 10%). 0 when the mean is 0. */
  cv: number
  /** Samples beyond the modified z-score threshold (Iglewicz & Hoaglin), below and above the median. */
  outliers: { low: number; high: number }
}

/** Copies samples into a sorted Float64Array (numeric order; the input is left alone). */
export function sortedSamples(samples: ArrayLike<number>): Float64Array {
  return Float64Array.from(samples).sort()
}

/**
 * Quantile q ∈ [0, 1] of sorted data by linear interpolation between order statistics: Hyndman & Fan
 * (1996) definition 7, the default of R and NumPy. Returns NaN for no data.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length
  if (n === 0) return Number.NaN
  const h = (n - 1) * Math.min(1, Math.max(0, q))
  const lo = Math.floor(h)
  const a = sorted[lo] as number
  if (lo + 1 >= n) return a
  const b = sorted[lo + 1] as number
  return a + (h - lo) * (b - a)
}

/** Arithmetic mean; NaN for no data. */
export function mean(samples: ArrayLike<number>): number {
  const n = samples.length
  if (n === 0) return Number.NaN
  let sum = 0
  for (let i = 0; i < n; i++) sum += samples[i] as number
  return sum / n
}

/**
 * Sample standard deviation with Bessel's correction (n − 1), as hyperfine reports it. Two passes over
 * the data (mean first) to avoid the cancellation of the one-pass sum-of-squares formula. 0 for n < 2.
 */
export function sampleStddev(samples: ArrayLike<number>, knownMean?: number): number {
  const n = samples.length
  if (n < 2) return 0
  const m = knownMean ?? mean(samples)
  let ss = 0
  for (let i = 0; i < n; i++) {
    const d = (samples[i] as number) - m
    ss += d * d
  }
  return Math.sqrt(ss / (n - 1))
}

/** Summarizes latency samples (ns per operation). Throws on an empty array: there is nothing to report. */
export function summarizeSamples(samples: ArrayLike<number>): SampleSummary {
  if (samples.length === 0) throw new RangeError('summarizeSamples needs at least one sample')
  const sorted = sortedSamples(samples)
  const m = mean(sorted)
  const stddev = sampleStddev(sorted, m)
  return {
    count: sorted.length,
    mean: m,
    stddev,
    min: sorted[0] as Nanoseconds,
    p50: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    p999: quantileSorted(sorted, 0.999),
    max: sorted[sorted.length - 1] as Nanoseconds,
    cv: m === 0 ? 0 : stddev / m,
    outliers: countOutliers(sorted),
  }
}

/** The latency fields of a summary, in the shape of `RunMetrics.latencyNs`. */
export function toLatencyNs(summary: SampleSummary): LatencyNs {
  const { mean: m, stddev, min, p50, p90, p95, p99, p999, max } = summary
  return { mean: m, stddev, min, p50, p90, p95, p99, p999, max }
}
