/**
 * The columnar event-stream reader: records are decoded a batch at a time into preallocated typed-array
 * columns, then sequence, book and candle passes run over the columns. Book sides are typed-array hash
 * tables (level-map.ts); open candles are typed arrays by symbol, finished ones a growable columnar store.
 */
import {
  KIND_BID,
  KIND_TRADE,
  OFFSET_KIND,
  OFFSET_PRICE,
  OFFSET_QTY,
  OFFSET_SEQ,
  OFFSET_SYMBOL,
  OFFSET_TIME,
  RECORD_BYTES,
} from './format.js'
import type { EventStream, SeqGap } from './generate.js'
import { LevelMap } from './level-map.js'
import type { Candle, Shard, StreamProcessor, StreamSnapshot } from './processor.js'
import { type ComponentRecorder, NO_COMPONENTS } from '../harness/components.js'

/** Events decoded per columnar batch. */
export const DECODE_BATCH = 4096

/** One batch of decoded events, column by column. */
export interface EventColumns {
  seq: Uint32Array
  symbol: Uint16Array
  kind: Uint8Array
  price: Uint32Array
  qty: Uint32Array
  time: Uint32Array
}

export function createEventColumns(capacity: number): EventColumns {
  return {
    seq: new Uint32Array(capacity),
    symbol: new Uint16Array(capacity),
    kind: new Uint8Array(capacity),
    price: new Uint32Array(capacity),
    qty: new Uint32Array(capacity),
    time: new Uint32Array(capacity),
  }
}

/** Decodes events [from, from + count) into columns 0..count-1. */
export function decodeBatch(view: DataView, from: number, count: number, cols: EventColumns): void {
  const { seq, symbol, kind, price, qty, time } = cols
  for (let k = 0; k < count; k++) {
    const o = (from + k) * RECORD_BYTES
    seq[k] = view.getUint32(o + OFFSET_SEQ, true)
    symbol[k] = view.getUint16(o + OFFSET_SYMBOL, true)
    kind[k] = view.getUint8(o + OFFSET_KIND)
    price[k] = view.getUint32(o + OFFSET_PRICE, true)
    qty[k] = view.getUint32(o + OFFSET_QTY, true)
    time[k] = view.getUint32(o + OFFSET_TIME, true)
  }
}

/** Finished candles of all symbols, one column per field, grown by doubling. */
class CandleStore {
  length = 0
  symbol: Uint32Array = new Uint32Array(1024)
  second: Uint32Array = new Uint32Array(1024)
  open: Uint32Array = new Uint32Array(1024)
  high: Uint32Array = new Uint32Array(1024)
  low: Uint32Array = new Uint32Array(1024)
  close: Uint32Array = new Uint32Array(1024)
  volume: Float64Array = new Float64Array(1024)
  trades: Uint32Array = new Uint32Array(1024)

  push(symbol: number, second: number, open: number, high: number, low: number, close: number, volume: number, trades: number): void {
    if (this.length === this.symbol.length) this.grow()
    const i = this.length++
    this.symbol[i] = symbol
    this.second[i] = second
    this.open[i] = open
    this.high[i] = high
    this.low[i] = low
    this.close[i] = close
    this.volume[i] = volume
    this.trades[i] = trades
  }

  private grow(): void {
    const cap = this.symbol.length * 2
    const growU32 = (a: Uint32Array): Uint32Array => {
      const b = new Uint32Array(cap)
      b.set(a)
      return b
    }
    this.symbol = growU32(this.symbol)
    this.second = growU32(this.second)
    this.open = growU32(this.open)
    this.high = growU32(this.high)
    this.low = growU32(this.low)
    this.close = growU32(this.close)
    this.trades = growU32(this.trades)
    const volume = new Float64Array(cap)
    volume.set(this.volume)
    this.volume = volume
  }
}

