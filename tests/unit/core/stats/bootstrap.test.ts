import { describe, expect, it } from 'vitest'
import {
  bootstrapRatioCI,
  bootstrapRatioCIs,
  statisticQuantile,
  thinSorted,
  type BootstrapStatistic,
} from '../../../../core/stats/bootstrap.js'
import { createStatsRng } from '../../../../core/stats/rng.js'
import { mean, quantileSorted } from '../../../../core/stats/summarize.js'
import { logNormalSamples, normalSamples } from './sample-data.js'

/**
 * The obvious slow bootstrap: sort every resample. Same PRNG stream as the real one (candidate drawn
 * first, then baseline, n indices each), so the intervals must agree exactly.
 */
function slowPercentileBootstrap(baseline: number[], candidate: number[], statistic: BootstrapStatistic, resamples: number, seed: number) {
  const q = statisticQuantile(statistic)
  const b = Float64Array.from(baseline).sort()
  const c = Float64Array.from(candidate).sort()
  const rng = createStatsRng(seed)
  const stat = (data: Float64Array): number => {
    const idx = new Uint32Array(data.length)
    rng.fillBelow(idx, data.length)
    const resample = Float64Array.from(idx, (i) => data[i] as number).sort()
    return q === undefined ? mean(resample) : quantileSorted(resample, q)
  }
  const ratios: number[] = []
  for (let r = 0; r < resamples; r++) {
    const sc = stat(c)
    ratios.push(sc / stat(b))
  }
  const sorted = Float64Array.from(ratios).sort()
  return { low: quantileSorted(sorted, 0.025), high: quantileSorted(sorted, 0.975) }
}

