/**
 * The naive portfolio variant: positions as objects in a Map, the history as an array of daily row
 * objects, and every covariance entry (both triangles) recomputed with its own means and a fresh
 * array of products summed by reduce.
 */
import { type PortfolioAnalytics, type PortfolioInput, TRADING_DAYS } from './data.js'

interface Position {
  symbol: string
  quantity: number
  price: number
}
interface DailyRow {
  day: number
  index: number
  returns: Record<string, number>
}

export interface PortfolioEngine {
  /** One full analytics computation; returns σ_p so the caller can consume the result. */
  run(): number
  /** The full analytics of a fresh computation, as plain data. */
  result(): PortfolioAnalytics
}

function seriesOf(history: readonly DailyRow[], symbol: string): number[] {
  return history.map((row) => row.returns[symbol]!)
}

function meanOf(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length
}

function sampleCovariance(xs: readonly number[], ys: readonly number[]): number {
  const mx = meanOf(xs)
  const my = meanOf(ys)
  const products = xs.map((x, t) => (x - mx) * (ys[t]! - my))
  return products.reduce((s, p) => s + p, 0) / (xs.length - 1)
}

function computeAnalyticsObjects(book: Map<string, Position>, history: readonly DailyRow[], riskFreeRate: number): PortfolioAnalytics {
  const positions = [...book.values()]
  const symbols = positions.map((p) => p.symbol)
  const marketValues = positions.map((p) => p.quantity * p.price)
  const netExposure = marketValues.reduce((s, v) => s + v, 0)
  const grossExposure = marketValues.reduce((s, v) => s + Math.abs(v), 0)
  const longExposure = marketValues.reduce((s, v) => (v > 0 ? s + v : s), 0)
  const shortExposure = marketValues.reduce((s, v) => (v < 0 ? s + v : s), 0)
  const weights = new Map(positions.map((p, i) => [p.symbol, marketValues[i]! / netExposure]))

  const series = new Map(symbols.map((s) => [s, seriesOf(history, s)]))
  const covariance = new Map<string, Map<string, number>>()
  for (const a of symbols) {
    const row = new Map<string, number>()
    for (const b of symbols) row.set(b, sampleCovariance(series.get(a)!, series.get(b)!))
    covariance.set(a, row)
  }
  const index = history.map((row) => row.index)
  const indexVariance = sampleCovariance(index, index)
  const betas = symbols.map((s) => sampleCovariance(series.get(s)!, index) / indexVariance)
  const sigmaW = symbols.map((a) => symbols.reduce((s, b) => s + covariance.get(a)!.get(b)! * weights.get(b)!, 0))
  const variance = symbols.reduce((s, a, i) => s + weights.get(a)! * sigmaW[i]!, 0)
  const volatilityDaily = Math.sqrt(variance)
  const meanDaily = symbols.reduce((s, a) => s + weights.get(a)! * meanOf(series.get(a)!), 0)
  const volatilityAnnual = volatilityDaily * Math.sqrt(TRADING_DAYS)
  const expectedReturnAnnual = meanDaily * TRADING_DAYS
  return {
    symbols,
    marketValues,
    weights: symbols.map((s) => weights.get(s)!),
    netExposure,
    grossExposure,
    longExposure,
    shortExposure,
    betas,
    portfolioBeta: symbols.reduce((s, a, i) => s + weights.get(a)! * betas[i]!, 0),
    covarianceTrace: symbols.reduce((s, a) => s + covariance.get(a)!.get(a)!, 0),
    volatilityDaily,
    volatilityAnnual,
    riskContributions: symbols.map((a, i) => (weights.get(a)! * sigmaW[i]!) / volatilityDaily),
    expectedReturnAnnual,
    sharpe: (expectedReturnAnnual - riskFreeRate) / volatilityAnnual,
  }
}

export function createObjectsEngine(input: PortfolioInput): PortfolioEngine {
  const book = new Map<string, Position>()
  input.symbols.forEach((symbol, i) => book.set(symbol, { symbol, quantity: input.quantities[i]!, price: input.prices[i]! }))
  const history: DailyRow[] = input.indexReturns.map((index, day) => ({
    day,
    index,
    returns: Object.fromEntries(input.symbols.map((s, i) => [s, input.returns[i]![day]!])),
  }))
  return {
    run: () => computeAnalyticsObjects(book, history, input.riskFreeRate).volatilityDaily,
    result: () => computeAnalyticsObjects(book, history, input.riskFreeRate),
  }
}
