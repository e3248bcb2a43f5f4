/**
 * What both event-stream variants produce: a processor over a range of events that checks sequence
 * numbers, applies deltas to the books of the symbols its shard owns and builds 1-second candles from
 * trades; its plain-data snapshot; and the answer derived from snapshots.
 */
import { canonicalJson, fnv1a64 } from '../data/digest.js'
import type { SeqGap } from './generate.js'

/**
 * The symbols a processor owns: those with `symbol % count === index`. Every shard checks every
 * sequence number (so all skip the same duplicates), but books and candles are per owned symbol.
 */
export interface Shard {
  index: number
  count: number
}

/** One 1-second candle: [second, open, high, low, close, volume, trades], prices in ticks. */
export type Candle = [second: number, open: number, high: number, low: number, close: number, volume: number, trades: number]

/** One symbol's state after the events processed so far. */
export interface SymbolSnapshot {
  symbol: number
  ticker: string
  /** [priceTicks, size] by price, best (highest) first. */
  bids: Array<[number, number]>
  /** [priceTicks, size] by price, best (lowest) first. */
  asks: Array<[number, number]>
  /** Finished and open candles, by second. */
  candles: Candle[]
}

/** A processor's state, plain data. */
export interface StreamSnapshot {
  /** Events read (owned or not), duplicates included. */
  events: number
  gaps: SeqGap[]
  /** Events whose sequence number was below the expected one; they are skipped. */
  duplicates: number
  /** Every owned symbol, by symbol id. */
  symbols: SymbolSnapshot[]
}

/** Reads events [from, to) of its stream, keeping books and candles across calls until reset(). */
export interface StreamProcessor {
  process(from: number, to: number): void
  /** Back to the state before the first event (sequence expected at 1). */
  reset(): void
  snapshot(): StreamSnapshot
}

/** Summary of one symbol in the answer; the candles enter through their digest. */
export interface SymbolSummary {
  ticker: string
  bestBid: number | null
  bestAsk: number | null
  bidLevels: number
  askLevels: number
  bidSize: number
  askSize: number
  candles: number
  trades: number
  volume: number
  /** FNV-1a 64 of the canonical JSON of the candle list. */
  candlesDigest: string
}

/** The workload's answer. */
export interface EventStreamAnswer {
  events: number
  duplicates: number
  gaps: SeqGap[]
  symbols: SymbolSummary[]
}

/**
 * Merges shard snapshots of one whole pass: sequence facts from shard 0 (every shard saw the same
 * sequence numbers), symbols from all shards in symbol order.
 */
export function summarizeSnapshots(shards: StreamSnapshot[]): EventStreamAnswer {
  const first = shards[0]
  if (!first) throw new Error('no snapshots to summarize')
  const symbols = shards.flatMap((s) => s.symbols).sort((a, b) => a.symbol - b.symbol)
  return {
    events: first.events,
    duplicates: first.duplicates,
    gaps: first.gaps,
    symbols: symbols.map((s) => ({
      ticker: s.ticker,
      bestBid: s.bids[0]?.[0] ?? null,
      bestAsk: s.asks[0]?.[0] ?? null,
      bidLevels: s.bids.length,
      askLevels: s.asks.length,
      bidSize: s.bids.reduce((a, l) => a + l[1], 0),
      askSize: s.asks.reduce((a, l) => a + l[1], 0),
      candles: s.candles.length,
      trades: s.candles.reduce((a, c) => a + c[6], 0),
      volume: s.candles.reduce((a, c) => a + c[5], 0),
      candlesDigest: fnv1a64(canonicalJson(s.candles)),
    })),
  }
}
