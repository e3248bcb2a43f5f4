/**
 * The naive portfolio analytics: positions in a Map of objects, and every call recomputes everything
 * with fresh arrays: window slices, a weights Map, a full N×N covariance matrix whose every entry
 * recomputes both means, array-of-arrays products and a sorted list of risk contributions.
 */
import { type PortfolioInput, type PortfolioSummary, TRADING_DAYS, roundSig } from './generate.js'

interface NaivePosition {
  symbol: string
  quantity: number
  /** Price per snapshot. */
  prices: number[]
  returns: number[]
}

/** The naive variant's model of a portfolio. */
export interface NaivePortfolio {
  positions: Map<string, NaivePosition>
  cash: number
  riskFreeRate: number
  historyDays: number
  indexReturns: number[]
}

/** Everything one analytics call produces. */
export interface PortfolioAnalytics {
  nav: number
  grossExposure: number
  netExposure: number
  weights: Map<string, number>
  betas: Map<string, number>
  beta: number
  covariance: number[][]
  volatilityDaily: number
  volatilityAnnual: number
  sharpe: number
  /** Σ risk contributions in position order: equals volatilityDaily. */
  riskContributionSum: number
  /** Largest contribution first. */
  riskContributions: Array<{ symbol: string; contribution: number; weight: number }>
}

export function buildNaivePortfolio(input: PortfolioInput): NaivePortfolio {
  const positions = new Map<string, NaivePosition>()
  input.symbols.forEach((symbol, i) => {
    positions.set(symbol, {
      symbol,
      quantity: input.quantities[i]!,
      prices: input.prices.map((row) => row[i]!),
      returns: input.assetReturns[i]!.slice(),
    })
  })
  return {
    positions,
    cash: input.cash,
    riskFreeRate: input.riskFreeRate,
    historyDays: input.historyDays,
    indexReturns: input.indexReturns.slice(),
  }
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length
}

/** Sample covariance (n − 1 denominator). */
function covariance(a: number[], b: number[]): number {
  const ma = mean(a)
  const mb = mean(b)
  let s = 0
  for (let t = 0; t < a.length; t++) s += (a[t]! - ma) * (b[t]! - mb)
  return s / (a.length - 1)
}

export function analyzePortfolioNaive(portfolio: NaivePortfolio, snapshot: number): PortfolioAnalytics {
  const days = portfolio.historyDays
  const window = (series: number[]): number[] => series.slice(snapshot, snapshot + days)
  const rows = [...portfolio.positions.values()].map((p) => ({
    symbol: p.symbol,
    marketValue: p.quantity * p.prices[snapshot]!,
    returns: window(p.returns),
  }))
  const nav = rows.reduce((s, r) => s + r.marketValue, portfolio.cash)
  const weights = new Map(rows.map((r) => [r.symbol, r.marketValue / nav]))
  const grossExposure = rows.reduce((s, r) => s + Math.abs(weights.get(r.symbol)!), 0)
  const netExposure = rows.reduce((s, r) => s + weights.get(r.symbol)!, 0)

  const index = window(portfolio.indexReturns)
  const indexVariance = covariance(index, index)
  const betas = new Map(rows.map((r) => [r.symbol, covariance(r.returns, index) / indexVariance]))
  const beta = rows.reduce((s, r) => s + weights.get(r.symbol)! * betas.get(r.symbol)!, 0)

  const matrix = rows.map((a) => rows.map((b) => covariance(a.returns, b.returns)))
  const sigmaW = matrix.map((row) => row.reduce((s, c, j) => s + c * weights.get(rows[j]!.symbol)!, 0))
  const variance = rows.reduce((s, r, i) => s + weights.get(r.symbol)! * sigmaW[i]!, 0)
  const volatilityDaily = Math.sqrt(variance)
  const contributions = rows.map((r, i) => ({
    symbol: r.symbol,
    contribution: (weights.get(r.symbol)! * sigmaW[i]!) / volatilityDaily,
    weight: weights.get(r.symbol)!,
  }))
  const riskContributionSum = contributions.reduce((s, c) => s + c.contribution, 0)
  const riskContributions = contributions.slice().sort((x, y) => y.contribution - x.contribution)

  const portfolioReturns = index.map((_, t) => rows.reduce((s, r) => s + weights.get(r.symbol)! * r.returns[t]!, 0))
  const sharpe =
    ((mean(portfolioReturns) - portfolio.riskFreeRate / TRADING_DAYS) / Math.sqrt(covariance(portfolioReturns, portfolioReturns))) *
    Math.sqrt(TRADING_DAYS)

  return {
    nav,
    grossExposure,
    netExposure,
    weights,
    betas,
    beta,
    covariance: matrix,
    volatilityDaily,
    volatilityAnnual: volatilityDaily * Math.sqrt(TRADING_DAYS),
    sharpe,
    riskContributionSum,
    riskContributions,
  }
}

export function summarizeNaive(a: PortfolioAnalytics): PortfolioSummary {
  return {
    nav: roundSig(a.nav),
    grossExposure: roundSig(a.grossExposure),
    netExposure: roundSig(a.netExposure),
    beta: roundSig(a.beta),
    volatilityDaily: roundSig(a.volatilityDaily),
    volatilityAnnual: roundSig(a.volatilityAnnual),
    sharpe: roundSig(a.sharpe),
    riskContributionSum: roundSig(a.riskContributionSum),
    topContributors: a.riskContributions
      .slice(0, 3)
      .map((r) => ({ symbol: r.symbol, contribution: roundSig(r.contribution), weight: roundSig(r.weight) })),
  }
}
