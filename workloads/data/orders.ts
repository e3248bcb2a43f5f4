/**
 * Seeded per-symbol market statistics shared by the order-handling workloads (slippage, serialization,
 * order-validation): a mid price, average daily volume, daily volatility and a quoted spread per ticker.
 */
import { tickerFor } from './bars.js'
import type { Rng } from './prng.js'

/** Market facts about one symbol, as a pre-trade system would cache them. */
export interface SymbolMarket {
  symbol: string
  /** Mid price in currency units, rounded to cents. */
  midPrice: number
  /** Average daily volume, in shares. */
  adv: number
  /** Standard deviation of daily returns, as a fraction (0.02 = 2%). */
  dailyVolatility: number
  /** Quoted bid-ask spread in basis points of the mid, rounded to 0.01 bp. */
  spreadBps: number
}

export function roundCents(x: number): number {
  return Math.round(x * 100) / 100
}

/** Log-uniform draw in [lo, hi]: prices and volumes span orders of magnitude. */
export function logUniform(rng: Rng, lo: number, hi: number): number {
  return Math.exp(rng.uniform(Math.log(lo), Math.log(hi)))
}

/**
 * `count` symbols (tickers AAA, AAB, … from `tickerFor`). Spreads tighten with liquidity roughly as
 * 1/sqrt(ADV), as in most equity markets, with ±30% noise.
 */
export function generateSymbolMarkets(rng: Rng, count: number): SymbolMarket[] {
  const out: SymbolMarket[] = []
  for (let i = 0; i < count; i++) {
    const adv = Math.round(logUniform(rng, 20_000, 50_000_000))
    out.push({
      symbol: tickerFor(i),
      midPrice: Math.max(1, roundCents(logUniform(rng, 5, 800))),
      adv,
      dailyVolatility: rng.uniform(0.008, 0.05),
      spreadBps: Math.max(0.5, Math.round((150 / Math.sqrt(adv / 1000)) * rng.uniform(0.7, 1.3) * 100) / 100),
    })
  }
  return out
}
