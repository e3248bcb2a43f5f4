import { describe, expect, it } from 'vitest'
import { computeGrowth, regressionSlope, type SeriesPoint } from '../../../../core/assert/growth.js'
import { createStatsRng as createRng } from '../../../../core/stats/rng.js'

/** Box–Muller normal from the seeded generator. */
function normal(rng: { next(): number }): number {
  const u = 1 - rng.next()
  const v = rng.next()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/** A soak-like post-GC series: base + slope·t + noise, sampled every 500 ms for 20 s. */
function series(rng: { next(): number }, slopePerSec: number, noise: number, warmup = 0): SeriesPoint[] {
  const out: SeriesPoint[] = []
  for (let t = 0; t <= 20_000; t += 500) {
    const warm = warmup * (1 - Math.exp(-t / 1000))
    out.push({ tMs: t, value: 10e6 + warm + slopePerSec * (t / 1000) + noise * normal(rng) })
  }
  return out
}

describe('regressionSlope', () => {
  it('recovers an exact line', () => {
    const pts = [0, 1000, 2000, 3000].map((t) => ({ tMs: t, value: 5 + 2 * (t / 1000) }))
    const r = regressionSlope(pts)
    expect(r.slope).toBeCloseTo(2, 9)
    expect(r.low).toBeCloseTo(2, 6)
    expect(r.high).toBeCloseTo(2, 6)
  })
  it('95% interval covers the true slope in about 95% of simulated soaks', () => {
    const rng = createRng(7)
    const trials = 2000
    let covered = 0
    for (let i = 0; i < trials; i++) {
      const r = regressionSlope(series(rng, 50_000, 200_000))
      if (r.low! <= 50_000 && 50_000 <= r.high!) covered++
    }
    // Binomial(2000, 0.95) has sd 0.49%: 93.5–96.5% is three sd.
    expect(covered / trials).toBeGreaterThan(0.935)
    expect(covered / trials).toBeLessThan(0.965)
  })
})

describe('computeGrowth', () => {
  it('reports growth from the first to the last quarter', () => {
    const pts = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({ tMs: i * 1000, value: i < 3 ? 100 : 150 }))
    const g = computeGrowth(pts)!
    expect(g.firstQuarterMean).toBe(100)
    expect(g.lastQuarterMean).toBe(150)
    expect(g.growth).toBeCloseTo(0.5, 9)
  })
  it('does not call a warming cache a leak: false-alarm rate of heapGrowth<10% on flat series is ~0', () => {
    const rng = createRng(11)
    let alarms = 0
    for (let i = 0; i < 1000; i++) {
      // 3 MB of warm-up in the first seconds, then flat, 2% noise.
      const g = computeGrowth(series(rng, 0, 200_000, 3e6))!
      if (!(g.growth < 0.1)) alarms++
    }
    expect(alarms / 1000).toBeLessThan(0.01)
  })
  it('detects a leak of 1% of the heap per second (about 15% from the first to the last quarter) in every simulated 20 s soak', () => {
    const rng = createRng(13)
    let detected = 0
    for (let i = 0; i < 1000; i++) if (!(computeGrowth(series(rng, 100_000, 200_000))!.growth < 0.1)) detected++
    expect(detected).toBe(1000)
  })
  it('is undefined with fewer than two samples', () => {
    expect(computeGrowth([{ tMs: 0, value: 1 }])).toBeUndefined()
  })
})
