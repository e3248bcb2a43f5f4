/**
 * Relative speed of several runs against a reference, with the uncertainty propagated from each run's
 * standard deviation, as hyperfine reports it ("1.52 ± 0.04 times faster than").
 * Port of hyperfine's src/benchmark/relative_speed.rs.
 */
import type { Nanoseconds } from '../model/units.js'

/** One run's mean time per operation and its spread. */
export interface SpeedEntry {
  id: string
  /** Mean time per operation, ns. */
  meanNs: Nanoseconds
  /** Standard deviation of the time per operation, ns; without it no uncertainty is given. */
  stddevNs?: Nanoseconds
}

/** How one run's time compares to the reference's. */
export interface RelativeSpeed {
  id: string
  /** mean / reference mean: 1.5 means 1.5 times slower than the reference; 1 for the reference. */
  ratio: number
  /** Propagated standard deviation of the ratio; undefined when a stddev is missing. */
  ratioStddev?: number
  isReference: boolean
  isFastest: boolean
}

/**
 * Ratios of mean times to the reference (default: the fastest run). The stddev of a ratio of independent
 * quantities propagates as r · √((σ₁/μ₁)² + (σ₂/μ₂)²) (first-order Taylor expansion, covariance 0), exactly
 * as hyperfine does. A mean of 0 gives a ratio of Infinity (or 1 for the reference).
 */
export function computeRelativeSpeeds(
  entries: readonly SpeedEntry[],
  options: { referenceId?: string; sort?: 'input' | 'fastest-first' } = {},
): RelativeSpeed[] {
  if (entries.length === 0) return []
  const fastest = entries.reduce((best, e) => (e.meanNs < best.meanNs ? e : best))
  const reference = options.referenceId === undefined ? fastest : entries.find((e) => e.id === options.referenceId)
  if (!reference) throw new RangeError(`no run ${options.referenceId} among the entries`)
  const out = entries.map((e): RelativeSpeed => {
    const isReference = e === reference
    const isFastest = e === fastest
    if (reference.meanNs === 0) return { id: e.id, ratio: isReference ? 1 : Number.POSITIVE_INFINITY, isReference, isFastest }
    const ratio = isReference ? 1 : e.meanNs / reference.meanNs
    const withStddev =
      e.stddevNs !== undefined && reference.stddevNs !== undefined && e.meanNs !== 0
        ? { ratioStddev: ratio * Math.hypot(e.stddevNs / e.meanNs, reference.stddevNs / reference.meanNs) }
        : {}
    return { id: e.id, ratio, ...withStddev, isReference, isFastest }
  })
  if (options.sort === 'fastest-first') out.sort((a, b) => a.ratio - b.ratio)
  return out
}
