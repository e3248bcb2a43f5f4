import { describe, expect, it } from 'vitest'
import { type ParamValues, workloadDescriptorSchema } from '../../../core/model/workload.js'
import { digestAnswer } from '../../../workloads/data/digest.js'
import { type PortfolioInput, type PortfolioSummary, TRADING_DAYS, generatePortfolio } from '../../../workloads/portfolio/generate.js'
import { descriptor, workload } from '../../../workloads/portfolio/index.js'
import { analyzePortfolioNaive, buildNaivePortfolio } from '../../../workloads/portfolio/naive.js'
import { PortfolioAnalyzer } from '../../../workloads/portfolio/optimized.js'

function params(overrides: ParamValues = {}): ParamValues {
  const out: ParamValues = {}
  for (const [name, spec] of Object.entries(descriptor.params)) out[name] = spec.default
  return { ...out, ...overrides }
}

async function answerOf(variant: string, seed: number, overrides: ParamValues): Promise<PortfolioSummary[]> {
  const inst = await workload.create({ variant, params: params(overrides), seed })
  return (await inst.answer()) as PortfolioSummary[]
}

/** The statistics both variants report, for one snapshot: [naive, optimized]. */
function analyzeBoth(input: PortfolioInput, snapshot: number) {
  const naive = analyzePortfolioNaive(buildNaivePortfolio(input), snapshot)
  const typed = new PortfolioAnalyzer(input)
  typed.analyze(snapshot)
  const n = input.symbols.length
  return [
    {
      nav: naive.nav,
      gross: naive.grossExposure,
      net: naive.netExposure,
      beta: naive.beta,
      vol: naive.volatilityDaily,
      sharpe: naive.sharpe,
      rcSum: naive.riskContributionSum,
      rc: input.symbols.map((s) => naive.riskContributions.find((r) => r.symbol === s)!.contribution),
      cov: (i: number, j: number) => naive.covariance[i]![j]!,
      top: naive.riskContributions.slice(0, 3).map((r) => r.symbol),
    },
    {
      nav: typed.nav,
      gross: typed.grossExposure,
      net: typed.netExposure,
      beta: typed.beta,
      vol: typed.volatilityDaily,
      sharpe: typed.sharpe,
      rcSum: typed.riskContributionSum,
      rc: Array.from(typed.contribution),
      cov: (i: number, j: number) => typed.covariance[i * n + j]!,
      top: Array.from(typed.top)
        .filter((i) => i >= 0)
        .map((i) => input.symbols[i]!),
    },
  ]
}

/**
 * Two assets over four days, index = asset ONE. Demeaned returns are (0.02, 0, −0.02, 0) and
 * (0.01, 0.01, −0.01, −0.01), so with n − 1 = 3: σ1² = 8e-4/3, σ2² = 4e-4/3, σ12 = 4e-4/3.
 */
function twoAssets(quantities: [number, number], cash: number, riskFreeRate: number): PortfolioInput {
  const one = [0.021, 0.001, -0.019, 0.001]
  return {
    symbols: ['ONE', 'TWO'],
    quantities,
    cash,
    riskFreeRate,
    historyDays: 4,
    snapshots: 1,
    assetReturns: [one, [0.011, 0.011, -0.009, -0.009]],
    indexReturns: one,
    prices: [[100, 50]],
  }
}

describe('portfolio analytics, closed form', () => {
  const s11 = 8e-4 / 3
  const s22 = 4e-4 / 3
  const s12 = 4e-4 / 3

  it('matches w1²σ1² + 2w1w2σ12 + w2²σ2², the betas and the Sharpe ratio for a long-only pair', () => {
    // 60 × $100 and 80 × $50, no cash: weights 0.6 and 0.4.
    const [w1, w2] = [0.6, 0.4]
    const variance = w1 * w1 * s11 + 2 * w1 * w2 * s12 + w2 * w2 * s22
    const vol = Math.sqrt(variance)
    for (const a of analyzeBoth(twoAssets([60, 80], 0, 0.0252), 0)) {
      expect(a.nav).toBe(10_000)
      expect(a.gross).toBeCloseTo(1, 14)
      expect(a.net).toBeCloseTo(1, 14)
      expect(a.cov(0, 0)).toBeCloseTo(s11, 16)
      expect(a.cov(0, 1)).toBeCloseTo(s12, 16)
      expect(a.cov(1, 0)).toBe(a.cov(0, 1))
      expect(a.cov(1, 1)).toBeCloseTo(s22, 16)
      expect(a.vol).toBeCloseTo(vol, 14)
      expect(a.vol).toBeCloseTo(0.0134660066, 10)
      // β_ONE = 1 (it is the index), β_TWO = σ12/σ1² = 0.5.
      expect(a.beta).toBeCloseTo(0.6 * 1 + 0.4 * 0.5, 13)
      // RC_i = w_i (Σw)_i / σ_p.
      expect(a.rc[0]).toBeCloseTo((w1 * (w1 * s11 + w2 * s12)) / vol, 14)
      expect(a.rc[1]).toBeCloseTo((w2 * (w1 * s12 + w2 * s22)) / vol, 14)
      expect(a.rcSum).toBeCloseTo(vol, 15)
      expect(a.top).toEqual(['ONE', 'TWO'])
      // Portfolio mean 0.001 a day against a risk-free 0.0252/252 = 0.0001.
      expect(a.sharpe).toBeCloseTo(((0.001 - 0.0001) / vol) * Math.sqrt(252), 10)
    }
  })

  it('handles cash and a short: weights of NAV, gross and net exposure, a hedged variance', () => {
    // 60 × $100 long, 80 × $50 short, $18,000 cash: NAV 20,000, weights 0.3 and −0.2.
    const [w1, w2] = [0.3, -0.2]
    const vol = Math.sqrt(w1 * w1 * s11 + 2 * w1 * w2 * s12 + w2 * w2 * s22)
    for (const a of analyzeBoth(twoAssets([60, -80], 18_000, 0), 0)) {
      expect(a.nav).toBe(20_000)
      expect(a.gross).toBeCloseTo(0.5, 14)
      expect(a.net).toBeCloseTo(0.1, 14)
      expect(a.beta).toBeCloseTo(0.3 - 0.2 * 0.5, 13)
      expect(a.vol).toBeCloseTo(vol, 14)
      expect(a.rcSum).toBeCloseTo(vol, 15)
      expect(a.sharpe).toBeCloseTo((0.0001 / vol) * Math.sqrt(252), 10)
    }
  })
})

