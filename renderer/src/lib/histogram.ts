/**
 * Log-scale latency histograms from a run's per-operation samples (ns). Bins are equal widths in
 * log10, so a 2 µs body and a 2 ms tail are both readable on one chart.
 */
import type { Nanoseconds } from '../../../core/model/units.js'

export interface LogHistogram {
  /** Bin edges in ns, ascending; bin i spans [edges[i], edges[i + 1]). The last bin includes its upper edge. */
  edges: Float64Array
  counts: Uint32Array
  /** Samples counted (non-finite samples are left out). */
  total: number
}

export interface LogHistogramOptions {
  /** Resolution in bins per factor of 10 (default 20). */
  binsPerDecade?: number
  /** Upper bound on the number of bins, for very wide ranges (default 160). */
  maxBins?: number
}

/** Bins samples on a log scale between their min and max. Samples at or below 0 go in the first bin. */
export function computeLogHistogram(samples: ArrayLike<Nanoseconds>, options: LogHistogramOptions = {}): LogHistogram {
  const binsPerDecade = options.binsPerDecade ?? 20
  const maxBins = options.maxBins ?? 160
  let lo = Infinity
  let hi = -Infinity
  let total = 0
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i] as number
    if (!Number.isFinite(v)) continue
    total++
    if (v > 0 && v < lo) lo = v
    if (v > hi) hi = v
  }
  if (total === 0) return { edges: new Float64Array(0), counts: new Uint32Array(0), total: 0 }
  if (!Number.isFinite(lo)) lo = 1
  if (hi < lo) hi = lo
  let logLo = Math.log10(lo)
  let logHi = Math.log10(hi)
  if (logHi - logLo < 1e-9) {
    // One distinct value: a single bin around it, a few percent wide, so it still draws as a bar.
    logLo -= 0.02
    logHi += 0.02
  }
  const binCount = Math.max(1, Math.min(maxBins, Math.ceil((logHi - logLo) * binsPerDecade)))
  const step = (logHi - logLo) / binCount
  const edges = new Float64Array(binCount + 1)
  for (let i = 0; i <= binCount; i++) edges[i] = 10 ** (logLo + i * step)
  const counts = new Uint32Array(binCount)
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i] as number
    if (!Number.isFinite(v)) continue
    const bin = v <= 0 ? 0 : Math.floor((Math.log10(v) - logLo) / step)
    counts[Math.min(binCount - 1, Math.max(0, bin))]! += 1
  }
  return { edges, counts, total }
}

/** The geometric centre of each bin: where a bar sits on a log axis. */
export function binCenters(h: LogHistogram): number[] {
  const out: number[] = []
  for (let i = 0; i < h.counts.length; i++) out.push(Math.sqrt((h.edges[i] as number) * (h.edges[i + 1] as number)))
  return out
}
