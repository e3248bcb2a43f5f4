/**
 * The quote universe of symbol-collection: the seeded symbol list, the deterministic quote function
 * the local server answers with, and the answer summary all variants share. Pure: no I/O, no clock.
 */
import { canonicalJson, fnv1a64 } from '../data/digest.js'
import { createRng } from '../data/prng.js'

/** One top-of-book quote as the quote server sends it. Prices are integer cents so sums are exact. */
export interface Quote {
  symbol: string
  /** The tick the client asked for: the same (seed, symbol, tick) always gives the same quote. */
  tick: number
  bidCents: number
  askCents: number
  /** Last trade price, between bid and ask inclusive. */
  lastCents: number
  /** Shares on the bid, a multiple of 100. */
  bidSize: number
  /** Shares on the ask, a multiple of 100. */
  askSize: number
}

/** The answer of every variant: totals plus a digest of the quotes sorted by symbol. */
export interface QuoteSummary {
  symbols: number
  totalBidCents: number
  totalAskCents: number
  totalLastCents: number
  totalBidSize: number
  totalAskSize: number
  /** FNV-1a 64 of the canonical JSON of all quotes sorted by symbol. */
  quotesDigest: string
}

export const SYMBOL_PATTERN = /^[A-Z]{1,5}$/

/**
 * Maps a ticker of 1-5 capital letters to a distinct integer (bijective base 27, A=1), the PRNG
 * stream of that symbol. Injective, so no two symbols share a price history.
 */
export function symbolKey(symbol: string): number {
  if (!SYMBOL_PATTERN.test(symbol)) throw new Error(`not a ticker symbol: ${JSON.stringify(symbol)}`)
  let key = 0
  for (let i = symbol.length - 1; i >= 0; i--) key = key * 27 + (symbol.charCodeAt(i) - 64)
  return key
}

/** `count` distinct tickers of 3-5 letters, in a seeded order (the order clients request them). */
export function generateSymbols(seed: number, count: number): string[] {
  const rng = createRng(seed)
  const seen = new Set<string>()
  const symbols: string[] = []
  while (symbols.length < count) {
    const length = rng.int(3, 5)
    let symbol = ''
    for (let i = 0; i < length; i++) symbol += String.fromCharCode(65 + rng.int(0, 25))
    if (seen.has(symbol)) continue
    seen.add(symbol)
    symbols.push(symbol)
  }
  return symbols
}

/**
 * The quote of `symbol` at `tick`: a per-symbol reference price from the symbol's stream, then a mid
 * within ±2% of it, a spread, a last price and sizes from the tick's sub-stream. Integer arithmetic
 * only, so the server and any reimplementation agree to the cent.
 */
export function computeQuote(seed: number, symbol: string, tick: number): Quote {
  if (!Number.isInteger(tick) || tick < 0) throw new Error(`tick must be a non-negative integer, got ${tick}`)
  const symbolRng = createRng(seed).fork(symbolKey(symbol))
  const referenceCents = symbolRng.int(500, 50_000)
  const rng = symbolRng.fork(tick)
  const band = Math.floor(referenceCents / 50)
  const midCents = referenceCents + rng.int(-band, band)
  const halfSpreadCents = rng.int(1, 1 + Math.floor(referenceCents / 5000))
  const bidCents = midCents - halfSpreadCents
  const askCents = midCents + halfSpreadCents
  return {
    symbol,
    tick,
    bidCents,
    askCents,
    lastCents: rng.int(bidCents, askCents),
    bidSize: 100 * rng.int(1, 50),
    askSize: 100 * rng.int(1, 50),
  }
}

/** Reduces one full collection to the answer; independent of the order the quotes arrived in. */
export function summarizeQuotes(quotes: readonly Quote[]): QuoteSummary {
  const sorted = [...quotes].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
  let totalBidCents = 0
  let totalAskCents = 0
  let totalLastCents = 0
  let totalBidSize = 0
  let totalAskSize = 0
  for (const q of sorted) {
    totalBidCents += q.bidCents
    totalAskCents += q.askCents
    totalLastCents += q.lastCents
    totalBidSize += q.bidSize
    totalAskSize += q.askSize
  }
  return {
    symbols: sorted.length,
    totalBidCents,
    totalAskCents,
    totalLastCents,
    totalBidSize,
    totalAskSize,
    quotesDigest: fnv1a64(canonicalJson(sorted)),
  }
}
