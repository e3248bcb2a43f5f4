/**
 * Seeded cointegrated price pairs for the backtest: log X is a random walk (GBM), and log Y = α + β·log X
 * + s where the spread s is an Ornstein–Uhlenbeck process, so Y − βX mean-reverts. One PRNG stream per pair.
 */
import { TRADING_DAYS_PER_YEAR } from '../data/bars.js'
import { createRng } from '../data/prng.js'

/** What to generate. */
export interface PairOptions {
  pairs: number
  /** Bars per pair (days × barsPerDay). */
  bars: number
  /** Intraday bars per trading day; sets the per-bar volatility and the spread's half-life in bars. */
  barsPerDay: number
  /** Put the price columns in a SharedArrayBuffer (for worker threads). */
  shared?: boolean
}

/**
 * Close prices of every pair, pair-major: bar `t` of pair `p` is at `p * bars + t`. Prices are rounded
 * to cents. `beta` and `halfLifeBars` are the generating values (the backtest estimates its own β).
 */
export interface PairColumns {
  pairs: number
  bars: number
  x: Float64Array
  y: Float64Array
  beta: Float64Array
  halfLifeBars: Float64Array
}

function cents(logPrice: number): number {
  return Math.max(0.01, Math.round(Math.exp(logPrice) * 100) / 100)
}

/**
 * Pair `p` uses `createRng(seed).fork(p)`: X starts in [20, 200) with annual σ in [0.2, 0.4); β in
 * [0.6, 1.4); Y starts in [20, 200); the spread has a half-life of 0.5–3 trading days and a stationary
 * standard deviation of 1–3% (in log price).
 */
export function generatePairs(seed: number, options: PairOptions): PairColumns {
  const { pairs, bars, barsPerDay } = options
  const n = pairs * bars
  const bytes = 2 * n * Float64Array.BYTES_PER_ELEMENT
  const buffer = options.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)
  const out: PairColumns = {
    pairs,
    bars,
    x: new Float64Array(buffer, 0, n),
    y: new Float64Array(buffer, n * Float64Array.BYTES_PER_ELEMENT, n),
    beta: new Float64Array(pairs),
    halfLifeBars: new Float64Array(pairs),
  }
  const root = createRng(seed)
  for (let p = 0; p < pairs; p++) {
    const rng = root.fork(p)
    const step = rng.uniform(0.2, 0.4) / Math.sqrt(TRADING_DAYS_PER_YEAR * barsPerDay)
    const beta = rng.uniform(0.6, 1.4)
    const halfLife = barsPerDay * rng.uniform(0.5, 3)
    const spreadSd = rng.uniform(0.01, 0.03)
    const keep = Math.exp(-Math.LN2 / halfLife)
    const innovation = spreadSd * Math.sqrt(1 - keep * keep)
    let lx = Math.log(rng.uniform(20, 200))
    const alpha = Math.log(rng.uniform(20, 200)) - beta * lx
    let s = spreadSd * rng.normal()
    out.beta[p] = beta
    out.halfLifeBars[p] = halfLife
    for (let t = 0; t < bars; t++) {
      if (t > 0) {
        lx += step * rng.normal()
        s = keep * s + innovation * rng.normal()
      }
      out.x[p * bars + t] = cents(lx)
      out.y[p * bars + t] = cents(alpha + beta * lx + s)
    }
  }
  return out
}
