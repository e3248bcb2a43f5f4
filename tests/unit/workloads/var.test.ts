import { describe, expect, it } from 'vitest'
import { type ParamValues, workloadDescriptorSchema } from '../../../core/model/workload.js'
import { digestAnswer } from '../../../workloads/data/digest.js'
import { createRng } from '../../../workloads/data/prng.js'
import { type VarAnswer, descriptor, workload } from '../../../workloads/var/index.js'
import { riskFromLossesNaive, simulateChunksNaive } from '../../../workloads/var/naive.js'
import { flattenPortfolio, quickselect, riskFromLossesInPlace, simulateChunksInto } from '../../../workloads/var/optimized.js'
import { type Portfolio, choleskyLower, generatePortfolio } from '../../../workloads/var/portfolio.js'
import { chunkCount, tailCount } from '../../../workloads/var/risk.js'

function params(overrides: ParamValues = {}): ParamValues {
  const out: ParamValues = {}
  for (const [name, spec] of Object.entries(descriptor.params)) out[name] = spec.default
  return { ...out, ...overrides }
}

async function answerOf(variant: string, seed: number, overrides: ParamValues): Promise<VarAnswer> {
  const inst = await workload.create({ variant, params: params(overrides), seed })
  try {
    return (await inst.answer()) as VarAnswer
  } finally {
    await inst.close?.()
  }
}

/** Standard normal CDF from Abramowitz & Stegun 7.1.26 for erfc (absolute error < 1.5e-7, ample here). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * z)
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z)
  return x >= 0 ? 1 - erfc / 2 : erfc / 2
}
const normalPdf = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)
const Z = { 95: 1.6448536269514722, 99: 2.3263478740408408 } as const

/**
 * One position of value V whose log return over the horizon is N(0, s²): loss = V(1 − e^X).
 * VaR_a = V(1 − e^(−z_a s)); CVaR_a = V(1 − e^(s²/2) Φ(−z_a − s) / (1 − a)).
 */
function lognormalRisk(value: number, s: number, level: 95 | 99): { v: number; cv: number } {
  const z = Z[level]
  const tail = 1 - level / 100
  return { v: value * (1 - Math.exp(-z * s)), cv: value * (1 - (Math.exp((s * s) / 2) * normalCdf(-z - s)) / tail) }
}

/**
 * Standard errors of the empirical VaR and CVaR of n normal(0, σ) losses, from the asymptotics of order
 * statistics and of the tail mean: se(q) = σ√(p(1−p)/n)/φ(z); se(ES) ≈ σ√((v + p·(e − z)²)/(n(1−p))),
 * with e = φ(z)/(1−p) and v = 1 + z·e − e² the variance of the tail.
 */
function standardErrors(sigma: number, n: number, level: 95 | 99): { v: number; cv: number } {
  const z = Z[level]
  const p = level / 100
  const e = normalPdf(z) / (1 - p)
  const tailVar = 1 + z * e - e * e
  return {
    v: (sigma * Math.sqrt((p * (1 - p)) / n)) / normalPdf(z),
    cv: sigma * Math.sqrt((tailVar + p * (e - z) ** 2) / (n * (1 - p))),
  }
}

function estimateBoth(seed: number, portfolio: Portfolio, paths: number, horizonDays: number) {
  const naive = riskFromLossesNaive(simulateChunksNaive(seed, portfolio, paths, horizonDays, 0, chunkCount(paths)))
  const losses = new Float64Array(paths)
  simulateChunksInto(seed, flattenPortfolio(portfolio), paths, horizonDays, 0, chunkCount(paths), losses)
  return [naive, riskFromLossesInPlace(losses)] as const
}