describe('bootstrapRatioCI', () => {
  const base = normalSamples(500, 1000, 0.05, 11)

  it('gives a ratio of 1 and an interval around it for identical samples', () => {
    const ci = bootstrapRatioCI(base, [...base])
    expect(ci.estimate).toBe(1)
    expect(ci.low).toBeLessThan(1)
    expect(ci.high).toBeGreaterThan(1)
    expect(ci.high - ci.low).toBeLessThan(0.02)
  })

  it('finds a planted 20% shift with an interval that excludes 1 and contains 1.2', () => {
    const shifted = normalSamples(500, 1200, 0.05, 12)
    for (const statistic of ['mean', 'median', 'p95'] as const) {
      const ci = bootstrapRatioCI(base, shifted, { statistic })
      expect(ci.low, statistic).toBeGreaterThan(1.15)
      expect(ci.high, statistic).toBeLessThan(1.25)
      expect(ci.low).toBeLessThanOrEqual(ci.estimate)
      expect(ci.high).toBeGreaterThanOrEqual(ci.estimate)
    }
  })

  it('is deterministic for a fixed seed and varies with the seed', () => {
    const other = normalSamples(300, 1050, 0.1, 13)
    const a = bootstrapRatioCI(base, other, { seed: 1 })
    const b = bootstrapRatioCI(base, other, { seed: 1 })
    const c = bootstrapRatioCI(base, other, { seed: 2 })
    expect(b).toEqual(a)
    expect(c.low).not.toBe(a.low)
    expect(Math.abs(c.low - a.low)).toBeLessThan(0.01)
  })

  it.each(['mean', 'median', 'p90', 'p95', 'p99', { quantile: 0.37 }] as BootstrapStatistic[])(
    'agrees exactly with the slow sort-every-resample bootstrap for %j',
    (statistic) => {
      // Integer samples with ties stress the counting walk over order statistics.
      const b = normalSamples(120, 50, 0.2, 21)
      const c = normalSamples(90, 55, 0.2, 22)
      const fast = bootstrapRatioCI(b, c, { statistic, resamples: 300, seed: 5 })
      const slow = slowPercentileBootstrap(b, c, statistic, 300, 5)
      expect(fast.low).toBeCloseTo(slow.low, 12)
      expect(fast.high).toBeCloseTo(slow.high, 12)
    },
  )

  it('computes several statistics from one set of resamples with the same answers as one at a time', () => {
    const b = normalSamples(200, 800, 0.1, 31)
    const c = normalSamples(200, 760, 0.1, 32)
    const [m, p50, p99] = bootstrapRatioCIs(b, c, ['mean', 'median', 'p99'], { seed: 9 })
    // One at a time draws the same stream, so the mean (same draws) must match exactly.
    expect(m).toEqual(bootstrapRatioCI(b, c, { statistic: 'mean', seed: 9 }))
    expect(p50).toEqual(bootstrapRatioCI(b, c, { statistic: 'median', seed: 9 }))
    expect(p99).toEqual(bootstrapRatioCI(b, c, { statistic: 'p99', seed: 9 }))
  })

  it('caps resamples and sample counts', () => {
    const big = normalSamples(30_000, 1000, 0.05, 41)
    const ci = bootstrapRatioCI(big, big, { resamples: 1e9, maxSamples: 5000 })
    expect(ci.resamples).toBe(10_000)
    expect(ci.baselineCount).toBe(5000)
    expect(ci.candidateCount).toBe(5000)
    expect(ci.estimate).toBeCloseTo(1, 3)
  })

  it('reports an undefined ratio instead of dividing by zero', () => {
    expect(() => bootstrapRatioCI([0, 0, 0], [1, 2, 3])).toThrow(/baseline mean is 0/)
    expect(() => bootstrapRatioCI([], [1])).toThrow(RangeError)
    const [r] = bootstrapRatioCIs([0, 0, 0, 0], [1, 2, 3], ['median'])
    expect(r).toEqual({ error: expect.stringMatching(/median is 0/) })
  })

  it('BCa is close to the percentile interval for symmetric data, and falls back when undefined', () => {
    const b = normalSamples(400, 1000, 0.05, 51)
    const c = normalSamples(400, 1100, 0.05, 52)
    const pct = bootstrapRatioCI(b, c, { method: 'percentile' })
    const bca = bootstrapRatioCI(b, c, { method: 'bca' })
    expect(bca.method).toBe('bca')
    expect(Math.abs(bca.low - pct.low)).toBeLessThan(0.005)
    expect(Math.abs(bca.high - pct.high)).toBeLessThan(0.005)
    // Constant data: every resample equals the estimate, the interval collapses onto it.
    expect(bootstrapRatioCI([5, 5, 5, 5], [6, 6, 6, 6], { method: 'bca' })).toMatchObject({ low: 1.2, high: 1.2 })
    // Fewer than 3 samples leave no jackknife to speak of: percentile it is.
    expect(bootstrapRatioCI([5, 6], [6, 7], { method: 'bca' }).method).toBe('percentile')
  })

  it('covers the true ratio about 95% of the time on skewed (log-normal) latencies', () => {
    // A coverage check: 200 independent experiments, each a 95% interval of the ratio of means.
    // True ratio 1.2. Expected coverage 0.95 with sd ≈ 0.015; small skewed samples under-cover a little.
    const trueRatio = 1.2
    const trials = 200
    const covered = { percentile: 0, bca: 0 }
    for (let t = 0; t < trials; t++) {
      const b = logNormalSamples(40, 1000, 0.5, 1000 + t)
      const c = logNormalSamples(40, 1000 * trueRatio, 0.5, 5000 + t)
      for (const method of ['percentile', 'bca'] as const) {
        const ci = bootstrapRatioCI(b, c, { method, resamples: 1000, seed: t })
        if (ci.low <= trueRatio && trueRatio <= ci.high) covered[method]++
      }
    }
    expect(covered.percentile / trials).toBeGreaterThan(0.88)
    expect(covered.percentile / trials).toBeLessThan(0.99)
    expect(covered.bca / trials).toBeGreaterThan(0.88)
    expect(covered.bca / trials).toBeLessThan(0.99)
  })
})

describe('thinSorted', () => {
  it('keeps evenly spaced order statistics', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i)
    expect(Array.from(thinSorted(sorted, 4))).toEqual([12, 37, 62, 87])
    expect(thinSorted(sorted, 200)).toBe(sorted)
  })
})