describe('portfolio analytics against brute force on seeded portfolios', () => {
  const input = generatePortfolio(7, 23, 60, 0.03)

  /** Straight from the definitions, on the portfolio's own daily return series. */
  function bruteForce(k: number) {
    const T = input.historyDays
    const mv = input.quantities.map((q, i) => q * input.prices[k]![i]!)
    const nav = input.cash + mv.reduce((a, b) => a + b, 0)
    const w = mv.map((v) => v / nav)
    const rp = Array.from({ length: T }, (_, t) => w.reduce((s, wi, i) => s + wi * input.assetReturns[i]![k + t]!, 0))
    const m = input.indexReturns.slice(k, k + T)
    const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
    const cov = (xs: number[], ys: number[]): number => xs.reduce((s, x, t) => s + (x - avg(xs)) * (ys[t]! - avg(ys)), 0) / (xs.length - 1)
    const vol = Math.sqrt(cov(rp, rp))
    return {
      w,
      gross: w.reduce((s, x) => s + Math.abs(x), 0),
      net: w.reduce((s, x) => s + x, 0),
      vol,
      // The portfolio beta is the regression slope of its returns on the index: Σ w_i β_i by linearity.
      beta: cov(rp, m) / cov(m, m),
      sharpe: ((avg(rp) - input.riskFreeRate / TRADING_DAYS) / vol) * Math.sqrt(TRADING_DAYS),
      cov01: cov(input.assetReturns[0]!.slice(k, k + T), input.assetReturns[1]!.slice(k, k + T)),
    }
  }

  it('agrees on σ_p, beta, Sharpe, exposures and covariance entries; risk contributions add up to σ_p', () => {
    expect(input.quantities.some((q) => q < 0)).toBe(true)
    for (const k of [0, 7, 15]) {
      const ref = bruteForce(k)
      for (const a of analyzeBoth(input, k)) {
        expect(a.vol / ref.vol).toBeCloseTo(1, 12)
        expect(a.beta / ref.beta).toBeCloseTo(1, 11)
        expect(a.sharpe / ref.sharpe).toBeCloseTo(1, 10)
        expect(a.gross).toBeCloseTo(ref.gross, 13)
        expect(a.net).toBeCloseTo(ref.net, 13)
        expect(a.cov(0, 1) / ref.cov01).toBeCloseTo(1, 12)
        expect(a.rcSum / a.vol).toBeCloseTo(1, 13)
        const ranked = input.symbols.map((s, i) => [s, a.rc[i]!] as const).sort((x, y) => y[1] - x[1])
        expect(a.top).toEqual(ranked.slice(0, 3).map((r) => r[0]))
      }
    }
  })

  it('produces bit-identical statistics from both variants', () => {
    for (const k of [0, 9]) {
      const [naive, typed] = analyzeBoth(input, k)
      for (const key of ['nav', 'gross', 'net', 'beta', 'vol', 'sharpe', 'rcSum'] as const) expect(typed![key], key).toBe(naive![key])
      expect(typed!.rc).toEqual(naive!.rc)
    }
  })
})

describe('portfolio workload', () => {
  const small = { positions: 20, historyDays: 60 }

  it('has a valid descriptor whose default variant is the naive one', () => {
    expect(() => workloadDescriptorSchema.parse(descriptor)).not.toThrow()
    expect(descriptor.variants.find((v) => v.id === descriptor.defaultVariant)?.role).toBe('naive')
  })

  it('gives the same answer from both variants for several seeds, and another for another seed', async () => {
    const digests: string[] = []
    for (const seed of [1, 2, 3]) {
      const naive = await answerOf('naive', seed, small)
      expect(naive).toHaveLength(16)
      expect(naive[0]!.riskContributionSum / naive[0]!.volatilityDaily).toBeCloseTo(1, 9)
      expect(digestAnswer(await answerOf('optimized', seed, small)), `seed ${seed}`).toBe(digestAnswer(naive))
      digests.push(digestAnswer(naive))
    }
    expect(new Set(digests).size).toBe(3)
  })

  it('iterates every variant through all snapshots and answers the same afterwards', async () => {
    for (const v of descriptor.variants) {
      const inst = await workload.create({ variant: v.id, params: params(small), seed: 5 })
      expect(inst.opsPerIteration).toBe(1)
      const before = digestAnswer(await inst.answer())
      for (let i = 0; i < 20; i++) await inst.iterate()
      expect(digestAnswer(await inst.answer()), v.id).toBe(before)
    }
  })
})
