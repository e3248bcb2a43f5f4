import { describe, expect, it } from 'vitest'
import {
  minimumDetectableEffect,
  pairedProcessInterval,
  pairedRankInterval,
  signedRankCut,
  unpairedProcessInterval,
} from '../../../../core/stats/between-process.js'
import { createStatsRng, type StatsRng } from '../../../../core/stats/rng.js'
import { verdictFromInterval } from '../../../../core/compare/metrics.js'
import { wilsonInterval } from '../../../../core/stats/significance.js'

/** A standard normal draw (Box–Muller). */
function gauss(rng: StatsRng): number {
  const u = Math.max(1e-12, rng.next())
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next())
}

/** Student-t with 3 df (heavy tails), scaled to unit variance: a process effect with outliers. */
function heavy(rng: StatsRng): number {
  const z = gauss(rng)
  let chi = 0
  for (let i = 0; i < 3; i++) chi += gauss(rng) ** 2
  return z / Math.sqrt(chi / 3) / Math.sqrt(3)
}

/**
 * Per-process throughputs: a true level times a multiplicative process effect (JIT, layout, frequency,
 * neighbours) of `sigma` (log scale), as seen between processes on this machine (±10% ≈ sigma 0.05).
 */
function processValues(rng: StatsRng, n: number, level: number, sigma: number, draw = gauss): number[] {
  return Array.from({ length: n }, () => level * Math.exp(sigma * draw(rng)))
}

describe('unpairedProcessInterval (Welch t on per-process logs)', () => {
  it('matches a hand computation', () => {
    const b = [100, 110, 90, 105]
    const c = [120, 130, 115, 125]
    const r = unpairedProcessInterval(b, c)!
    const lb = b.map(Math.log)
    const lc = c.map(Math.log)
    const m = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length
    const v = (x: number[]) => x.reduce((s, y) => s + (y - m(x)) ** 2, 0) / (x.length - 1)
    const se = Math.sqrt(v(lb) / 4 + v(lc) / 4)
    expect(r.estimate).toBeCloseTo(Math.exp(m(lc) - m(lb)), 12)
    expect(r.seLog).toBeCloseTo(se, 12)
    expect(r.method).toBe('welch-t')
    expect(r.low).toBeLessThan(r.estimate)
    expect(r.high).toBeGreaterThan(r.estimate)
    expect(r.baselineProcesses).toBe(4)
  })

  it('gives no interval with one process per side, and a pooled one with one side single', () => {
    expect(unpairedProcessInterval([100], [120])).toBeUndefined()
    const pooled = unpairedProcessInterval([100, 104, 96, 101], [120])!
    expect(pooled.method).toBe('pooled-t')
    expect(pooled.df).toBe(3)
    expect(unpairedProcessInterval([0, 1], [1, 2])).toBeUndefined()
  })

  it.each([
    { name: 'normal', draw: gauss },
    { name: 'heavy-tailed (t3)', draw: heavy },
  ])('covers the true ratio about 95 percent of the time with $name process effects (2,000 simulated comparisons)', ({ draw }) => {
    const rng = createStatsRng(7)
    const trials = 2000
    let covered = 0
    for (let t = 0; t < trials; t++) {
      const n = 3 + (t % 8)
      const b = processValues(rng, n, 1000, 0.05, draw)
      const c = processValues(rng, n + (t % 3), 1100, 0.08, draw)
      const r = unpairedProcessInterval(b, c)!
      if (r.low <= 1.1 && 1.1 <= r.high) covered++
    }
    const rate = wilsonInterval(covered, trials)
    // Nominal 95%: the Wilson interval of the measured coverage must include values near it.
    expect(rate.high).toBeGreaterThan(0.94)
    expect(rate.low).toBeLessThan(0.965)
    expect(rate.rate).toBeGreaterThan(0.925)
  })
})

describe('pairedProcessInterval (one-sample t on per-process log-ratios)', () => {
  it('matches a hand computation and needs two processes', () => {
    const d = [0.09, 0.1, 0.095, 0.105]
    const r = pairedProcessInterval(d)!
    const mean = 0.0975
    const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / 3)
    // qt(0.975, 3) = 3.182446305284263
    expect(r.low).toBeCloseTo(Math.exp(mean - (3.182446305284263 * sd) / 2), 9)
    expect(r.high).toBeCloseTo(Math.exp(mean + (3.182446305284263 * sd) / 2), 9)
    expect(r.method).toBe('paired-t')
    expect(pairedProcessInterval([0.1])).toBeUndefined()
  })

  it('covers ≈ 95% and, on A/A, reports a change in under 5% of comparisons', () => {
    const rng = createStatsRng(11)
    const trials = 2000
    let covered = 0
    let falseAlarms = 0
    for (let t = 0; t < trials; t++) {
      // Per-process paired statistic: true log-ratio 0 (A/A) plus a between-process spread of 1%.
      const d = Array.from({ length: 10 }, () => 0.01 * heavy(rng))
      const r = pairedProcessInterval(d, { noise: 0.02 })!
      if (r.low <= 1 && 1 <= r.high) covered++
      const v = verdictFromInterval(r.low, r.high, 'higher', 0.02)
      if (v === 'improved' || v === 'regressed') falseAlarms++
    }
    expect(wilsonInterval(covered, trials).high).toBeGreaterThan(0.94)
    expect(covered / trials).toBeGreaterThan(0.925)
    expect(wilsonInterval(falseAlarms, trials).high).toBeLessThan(0.05)
  })

  it('detects a planted 10% change beyond a 5% threshold when the spread is small', () => {
    const rng = createStatsRng(13)
    let detected = 0
    for (let t = 0; t < 500; t++) {
      const d = Array.from({ length: 10 }, () => Math.log(1.1) + 0.01 * gauss(rng))
      const r = pairedProcessInterval(d)!
      if (r.low > 1.05) detected++
    }
    expect(detected / 500).toBeGreaterThan(0.95)
  })
})

