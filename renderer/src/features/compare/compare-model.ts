/**
 * Pure helpers of the compare view: baseline ordering, the scale of the confidence-interval bars, shared
 * log bins for overlaid latency histograms, and timelines of several runs aligned on one time axis.
 * No React, no DOM: unit-tested on plain data.
 */
import type { MetricComparison } from '../../../../core/compare/metrics.js'
import type { RunId, TimelineSample } from '../../../../core/model/run.js'

/** The ids with `baseline` moved to the front (ids without it are returned unchanged). */
export function withBaselineFirst(ids: readonly RunId[], baseline: RunId): RunId[] {
  if (!ids.includes(baseline)) return [...ids]
  return [baseline, ...ids.filter((id) => id !== baseline)]
}

/** Runs ordered oldest first: the natural baseline of a library selection is the earliest run. */
export function oldestFirst<T extends { id: string; createdAt: string }>(runs: readonly T[]): T[] {
  return [...runs].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** The ratio range an interval bar spans: [lo, hi] around 1, drawn on a log scale (2x and 0.5x are equally far from 1). */
export interface RatioScale {
  lo: number
  hi: number
}

const MIN_RATIO = 1 / 64
const MAX_RATIO = 64

/**
 * One scale for every bar of a table, so bars are comparable: it holds 1 ± 3·noise (symmetric in log), every ratio and every
 * interval bound, with 8% padding in log space, clamped to [1/64, 64] (beyond, a bar is cut at the edge).
 */
export function ratioScale(metrics: readonly Pick<MetricComparison, 'ratio' | 'ciLow' | 'ciHigh'>[], noise: number): RatioScale {
  let hi = Math.log(1 + 3 * noise)
  let lo = -hi
  for (const m of metrics) {
    for (const v of [m.ratio, m.ciLow, m.ciHigh]) {
      if (v === null || !Number.isFinite(v) || v <= 0) continue
      lo = Math.min(lo, Math.log(v))
      hi = Math.max(hi, Math.log(v))
    }
  }
  const pad = (hi - lo) * 0.08
  return { lo: Math.max(MIN_RATIO, Math.exp(lo - pad)), hi: Math.min(MAX_RATIO, Math.exp(hi + pad)) }
}

/** A ratio's position on the (log) scale, 0..1, clamped; ratios of 0 or less sit at the left edge. */
export function ratioPosition(ratio: number, scale: RatioScale): number {
  const span = Math.log(scale.hi) - Math.log(scale.lo)
  if (!(span > 0)) return 0.5
  if (!(ratio > 0)) return 0
  return Math.min(1, Math.max(0, (Math.log(ratio) - Math.log(scale.lo)) / span))
}

/** Where the parts of one interval bar go, as fractions of the bar's width. */
export interface IntervalBarGeometry {
  one: number
  noiseFrom: number
  noiseTo: number
  /** The interval; null without one. */
  ci: { from: number; to: number; clippedLow: boolean; clippedHigh: boolean } | null
  /** The point ratio; null when undefined. */
  point: number | null
}

export function intervalBarGeometry(
  m: Pick<MetricComparison, 'ratio' | 'ciLow' | 'ciHigh'>,
  noise: number,
  scale: RatioScale,
): IntervalBarGeometry {
  const ci =
    m.ciLow !== null && m.ciHigh !== null && Number.isFinite(m.ciLow) && Number.isFinite(m.ciHigh)
      ? {
          from: ratioPosition(m.ciLow, scale),
          to: ratioPosition(m.ciHigh, scale),
          clippedLow: m.ciLow < scale.lo,
          clippedHigh: m.ciHigh > scale.hi,
        }
      : null
  return {
    one: ratioPosition(1, scale),
    noiseFrom: ratioPosition(1 - noise, scale),
    noiseTo: ratioPosition(1 + noise, scale),
    ci,
    point: m.ratio !== null && Number.isFinite(m.ratio) ? ratioPosition(m.ratio, scale) : null,
  }
}

/** Histograms of several runs over the same log-spaced bins, so their bars line up. */
export interface SharedHistograms {
  /** Bin edges in ns, ascending (bins + 1 of them). */
  edges: number[]
  /** Geometric bin centres (the x of each bar on a log axis). */
  centers: number[]
  /** Per run, the share of its samples in each bin (0..1), so runs of different lengths compare. */
  shares: number[][]
  totals: number[]
}

export function sharedLogHistograms(
  samples: readonly (ArrayLike<number> | undefined)[],
  binsPerDecade = 16,
  maxBins = 120,
): SharedHistograms {
  let lo = Infinity
  let hi = -Infinity
  for (const s of samples) {
    if (!s) continue
    for (let i = 0; i < s.length; i++) {
      const v = s[i] as number
      if (!(v > 0) || !Number.isFinite(v)) continue
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
  }
  if (!Number.isFinite(lo)) return { edges: [], centers: [], shares: samples.map(() => []), totals: samples.map(() => 0) }
  let logLo = Math.log10(lo)
  let logHi = Math.log10(hi)
  if (logHi - logLo < 1e-9) {
    logLo -= 0.02
    logHi += 0.02
  }
  const bins = Math.max(1, Math.min(maxBins, Math.ceil((logHi - logLo) * binsPerDecade)))
  const step = (logHi - logLo) / bins
  const edges = Array.from({ length: bins + 1 }, (_, i) => 10 ** (logLo + i * step))
  const centers = Array.from({ length: bins }, (_, i) => Math.sqrt((edges[i] as number) * (edges[i + 1] as number)))
  const totals: number[] = []
  const shares = samples.map((s) => {
    const counts = new Array<number>(bins).fill(0)
    let total = 0
    if (s) {
      for (let i = 0; i < s.length; i++) {
        const v = s[i] as number
        if (!(v > 0) || !Number.isFinite(v)) continue
        const bin = Math.min(bins - 1, Math.max(0, Math.floor((Math.log10(v) - logLo) / step)))
        counts[bin] = (counts[bin] as number) + 1
        total++
      }
    }
    totals.push(total)
    return total > 0 ? counts.map((c) => c / total) : counts
  })
  return { edges, centers, shares, totals }
}

export type AlignedField = 'cpuPct' | 'rssBytes'

function fieldValue(sample: TimelineSample, field: AlignedField): number | null {
  if (field === 'rssBytes') return sample.rssBytes ? sample.rssBytes : null
  if (sample.cpuUserPct === undefined && sample.cpuSystemPct === undefined) return null
  return (sample.cpuUserPct ?? 0) + (sample.cpuSystemPct ?? 0)
}

/**
 * Timelines of several runs on one time axis (seconds since each run's start), in uPlot's aligned-columns
 * shape: x is the sorted union of sample times, and each run has a value where it sampled, null elsewhere.
 */
export function alignTimelines(timelines: readonly (readonly TimelineSample[])[], field: AlignedField): [number[], ...(number | null)[][]] {
  const times = new Set<number>()
  for (const tl of timelines) for (const s of tl) if (fieldValue(s, field) !== null) times.add(Math.round(s.tMs) / 1000)
  const x = [...times].sort((a, b) => a - b)
  const index = new Map(x.map((t, i) => [t, i]))
  const series = timelines.map((tl) => {
    const col = new Array<number | null>(x.length).fill(null)
    for (const s of tl) {
      const v = fieldValue(s, field)
      if (v === null) continue
      col[index.get(Math.round(s.tMs) / 1000) as number] = v
    }
    return col
  })
  return [x, ...series]
}

/** A series colour per run, baseline first; cycles past the palette. */
export const RUN_COLORS = ['#64748b', '#6366f1', '#059669', '#d97706', '#db2777', '#0891b2', '#7c3aed', '#65a30d'] as const

export function runColor(index: number): string {
  return RUN_COLORS[index % RUN_COLORS.length] as string
}
