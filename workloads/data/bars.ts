/**
 * Seeded daily OHLCV bars: closes follow geometric Brownian motion, one independent PRNG stream per
 * symbol. Stored as symbol-major Float64Array columns, optionally in one SharedArrayBuffer so worker
 * threads read the same bars without a copy.
 */
import { createRng } from './prng.js'

export const TRADING_DAYS_PER_YEAR = 252

/** What to generate. Volatility and drift are annualized; one bar is one trading day. */
export interface BarOptions {
  symbols: number
  days: number
  /** Annualized drift μ of the GBM (default 0.05). */
  drift?: number
  /** Each symbol draws its annualized σ uniformly from [minVolatility, maxVolatility] (default 0.15..0.6). */
  minVolatility?: number
  maxVolatility?: number
  /** Put the columns in a SharedArrayBuffer (for worker threads). */
  shared?: boolean
}

/**
 * Bars of `symbols` symbols over `days` days. Column layout is symbol-major: bar `t` of symbol `s` is at
 * index `s * days + t`. Prices are in currency units rounded to cents; volume is in shares.
 */
export interface BarColumns {
  symbols: number
  days: number
  tickers: string[]
  /** The annualized σ each symbol was generated with. */
  volatility: Float64Array
  open: Float64Array
  high: Float64Array
  low: Float64Array
  close: Float64Array
  volume: Float64Array
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'

/** A deterministic three-or-more-letter ticker for symbol `index` (AAA, AAB, …). */
export function tickerFor(index: number): string {
  let n = index
  let out = ''
  for (let k = 0; k < 3 || n > 0; k++) {
    out = LETTERS[n % 26]! + out
    n = Math.floor(n / 26)
  }
  return out
}

function roundCents(x: number): number {
  return Math.max(0.01, Math.round(x * 100) / 100)
}

/**
 * Generates the bars. Symbol `s` uses `createRng(seed).fork(s)`, so a symbol's bars do not depend on how
 * many other symbols are generated. Per day: close_t = close_{t-1} · exp((μ − σ²/2)Δt + σ√Δt·Z) with
 * Δt = 1/252; the open gaps from the previous close by a fifth of a day's σ; high and low extend the
 * open–close range by half-normal wicks; volume is lognormal around a per-symbol base.
 */
export function generateBars(seed: number, options: BarOptions): BarColumns {
  const { symbols, days } = options
  if (!Number.isInteger(symbols) || symbols < 1 || !Number.isInteger(days) || days < 1) {
    throw new Error(`generateBars needs positive integer symbols and days, got ${symbols} and ${days}`)
  }
  const drift = options.drift ?? 0.05
  const minVol = options.minVolatility ?? 0.15
  const maxVol = options.maxVolatility ?? 0.6
  const n = symbols * days
  const bytes = 5 * n * Float64Array.BYTES_PER_ELEMENT
  const buffer = options.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)
  const column = (k: number): Float64Array => new Float64Array(buffer, k * n * Float64Array.BYTES_PER_ELEMENT, n)
  const bars: BarColumns = {
    symbols,
    days,
    tickers: Array.from({ length: symbols }, (_, s) => tickerFor(s)),
    volatility: new Float64Array(symbols),
    open: column(0),
    high: column(1),
    low: column(2),
    close: column(3),
    volume: column(4),
  }
  const dt = 1 / TRADING_DAYS_PER_YEAR
  const root = createRng(seed)
  for (let s = 0; s < symbols; s++) {
    const rng = root.fork(s)
    const sigma = rng.uniform(minVol, maxVol)
    bars.volatility[s] = sigma
    const step = sigma * Math.sqrt(dt)
    const mean = (drift - (sigma * sigma) / 2) * dt
    const baseVolume = rng.int(100_000, 5_000_000)
    let prev = roundCents(rng.uniform(20, 500))
    for (let t = 0; t < days; t++) {
      const i = s * days + t
      const close = roundCents(prev * Math.exp(mean + step * rng.normal()))
      const open = roundCents(prev * Math.exp(0.2 * step * rng.normal()))
      const high = roundCents(Math.max(open, close) * Math.exp(0.5 * step * Math.abs(rng.normal())))
      const low = roundCents(Math.min(open, close) * Math.exp(-0.5 * step * Math.abs(rng.normal())))
      bars.open[i] = open
      bars.high[i] = high
      bars.low[i] = low
      bars.close[i] = close
      bars.volume[i] = Math.round(baseVolume * Math.exp(0.3 * rng.normal()))
      prev = close
    }
  }
  return bars
}
