/**
 * Seeded portfolios for the analytics workload: a one-factor return history (asset = α + β·market + noise),
 * an index series, quantities (mostly long, some short), cash, and prices on each of a few snapshot days.
 */
import { tickerFor } from '../data/bars.js'
import { roundCents } from '../data/orders.js'
import { createRng } from '../data/prng.js'

/** Trading days per year, for annualizing daily volatility and Sharpe ratios. */
export const TRADING_DAYS = 252

/**
 * A portfolio and its market history in plain arrays: the neutral input both variants convert from.
 * Snapshot k looks at returns on days [k, k + historyDays) and values positions at `prices[k]`.
 */
export interface PortfolioInput {
  symbols: string[]
  /** Signed shares per position. */
  quantities: number[]
  cash: number
  /** Annual risk-free rate, as a fraction. */
  riskFreeRate: number
  historyDays: number
  snapshots: number
  /** Per position: daily simple returns, historyDays + snapshots − 1 of them. */
  assetReturns: number[][]
  /** The index's daily returns over the same days. */
  indexReturns: number[]
  /** Per snapshot, per position: the price on the snapshot's last day. */
  prices: number[][]
}

/** Snapshots the timed loop cycles through (the window slides one day between them). */
export const SNAPSHOTS = 16

export function generatePortfolio(seed: number, positions: number, historyDays: number, riskFreeRate: number): PortfolioInput {
  const rng = createRng(seed)
  const days = historyDays + SNAPSHOTS - 1
  const indexReturns = Array.from({ length: days }, () => 0.0003 + 0.011 * rng.normal())
  const symbols: string[] = []
  const quantities: number[] = []
  const assetReturns: number[][] = []
  const startPrices: number[] = []
  let gross = 0
  for (let i = 0; i < positions; i++) {
    const beta = rng.uniform(0.3, 1.8)
    const alpha = rng.uniform(-0.0002, 0.0004)
    const idio = rng.uniform(0.006, 0.025)
    symbols.push(tickerFor(i))
    assetReturns.push(indexReturns.map((m) => alpha + beta * m + idio * rng.normal()))
    const price = roundCents(Math.exp(rng.uniform(Math.log(10), Math.log(500))))
    startPrices.push(price)
    const shares = rng.int(1, 50) * 100 * (rng.next() < 0.15 ? -1 : 1)
    quantities.push(shares)
    gross += Math.abs(shares * price)
  }
  // Price on day d = start price compounded through day d, rounded to cents like a closing print.
  const prices: number[][] = []
  for (let k = 0; k < SNAPSHOTS; k++) {
    const lastDay = k + historyDays - 1
    prices.push(
      startPrices.map((p0, i) => {
        let p = p0
        const r = assetReturns[i]!
        for (let t = 0; t <= lastDay; t++) p *= 1 + r[t]!
        return Math.max(0.01, roundCents(p))
      }),
    )
  }
  return {
    symbols,
    quantities,
    cash: Math.round(gross * 0.1),
    riskFreeRate,
    historyDays,
    snapshots: SNAPSHOTS,
    assetReturns,
    indexReturns,
    prices,
  }
}

/** The analytics of one snapshot, as both variants report them. */
export interface PortfolioSummary {
  nav: number
  grossExposure: number
  netExposure: number
  beta: number
  volatilityDaily: number
  volatilityAnnual: number
  sharpe: number
  /** Σ risk contributions: equals volatilityDaily. */
  riskContributionSum: number
  /** The three largest risk contributors, largest first (ties: the earlier position). */
  topContributors: Array<{ symbol: string; contribution: number; weight: number }>
}

/** Rounds to 12 significant digits for the answer. */
export function roundSig(x: number): number {
  return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(12))
}
