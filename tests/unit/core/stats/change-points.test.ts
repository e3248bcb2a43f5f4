import { describe, expect, it } from 'vitest'
import { bestSplit, detectChangePoints, MIN_TREND_POINTS } from '../../../../core/stats/change-points.js'
import { createStatsRng } from '../../../../core/stats/rng.js'

/** Gaussian noise from the seeded stream (Box–Muller). */
function gaussian(rng: ReturnType<typeof createStatsRng>): number {
  const u = Math.max(rng.next(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next())
}

/** A series of per-commit medians: multiplicative noise with coefficient of variation `cv`, a step at `at`. */
function series(n: number, seed: number, opts: { cv: number; at?: number; step?: number; heavy?: boolean }): number[] {
  const rng = createStatsRng(seed)
  return Array.from({ length: n }, (_, i) => {
    let z = gaussian(rng)
    // Heavy tails: one point in ten from a distribution three times as wide (a noisy neighbour).
    if (opts.heavy && rng.next() < 0.1) z *= 3
    const level = opts.at !== undefined && i >= opts.at ? 1 + (opts.step ?? 0) : 1
    return 1000 * level * Math.exp(opts.cv * z)
  })
}

describe('bestSplit', () => {
  it('puts the split of an obvious step exactly at the step', () => {
    const v = [1, 1.1, 0.9, 1, 5, 5.1, 4.9, 5]
    const n = v.length
    const d = new Float64Array(n * n)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = Math.abs(v[i]! - v[j]!)
    expect(bestSplit(d, n, Uint32Array.from({ length: n }, (_, i) => i), 2).tau).toBe(4)
  })
})

describe('detectChangePoints (E-divisive means with a permutation test)', () => {
  it('finds one change point at a planted 15% step in 20 noisy points, with the medians on each side', () => {
    const s = series(20, 7, { cv: 0.04, at: 12, step: 0.15 })
    const cps = detectChangePoints(s)
    expect(cps).toHaveLength(1)
    expect(cps[0]!.index).toBe(12)
    expect(cps[0]!.ratio).toBeGreaterThan(1.08)
    expect(cps[0]!.ratio).toBeLessThan(1.25)
    expect(cps[0]!.pValue).toBeLessThanOrEqual(0.01)
  })

  it('claims nothing on fewer than 4 points, even with a huge jump', () => {
    expect(MIN_TREND_POINTS).toBe(4)
    expect(detectChangePoints([1, 1, 100])).toEqual([])
  })

  it('finds two steps (up, then back down)', () => {
    const s = series(36, 3, { cv: 0.03 }).map((v, i) => (i >= 12 && i < 24 ? v * 1.3 : v))
    const idx = detectChangePoints(s).map((c) => c.index)
    expect(idx).toEqual([12, 24])
  })

  it('false change-point rate on flat series of 20 points stays near alpha (simulation, 300 series)', () => {
    let flagged = 0
    const trials = 300
    for (let t = 0; t < trials; t++) if (detectChangePoints(series(20, 1000 + t, { cv: 0.05, heavy: t % 2 === 0 }), { seed: t }).length > 0) flagged++
    const rate = flagged / trials
    // alpha = 0.01: the binomial 99.9% upper bound for 300 trials is about 0.04.
    expect(rate).toBeLessThan(0.04)
  })

  it('detects a 15% step at the right index in most noisy series (power, 100 series, cv 5%)', () => {
    let exact = 0
    let near = 0
    const trials = 100
    for (let t = 0; t < trials; t++) {
      const cps = detectChangePoints(series(20, 5000 + t, { cv: 0.05, at: 10, step: 0.15 }), { seed: t })
      if (cps.length === 1 && cps[0]!.index === 10) exact++
      if (cps.some((c) => Math.abs(c.index - 10) <= 1)) near++
    }
    expect(near / trials).toBeGreaterThan(0.85)
    expect(exact / trials).toBeGreaterThan(0.6)
  })

  it('is deterministic for a seed', () => {
    const s = series(30, 11, { cv: 0.05, at: 15, step: 0.1 })
    expect(detectChangePoints(s, { seed: 5 })).toEqual(detectChangePoints(s, { seed: 5 }))
  })
})