describe('pairedRankInterval (Hodges–Lehmann with the Wilcoxon signed-rank interval)', () => {
  it('drops the tabulated number of Walsh averages', () => {
    // Critical values of the two-sided 5% signed-rank test (reject when W ≤ T): n = 6 → 0, 10 → 8,
    // 20 → 52, 22 → 65 (standard tables); the interval drops T + 1 averages from each end.
    expect(signedRankCut(5, 0.95)).toBe(0)
    expect(signedRankCut(6, 0.95)).toBe(1)
    expect(signedRankCut(10, 0.95)).toBe(9)
    expect(signedRankCut(20, 0.95)).toBe(53)
    expect(signedRankCut(22, 0.95)).toBe(66)
    // The normal approximation above 200 pairs agrees with the exact counts near the switch.
    const exact = signedRankCut(200, 0.95)
    const mu = (200 * 201) / 4
    const sd = Math.sqrt((200 * 201 * 401) / 24)
    expect(Math.abs(exact - (Math.floor(mu - 1.959963984540054 * sd - 0.5) + 1))).toBeLessThanOrEqual(1)
  })

  it('matches a hand computation on 6 pairs, and falls back to t below 6', () => {
    const d = [0.1, 0.12, 0.08, 0.11, 0.09, 0.3]
    const walsh: number[] = []
    for (let i = 0; i < d.length; i++) for (let j = i; j < d.length; j++) walsh.push((d[i]! + d[j]!) / 2)
    walsh.sort((a, b) => a - b)
    const r = pairedRankInterval(d)!
    expect(r.method).toBe('signed-rank')
    expect(r.estimate).toBeCloseTo(Math.exp(walsh[10]!), 12)
    expect(r.low).toBeCloseTo(Math.exp(walsh[0]!), 12)
    expect(r.high).toBeCloseTo(Math.exp(walsh[20]!), 12)
    expect(pairedRankInterval(d.slice(0, 5))!.method).toBe('paired-t')
    expect(pairedRankInterval([0.1])).toBeUndefined()
  })

  it('covers ≥ 95% on normal and heavy-tailed pairs, and on A/A reports a change in under 5%', () => {
    const rng = createStatsRng(23)
    const trials = 2000
    for (const draw of [gauss, heavy]) {
      let covered = 0
      let falseAlarms = 0
      for (let t = 0; t < trials; t++) {
        const d = Array.from({ length: 22 }, () => 0.03 * draw(rng))
        const r = pairedRankInterval(d, { noise: 0.02 })!
        if (r.low <= 1 && 1 <= r.high) covered++
        const v = verdictFromInterval(r.low, r.high, 'higher', 0.02)
        if (v === 'improved' || v === 'regressed') falseAlarms++
      }
      expect(wilsonInterval(covered, trials).high).toBeGreaterThan(0.95)
      expect(covered / trials).toBeGreaterThan(0.935)
      expect(wilsonInterval(falseAlarms, trials).high).toBeLessThan(0.05)
    }
  })

  it('keeps a planted 10% visible when a few pairs are wrecked by a neighbour, where the t-interval loses it', () => {
    const rng = createStatsRng(29)
    let rank = 0
    let t = 0
    const trials = 500
    for (let k = 0; k < trials; k++) {
      // 22 ABBA pairs, ±2% process noise; in 3 of them one process lost most of its CPU (either side).
      const d = Array.from(
        { length: 22 },
        (_, i) => Math.log(1 / 1.1) + 0.02 * gauss(rng) + (i < 3 ? (rng.next() < 0.5 ? -1 : 1) * (0.5 + rng.next()) : 0),
      )
      const r = pairedRankInterval(d, { noise: 0.02 })!
      const p = pairedProcessInterval(d, { noise: 0.02 })!
      if (verdictFromInterval(r.low, r.high, 'higher', 0.02) === 'regressed' && r.estimate < 0.95) rank++
      if (verdictFromInterval(p.low, p.high, 'higher', 0.02) === 'regressed' && p.estimate < 0.95) t++
    }
    expect(rank / trials).toBeGreaterThan(0.95)
    expect(t / trials).toBeLessThan(0.6)
  })
})

describe('minimumDetectableEffect', () => {
  it('is the noise band plus (t₀.₉₇₅ + t₀.₈) standard errors', () => {
    // qt(0.975, 9) = 2.2621571628540993, qt(0.8, 9) = 0.8834038596008467
    expect(minimumDetectableEffect(0.01, 9, 0.02)).toBeCloseTo(
      Math.exp(Math.log(1.02) + (2.2621571628540993 + 0.8834038596008467) * 0.01) - 1,
      6,
    )
    expect(minimumDetectableEffect(0.01, 0, 0.02)).toBe(Number.POSITIVE_INFINITY)
  })

  it('is what the design detects about 80% of the time (simulation)', () => {
    const rng = createStatsRng(17)
    const se = 0.02 / Math.sqrt(8)
    const mde = minimumDetectableEffect(se, 7, 0.02)
    let hits = 0
    const trials = 2000
    for (let t = 0; t < trials; t++) {
      const d = Array.from({ length: 8 }, () => Math.log(1 + mde) + 0.02 * gauss(rng))
      const r = pairedProcessInterval(d)!
      if (r.low > 1.02) hits++
    }
    // The t-based power formula is approximate (it ignores the spread of the estimated sd).
    expect(hits / trials).toBeGreaterThan(0.7)
    expect(hits / trials).toBeLessThan(0.9)
  })
})