describe('var against analytic references', () => {
  it('matches the exact lognormal VaR and CVaR of a single asset, 1-day and 10-day', () => {
    for (const horizonDays of [1, 10]) {
      const portfolio = generatePortfolio(3, 1)
      const value = portfolio.values[0]!
      const s = portfolio.dailyVol[0]! * Math.sqrt(horizonDays)
      const paths = 200_000
      for (const estimate of estimateBoth(17, portfolio, paths, horizonDays)) {
        for (const level of [95, 99] as const) {
          const exact = lognormalRisk(value, s, level)
          const se = standardErrors(value * s, paths, level)
          const got = level === 95 ? { v: estimate.var95, cv: estimate.cvar95 } : { v: estimate.var99, cv: estimate.cvar99 }
          expect(Math.abs(got.v - exact.v), `VaR${level} h=${horizonDays}: ${got.v} vs ${exact.v}`).toBeLessThan(4 * se.v)
          expect(Math.abs(got.cv - exact.cv), `CVaR${level} h=${horizonDays}: ${got.cv} vs ${exact.cv}`).toBeLessThan(4 * se.cv)
        }
      }
    }
  })

  it('is close to the normal rule of thumb: VaR95 ≈ 1.645σV, VaR99 ≈ 2.326σV, CVaR95 ≈ σV·φ(1.645)/0.05', async () => {
    const answer = await answerOf('optimized', 8, { assets: 1, paths: 200_000, horizonDays: 1 })
    const sigmaValue = generatePortfolio(8, 1).dailyVol[0]! * answer.portfolioValue
    // Lognormal losses are bounded by V and skewed, so allow a few percent beyond the Monte Carlo error.
    expect(answer.var95 / (1.645 * sigmaValue)).toBeGreaterThan(0.95)
    expect(answer.var95 / (1.645 * sigmaValue)).toBeLessThan(1.02)
    expect(answer.var99 / (2.326 * sigmaValue)).toBeGreaterThan(0.95)
    expect(answer.var99 / (2.326 * sigmaValue)).toBeLessThan(1.02)
    expect(answer.cvar95 / ((sigmaValue * normalPdf(1.645)) / 0.05)).toBeGreaterThan(0.95)
    expect(answer.cvar95 / ((sigmaValue * normalPdf(1.645)) / 0.05)).toBeLessThan(1.02)
  })

  it('matches delta-normal VaR for a correlated portfolio of small daily moves', () => {
    // Hand-made: three positions, 0.1% daily vol (second-order terms ~1e-3 of the loss), strong correlations.
    const vol = [0.001, 0.0015, 0.0008]
    const corr = [
      [1, 0.6, -0.3],
      [0.6, 1, 0.2],
      [-0.3, 0.2, 1],
    ]
    const covariance = corr.map((row, i) => row.map((c, j) => c * vol[i]! * vol[j]!))
    const values = [1_000_000, 500_000, 2_000_000]
    const portfolio: Portfolio = { assets: 3, values, dailyVol: vol, correlation: corr, covariance, cholesky: choleskyLower(covariance) }
    const sigmaP = Math.sqrt(values.reduce((a, vi, i) => a + values.reduce((b, vj, j) => b + vi * vj * covariance[i]![j]!, 0), 0))
    const paths = 100_000
    for (const estimate of estimateBoth(23, portfolio, paths, 1)) {
      for (const level of [95, 99] as const) {
        const se = standardErrors(sigmaP, paths, level)
        const got = level === 95 ? { v: estimate.var95, cv: estimate.cvar95 } : { v: estimate.var99, cv: estimate.cvar99 }
        const cvar = (sigmaP * normalPdf(Z[level])) / (1 - level / 100)
        expect(Math.abs(got.v - Z[level] * sigmaP), `VaR${level}`).toBeLessThan(4 * se.v + 0.005 * sigmaP)
        expect(Math.abs(got.cv - cvar), `CVaR${level}`).toBeLessThan(4 * se.cv + 0.005 * sigmaP)
      }
    }
  })
})

