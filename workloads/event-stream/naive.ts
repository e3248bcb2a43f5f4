/**
 * The naive event-stream reader: every record becomes an event object with a ticker string, a float
 * price and string enums; books are Maps keyed by the price's decimal string; candles live in one Map
 * keyed by "TICKER|second" and hold float prices.
 */
import {
  KIND_ASK,
  KIND_BID,
  OFFSET_KIND,
  OFFSET_PRICE,
  OFFSET_QTY,
  OFFSET_SEQ,
  OFFSET_SIDE,
  OFFSET_SYMBOL,
  OFFSET_TIME,
  RECORD_BYTES,
  SIDE_BUY,
} from './format.js'
import type { EventStream, SeqGap } from './generate.js'
import type { Candle, Shard, StreamProcessor, StreamSnapshot, SymbolSnapshot } from './processor.js'
import { type ComponentRecorder, NO_COMPONENTS } from '../harness/components.js'

/** One decoded event. */
export interface BookEvent {
  seq: number
  symbol: string
  type: 'bid' | 'ask' | 'trade'
  side: 'buy' | 'sell' | null
  /** Price in currency units. */
  price: number
  quantity: number
  timestamp: number
}

interface CandleObject {
  ticker: string
  second: number
  open: number
  high: number
  low: number
  close: number
  volume: number
  trades: number
}

interface Book {
  bids: Map<string, number>
  asks: Map<string, number>
}

export function decodeEventNaive(view: DataView, index: number, tickers: string[]): BookEvent {
  const o = index * RECORD_BYTES
  const kind = view.getUint8(o + OFFSET_KIND)
  const type = kind === KIND_BID ? 'bid' : kind === KIND_ASK ? 'ask' : 'trade'
  return {
    seq: view.getUint32(o + OFFSET_SEQ, true),
    symbol: tickers[view.getUint16(o + OFFSET_SYMBOL, true)]!,
    type,
    side: type === 'trade' ? (view.getUint8(o + OFFSET_SIDE) === SIDE_BUY ? 'buy' : 'sell') : null,
    price: view.getUint32(o + OFFSET_PRICE, true) / 100,
    quantity: view.getUint32(o + OFFSET_QTY, true),
    timestamp: view.getUint32(o + OFFSET_TIME, true),
  }
}

function toTicks(price: number): number {
  return Math.round(price * 100)
}

/** One event in this many is timed stage by stage when components are recorded (four clock reads per timed event). */
export const COMPONENT_SAMPLE_EVERY = 64

export function createNaiveProcessor(stream: EventStream, shard: Shard, components: ComponentRecorder = NO_COMPONENTS): StreamProcessor {
  const view = new DataView(stream.bytes.buffer, stream.bytes.byteOffset, stream.bytes.byteLength)
  const owned = new Set(stream.tickers.filter((_, id) => id % shard.count === shard.index))
  let expected = 1
  let events = 0
  let duplicates = 0
  let gaps: SeqGap[] = []
  let books = new Map<string, Book>()
  let candles = new Map<string, CandleObject>()

  function checkSequence(ev: BookEvent): boolean {
    events++
    if (ev.seq < expected) {
      duplicates++
      return false
    }
    if (ev.seq > expected) gaps.push({ from: expected, to: ev.seq - 1 })
    expected = ev.seq + 1
    return true
  }

  function applyDelta(ev: BookEvent): void {
    let book = books.get(ev.symbol)
    if (!book) {
      book = { bids: new Map(), asks: new Map() }
      books.set(ev.symbol, book)
    }
    const levels = ev.type === 'bid' ? book.bids : book.asks
    const key = ev.price.toFixed(2)
    if (ev.quantity === 0) levels.delete(key)
    else levels.set(key, ev.quantity)
  }

  function applyTrade(ev: BookEvent): void {
    const second = Math.floor(ev.timestamp / 1000)
    const key = `${ev.symbol}|${second}`
    const candle = candles.get(key)
    if (!candle) {
      candles.set(key, {
        ticker: ev.symbol,
        second,
        open: ev.price,
        high: ev.price,
        low: ev.price,
        close: ev.price,
        volume: ev.quantity,
        trades: 1,
      })
      return
    }
    candle.high = Math.max(candle.high, ev.price)
    candle.low = Math.min(candle.low, ev.price)
    candle.close = ev.price
    candle.volume += ev.quantity
    candle.trades += 1
  }

  function snapshotSymbol(id: number, ticker: string): SymbolSnapshot {
    const book = books.get(ticker)
    const levels = (m: Map<string, number> | undefined): Array<[number, number]> =>
      [...(m ?? new Map<string, number>())].map(([k, q]) => [toTicks(parseFloat(k)), q])
    const symbolCandles: Candle[] = [...candles.values()]
      .filter((c) => c.ticker === ticker)
      .sort((a, b) => a.second - b.second)
      .map((c) => [c.second, toTicks(c.open), toTicks(c.high), toTicks(c.low), toTicks(c.close), c.volume, c.trades])
    return {
      symbol: id,
      ticker,
      bids: levels(book?.bids).sort((a, b) => b[0] - a[0]),
      asks: levels(book?.asks).sort((a, b) => a[0] - b[0]),
      candles: symbolCandles,
    }
  }

  /** The same steps as process() for one event, with each stage timed. */
  function processTimed(i: number): void {
    const w = COMPONENT_SAMPLE_EVERY
    const a = components.now()
    const ev = decodeEventNaive(view, i, stream.tickers)
    const b = components.now()
    const fresh = checkSequence(ev)
    const c = components.now()
    components.record('parse', (b - a) * 1e6, 1, w)
    components.record('gap', (c - b) * 1e6, 1, w)
    if (!fresh || !owned.has(ev.symbol)) return
    if (ev.type === 'trade') {
      applyTrade(ev)
      components.record('candle', (components.now() - c) * 1e6, 1, w)
    } else {
      applyDelta(ev)
      components.record('apply', (components.now() - c) * 1e6, 1, w)
    }
  }

  return {
    process(from: number, to: number): void {
      for (let i = from; i < to; i++) {
        if (components.active && i % COMPONENT_SAMPLE_EVERY === 0) {
          processTimed(i)
          continue
        }
        const ev = decodeEventNaive(view, i, stream.tickers)
        if (!checkSequence(ev)) continue
        if (!owned.has(ev.symbol)) continue
        if (ev.type === 'trade') applyTrade(ev)
        else applyDelta(ev)
      }
    },
    reset(): void {
      expected = 1
      events = 0
      duplicates = 0
      gaps = []
      books = new Map()
      candles = new Map()
    },
    snapshot(): StreamSnapshot {
      const symbols = stream.tickers.map((ticker, id) => ({ ticker, id })).filter(({ ticker }) => owned.has(ticker))
      return { events, duplicates, gaps: [...gaps], symbols: symbols.map(({ id, ticker }) => snapshotSymbol(id, ticker)) }
    },
  }
}
