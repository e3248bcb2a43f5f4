/**
 * Seeded order-book event streams in the format.ts encoding, with a planted set of sequence gaps: at
 * chosen positions the sequence number jumps ahead, as if the feed had dropped packets.
 */
import { tickerFor } from '../data/bars.js'
import { createRng } from '../data/prng.js'
import { KIND_ASK, KIND_BID, KIND_TRADE, RECORD_BYTES, SIDE_BUY, SIDE_SELL, encodeEvent } from './format.js'

/** A run of missing sequence numbers, both ends inclusive. */
export interface SeqGap {
  from: number
  to: number
}

/** What to generate. */
export interface EventStreamOptions {
  events: number
  symbols: number
  /** Gaps to plant; each skips 1–8 sequence numbers. At most events − 1. */
  gaps: number
  /** Mean event rate, which sets how many events fall in one second's candle. */
  eventsPerSecond: number
  /** Put the bytes in a SharedArrayBuffer (for worker threads). */
  shared?: boolean
}

/** An encoded stream and what was planted in it. */
export interface EventStream {
  /** events × RECORD_BYTES bytes. */
  bytes: Uint8Array
  events: number
  tickers: string[]
  /** The planted gaps, in stream order: exactly what a correct reader reports. */
  plantedGaps: SeqGap[]
}

/** Price levels quoted on each side of the mid. */
export const BOOK_DEPTH = 10

/**
 * Event i: a uniformly chosen symbol whose mid (in ticks) takes a ±1 step 5% of the time; 45% bid
 * deltas and 45% ask deltas at 1–10 ticks from the mid, a fifth of them removing the level, sizes in
 * lots of 100; 10% trades at or one tick through the mid, 1–500 shares. Time advances by exponential
 * gaps of mean 1000 / eventsPerSecond ms. Sequence numbers start at 1.
 */
export function generateEventStream(seed: number, options: EventStreamOptions): EventStream {
  const { events, symbols, gaps, eventsPerSecond } = options
  if (gaps > events - 1) throw new Error(`cannot plant ${gaps} gaps in ${events} events (at most ${events - 1})`)
  if (symbols > 65_536) throw new Error(`at most 65,536 symbols fit the u16 symbol field, got ${symbols}`)
  const rng = createRng(seed)
  const size = events * RECORD_BYTES
  const bytes = new Uint8Array(options.shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size))
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const mids = Array.from({ length: symbols }, () => rng.int(1_000, 50_000))

  const gapAt = new Set<number>()
  while (gapAt.size < gaps) gapAt.add(rng.int(1, events - 1))

  const plantedGaps: SeqGap[] = []
  const meanStepMs = 1000 / eventsPerSecond
  let seq = 1
  let clockMs = 0
  for (let i = 0; i < events; i++) {
    if (gapAt.has(i)) {
      const skip = rng.int(1, 8)
      plantedGaps.push({ from: seq, to: seq + skip - 1 })
      seq += skip
    }
    const symbol = rng.int(0, symbols - 1)
    if (rng.next() < 0.05) mids[symbol] = Math.max(100, mids[symbol]! + (rng.next() < 0.5 ? -1 : 1))
    const mid = mids[symbol]!
    const u = rng.next()
    let kind: number
    let side = 0
    let priceTicks: number
    let qty: number
    if (u < 0.9) {
      kind = u < 0.45 ? KIND_BID : KIND_ASK
      const offset = rng.int(1, BOOK_DEPTH)
      priceTicks = kind === KIND_BID ? mid - offset : mid + offset
      qty = rng.next() < 0.2 ? 0 : 100 * rng.int(1, 50)
    } else {
      kind = KIND_TRADE
      side = rng.next() < 0.5 ? SIDE_BUY : SIDE_SELL
      priceTicks = mid + (side === SIDE_BUY ? 1 : -1) * rng.int(0, 1)
      qty = rng.int(1, 500)
    }
    clockMs += -Math.log(1 - rng.next()) * meanStepMs
    encodeEvent(view, i, { seq, symbol, kind, side, priceTicks, qty, timeMs: Math.floor(clockMs) })
    seq++
  }
  return { bytes, events, tickers: Array.from({ length: symbols }, (_, s) => tickerFor(s)), plantedGaps }
}