export function createColumnarProcessor(stream: EventStream, shard: Shard, components: ComponentRecorder = NO_COMPONENTS): StreamProcessor {
  const view = new DataView(stream.bytes.buffer, stream.bytes.byteOffset, stream.bytes.byteLength)
  const symbolCount = stream.tickers.length
  const cols = createEventColumns(DECODE_BATCH)
  const bids: LevelMap[] = Array.from({ length: symbolCount }, () => new LevelMap())
  const asks: LevelMap[] = Array.from({ length: symbolCount }, () => new LevelMap())
  // The open candle of each symbol; second −1 means none yet.
  const curSecond = new Int32Array(symbolCount).fill(-1)
  const curOpen = new Uint32Array(symbolCount)
  const curHigh = new Uint32Array(symbolCount)
  const curLow = new Uint32Array(symbolCount)
  const curClose = new Uint32Array(symbolCount)
  const curVolume = new Float64Array(symbolCount)
  const curTrades = new Uint32Array(symbolCount)
  const finished = new CandleStore()
  // Valid events of the current batch that this shard owns, as indices into the columns.
  const accepted = new Uint32Array(DECODE_BATCH)
  let expected = 1
  let events = 0
  let duplicates = 0
  let gaps: SeqGap[] = []

  /** Sequence pass: records gaps, drops duplicates, keeps the owned events; returns how many were kept. */
  function sequencePass(count: number): number {
    const seq = cols.seq
    const symbol = cols.symbol
    let kept = 0
    for (let k = 0; k < count; k++) {
      const s = seq[k]!
      if (s < expected) {
        duplicates++
        continue
      }
      if (s > expected) gaps.push({ from: expected, to: s - 1 })
      expected = s + 1
      if (symbol[k]! % shard.count === shard.index) accepted[kept++] = k
    }
    events += count
    return kept
  }

  function bookPass(kept: number): void {
    const { symbol, kind, price, qty } = cols
    for (let a = 0; a < kept; a++) {
      const k = accepted[a]!
      const type = kind[k]!
      if (type === KIND_TRADE) continue
      const levels = type === KIND_BID ? bids[symbol[k]!]! : asks[symbol[k]!]!
      levels.set(price[k]!, qty[k]!)
    }
  }

  function candlePass(kept: number): void {
    const { symbol, kind, price, qty, time } = cols
    for (let a = 0; a < kept; a++) {
      const k = accepted[a]!
      if (kind[k]! !== KIND_TRADE) continue
      const s = symbol[k]!
      const second = (time[k]! / 1000) | 0
      const p = price[k]!
      if (curSecond[s] !== second) {
        if (curSecond[s]! >= 0)
          finished.push(s, curSecond[s]!, curOpen[s]!, curHigh[s]!, curLow[s]!, curClose[s]!, curVolume[s]!, curTrades[s]!)
        curSecond[s] = second
        curOpen[s] = p
        curHigh[s] = p
        curLow[s] = p
        curClose[s] = p
        curVolume[s] = qty[k]!
        curTrades[s] = 1
      } else {
        if (p > curHigh[s]!) curHigh[s] = p
        if (p < curLow[s]!) curLow[s] = p
        curClose[s] = p
        curVolume[s] = curVolume[s]! + qty[k]!
        curTrades[s] = curTrades[s]! + 1
      }
    }
  }

  function snapshot(): StreamSnapshot {
    const bySymbol = new Map<number, Candle[]>()
    for (let i = 0; i < finished.length; i++) {
      const s = finished.symbol[i]!
      let list = bySymbol.get(s)
      if (!list) bySymbol.set(s, (list = []))
      list.push([
        finished.second[i]!,
        finished.open[i]!,
        finished.high[i]!,
        finished.low[i]!,
        finished.close[i]!,
        finished.volume[i]!,
        finished.trades[i]!,
      ])
    }
    const symbols: StreamSnapshot['symbols'] = []
    for (let s = shard.index; s < symbolCount; s += shard.count) {
      const candles = bySymbol.get(s) ?? []
      if (curSecond[s]! >= 0)
        candles.push([curSecond[s]!, curOpen[s]!, curHigh[s]!, curLow[s]!, curClose[s]!, curVolume[s]!, curTrades[s]!])
      symbols.push({
        symbol: s,
        ticker: stream.tickers[s]!,
        bids: bids[s]!.entries().sort((a, b) => b[0] - a[0]),
        asks: asks[s]!.entries().sort((a, b) => a[0] - b[0]),
        candles,
      })
    }
    return { events, duplicates, gaps: [...gaps], symbols }
  }

  return {
    process(from: number, to: number): void {
      for (let start = from; start < to; start += DECODE_BATCH) {
        const count = Math.min(DECODE_BATCH, to - start)
        if (components.active) {
          // Columnar passes are timed whole; each component's latency is its pass time per event of the batch.
          const a = components.now()
          decodeBatch(view, start, count, cols)
          const b = components.now()
          const kept = sequencePass(count)
          const c = components.now()
          bookPass(kept)
          const d = components.now()
          candlePass(kept)
          const e = components.now()
          components.record('parse', (b - a) * 1e6, count)
          components.record('gap', (c - b) * 1e6, count)
          components.record('apply', (d - c) * 1e6, Math.max(1, kept))
          components.record('candle', (e - d) * 1e6, Math.max(1, kept))
          continue
        }
        decodeBatch(view, start, count, cols)
        const kept = sequencePass(count)
        bookPass(kept)
        candlePass(kept)
      }
    },
    reset(): void {
      expected = 1
      events = 0
      duplicates = 0
      gaps = []
      for (const m of bids) m.clear()
      for (const m of asks) m.clear()
      curSecond.fill(-1)
      finished.length = 0
    },
    snapshot,
  }
}
