import { describe, expect, it } from 'vitest'
import { workloadDescriptorSchema } from '../../../core/model/workload.js'
import { digestAnswer } from '../../../workloads/data/digest.js'
import { createRng } from '../../../workloads/data/prng.js'
import { type PortfolioInput, generatePortfolio } from '../../../workloads/portfolio-next/data.js'
import { createEngine, createPortfolio, descriptor, workload } from '../../../workloads/portfolio-next/index.js'

const VARIANTS = ['objects', 'typed-arrays'] as const
const params = { positions: 20, historyDays: 120, riskFreeRate: 0.04 }

/** Sample mean and covariance written out directly, independent of both variants. */
function mean(xs: number[]): number {
  let s = 0
  for (const x of xs) s += x
  return s / xs.length
}
function cov(xs: number[], ys: number[]): number {
  const mx = mean(xs)
  const my = mean(ys)
  let s = 0
  for (let t = 0; t < xs.length; t++) s += (xs[t]! - mx) * (ys[t]! - my)
  return s / (xs.length - 1)
}

function twoAssetInput(): PortfolioInput {
  const rng = createRng(42)
  const index = Array.from({ length: 60 }, () => 0.01 * rng.normal())
  return {
    symbols: ['AAA', 'BBB'],
    quantities: [300, -100],
    prices: [50, 40],
    // The first asset is the index itself, so its beta must be exactly 1.
    returns: [index.slice(), index.map((m) => 0.0002 + 0.7 * m + 0.01 * rng.normal())],
    indexReturns: index,
    riskFreeRate: 0.03,
  }
}

describe('portfolio analytics', () => {
  it('matches the two-asset closed form, and the index has a beta of 1 against itself', () => {
    const input = twoAssetInput()
    const [r1, r2] = input.returns as [number[], number[]]
    const nav = 300 * 50 - 100 * 40
    const w1 = 15_000 / nav
    const w2 = -4_000 / nav
    const variance = w1 * w1 * cov(r1, r1) + 2 * w1 * w2 * cov(r1, r2) + w2 * w2 * cov(r2, r2)
    const sigma = Math.sqrt(variance)
    const mu = (w1 * mean(r1) + w2 * mean(r2)) * 252
    for (const variant of VARIANTS) {
      const a = createEngine(variant, input).result()
      expect(a.weights[0]).toBeCloseTo(w1, 12)
      expect(a.weights[1]).toBeCloseTo(w2, 12)
      expect(a.netExposure).toBe(11_000)
      expect(a.grossExposure).toBe(19_000)
      expect(a.longExposure).toBe(15_000)
      expect(a.shortExposure).toBe(-4_000)
      expect(a.volatilityDaily / sigma).toBeCloseTo(1, 12)
      expect(a.volatilityAnnual / (sigma * Math.sqrt(252))).toBeCloseTo(1, 12)
      expect(a.betas[0]).toBeCloseTo(1, 12)
      expect(a.betas[1]! / (cov(r2, r1) / cov(r1, r1))).toBeCloseTo(1, 12)
      expect(a.covarianceTrace / (cov(r1, r1) + cov(r2, r2))).toBeCloseTo(1, 12)
      expect(a.sharpe / ((mu - 0.03) / (sigma * Math.sqrt(252)))).toBeCloseTo(1, 10)
      // Risk contributions from the closed form: w_i (Σw)_i / σ.
      expect(a.riskContributions[0]! / ((w1 * (cov(r1, r1) * w1 + cov(r1, r2) * w2)) / sigma)).toBeCloseTo(1, 10)
    }
  })

  it('risk contributions sum to the portfolio volatility, and the portfolio beta is the weighted sum', () => {
    const input = generatePortfolio(3, 40, 200, 0.02)
    for (const variant of VARIANTS) {
      const a = createEngine(variant, input).result()
      const sum = a.riskContributions.reduce((s, x) => s + x, 0)
      expect(sum / a.volatilityDaily).toBeCloseTo(1, 10)
      expect(a.weights.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 10)
      expect(a.portfolioBeta).toBeCloseTo(a.weights.reduce((s, w, i) => s + w * a.betas[i]!, 0), 12)
      // The generator draws betas from 0.3 to 1.8; estimates from 200 days land near that range.
      for (const b of a.betas) expect(b).toBeGreaterThan(0)
    }
  })
})

describe('portfolio workload', () => {
  it('has a valid descriptor whose default variant is the naive one', () => {
    expect(workloadDescriptorSchema.parse(descriptor)).toEqual(descriptor)
    expect(workload.descriptor).toBe(descriptor)
    expect(descriptor.variants.find((v) => v.id === descriptor.defaultVariant)?.role).toBe('naive')
  })

  it('gives the same answer in both variants on several seeds, and different answers for different seeds', async () => {
    const digests: string[] = []
    for (const seed of [1, 2, 3]) {
      const answers = await Promise.all(VARIANTS.map(async (variant) => (await workload.create({ variant, params, seed })).answer()))
      expect(answers[1]).toEqual(answers[0])
      digests.push(digestAnswer(answers[0]))
    }
    expect(new Set(digests).size).toBe(3)
  })

  it('iterates repeatably: every run gives the same volatility and leaves the answer unchanged', () => {
    for (const variant of VARIANTS) {
      const instance = createPortfolio({ variant, params, seed: 5 })
      const before = instance.answer()
      for (let i = 0; i < 3; i++) instance.iterate()
      expect(instance.volatilitySum() / 3).toBeCloseTo((before as { volatilityDaily: number }).volatilityDaily, 9)
      expect(instance.answer()).toEqual(before)
    }
  })

  it('refuses an unknown variant', () => {
    expect(() => workload.create({ variant: 'abacus', params, seed: 1 })).toThrow(/unknown variant abacus/)
  })
})