describe('var building blocks', () => {
  it('factors the generated covariance: L·Lᵀ reproduces it, L is lower triangular, correlations are valid', () => {
    const p = generatePortfolio(12, 8)
    for (let i = 0; i < 8; i++) {
      expect(p.correlation[i]![i]).toBe(1)
      for (let j = 0; j < 8; j++) {
        expect(p.correlation[i]![j]).toBeCloseTo(p.correlation[j]![i]!, 15)
        expect(Math.abs(p.correlation[i]![j]!)).toBeLessThanOrEqual(1)
        if (j > i) expect(p.cholesky[i]![j]).toBe(0)
        let llt = 0
        for (let k = 0; k < 8; k++) llt += p.cholesky[i]![k]! * p.cholesky[j]![k]!
        expect(Math.abs(llt - p.covariance[i]![j]!)).toBeLessThan(1e-15)
      }
    }
    expect(() =>
      choleskyLower([
        [1, 2],
        [2, 1],
      ]),
    ).toThrow(/not positive definite/)
  })

  it('counts the tail in exact integer arithmetic', () => {
    expect(tailCount(10_000, 95)).toBe(500)
    expect(tailCount(10_000, 99)).toBe(100)
    expect(tailCount(10_001, 95)).toBe(501)
    expect(tailCount(100, 99)).toBe(1)
  })

  it('quickselect puts the k-th smallest in place, with smaller before and larger after', () => {
    const rng = createRng(5)
    for (let trial = 0; trial < 200; trial++) {
      const n = rng.int(1, 300)
      // Few distinct values in half the trials: duplicates are the hard case for partitioning.
      const a = Float64Array.from({ length: n }, () => (trial % 2 === 0 ? rng.int(0, 5) : rng.normal()))
      const sorted = Array.from(a).sort((x, y) => x - y)
      const k = rng.int(0, n - 1)
      quickselect(a, k, 0, n - 1)
      expect(a[k]).toBe(sorted[k])
      for (let i = 0; i < k; i++) expect(a[i]!).toBeLessThanOrEqual(a[k]!)
      for (let i = k + 1; i < n; i++) expect(a[i]!).toBeGreaterThanOrEqual(a[k]!)
    }
  })

  it('simulates the same loss for every path in both variants, bit for bit', () => {
    const p = generatePortfolio(2, 6)
    const naive = simulateChunksNaive(2, p, 3000, 3, 0, chunkCount(3000))
    const losses = new Float64Array(3000)
    simulateChunksInto(2, flattenPortfolio(p), 3000, 3, 0, chunkCount(3000), losses)
    expect(Array.from(losses)).toEqual(naive)
  })
})

describe('var workload', () => {
  it('has a valid descriptor whose default variant is the naive one', () => {
    expect(() => workloadDescriptorSchema.parse(descriptor)).not.toThrow()
    expect(descriptor.variants.find((v) => v.id === descriptor.defaultVariant)?.role).toBe('naive')
  })

  it('gives the same answer from both variants for several seeds, and another for another seed', async () => {
    const small = { paths: 5000, assets: 5, horizonDays: 2 }
    const digests: string[] = []
    for (const seed of [1, 2, 3]) {
      const naive = digestAnswer(await answerOf('naive', seed, small))
      expect(digestAnswer(await answerOf('optimized', seed, small)), `seed ${seed}`).toBe(naive)
      digests.push(naive)
    }
    expect(new Set(digests).size).toBe(3)
    expect(digestAnswer(await answerOf('naive', 3, small))).toBe(digests[2])
  })

  it('iterates every variant and answers the same after iterating', async () => {
    for (const v of descriptor.variants) {
      const inst = await workload.create({ variant: v.id, params: params({ paths: 2000 }), seed: 1 })
      const before = digestAnswer(await inst.answer())
      for (let i = 0; i < 3; i++) await inst.iterate()
      expect(digestAnswer(await inst.answer())).toBe(before)
      await inst.close?.()
    }
  })

  it('gives the same answer with 2 worker threads as in-thread, for both variants', async () => {
    const small = { paths: 5000, assets: 4, horizonDays: 2 }
    for (const variant of ['naive', 'optimized']) {
      const inst = await workload.create({ variant, params: params({ ...small, workers: 2 }), seed: 6 })
      try {
        await inst.iterate()
        expect(digestAnswer(await inst.answer()), variant).toBe(digestAnswer(await answerOf(variant, 6, small)))
      } finally {
        await inst.close?.()
      }
    }
  })
})
