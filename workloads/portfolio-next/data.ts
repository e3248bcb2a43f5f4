/**
 * The seeded portfolio of the portfolio workload (positions and a one-factor daily return history
 * against an index), the shape of its analytics, and the rounding that makes variants comparable.
 */
import { createRng } from '../data/prng.js'

export const TRADING_DAYS = 252

/** Plain input both variants build their own representation from. */
export interface PortfolioInput {
  symbols: string[]
  /** Shares; negative for a short position. */
  quantities: number[]
  prices: number[]
  /** returns[i][t]: simple daily return of position i on day t. */
  returns: number[][]
  indexReturns: number[]
  /** Annual risk-free rate for the Sharpe ratio. */
  riskFreeRate: number
}

export interface PortfolioAnalytics {
  symbols: string[]
  marketValues: number[]
  /** Market value over net asset value (the net exposure). */
  weights: number[]
  netExposure: number
  grossExposure: number
  longExposure: number
  shortExposure: number
  /** cov(r_i, r_index) / var(r_index). */
  betas: number[]
  portfolioBeta: number
  covarianceTrace: number
  /** sqrt(wᵀΣw), daily. */
  volatilityDaily: number
  volatilityAnnual: number
  /** w_i (Σw)_i / σ_p, daily units; they sum to σ_p. */
  riskContributions: number[]
  expectedReturnAnnual: number
  sharpe: number
}

/** Each asset follows r = alpha + beta * index + noise, so betas and correlations are realistic. */
export function generatePortfolio(seed: number, positions: number, days: number, riskFreeRate: number): PortfolioInput {
  const rng = createRng(seed)
  const indexReturns = Array.from({ length: days }, () => 0.0003 + 0.01 * rng.normal())
  const symbols: string[] = []
  const quantities: number[] = []
  const prices: number[] = []
  const returns: number[][] = []
  for (let i = 0; i < positions; i++) {
    symbols.push(`P${String(i).padStart(3, '0')}`)
    const beta = rng.uniform(0.3, 1.8)
    const alpha = rng.uniform(-0.0002, 0.0004)
    const noise = rng.uniform(0.005, 0.025)
    returns.push(indexReturns.map((m) => alpha + beta * m + noise * rng.normal()))
    prices.push(Math.round(rng.uniform(10, 500) * 100) / 100)
    quantities.push(rng.int(10, 5000) * (rng.next() < 0.15 ? -1 : 1))
  }
  return { symbols, quantities, prices, returns, indexReturns, riskFreeRate }
}

/** Rounds to 10 significant digits (about 1e-9 relative), so summation-order noise cannot show. */
export function roundRelative(x: number): number {
  return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(10))
}

export function roundAnalytics(a: PortfolioAnalytics): PortfolioAnalytics {
  const r = roundRelative
  return {
    symbols: a.symbols,
    marketValues: a.marketValues.map(r),
    weights: a.weights.map(r),
    netExposure: r(a.netExposure),
    grossExposure: r(a.grossExposure),
    longExposure: r(a.longExposure),
    shortExposure: r(a.shortExposure),
    betas: a.betas.map(r),
    portfolioBeta: r(a.portfolioBeta),
    covarianceTrace: r(a.covarianceTrace),
    volatilityDaily: r(a.volatilityDaily),
    volatilityAnnual: r(a.volatilityAnnual),
    riskContributions: a.riskContributions.map(r),
    expectedReturnAnnual: r(a.expectedReturnAnnual),
    sharpe: r(a.sharpe),
  }
}
