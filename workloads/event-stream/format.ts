/**
 * The binary wire format of event-stream: fixed 20-byte little-endian records, one order-book delta or
 * trade each, with a feed-wide sequence number. Fixed records let a reader jump to event i at i × 20.
 */

/** Bytes per event record. */
export const RECORD_BYTES = 20

/** Field offsets inside a record. */
export const OFFSET_SEQ = 0 // u32: feed sequence number, +1 per event; a jump is a gap
export const OFFSET_SYMBOL = 4 // u16: symbol id (index into the stream's tickers)
export const OFFSET_KIND = 6 // u8: KIND_BID, KIND_ASK or KIND_TRADE
export const OFFSET_SIDE = 7 // u8: trades: SIDE_BUY or SIDE_SELL (aggressor); deltas: 0
export const OFFSET_PRICE = 8 // u32: price in ticks (cents)
export const OFFSET_QTY = 12 // u32: deltas: new size of the level, 0 removes it; trades: size traded
export const OFFSET_TIME = 16 // u32: milliseconds since the start of the stream, non-decreasing

/** Set the size of one bid price level. */
export const KIND_BID = 0
/** Set the size of one ask price level. */
export const KIND_ASK = 1
/** A trade print: feeds the candles, leaves the book alone. */
export const KIND_TRADE = 2

export const SIDE_BUY = 0
export const SIDE_SELL = 1

/** One event as the generator writes it and the tests decode it. */
export interface WireEvent {
  seq: number
  symbol: number
  kind: number
  side: number
  priceTicks: number
  qty: number
  timeMs: number
}

export function encodeEvent(view: DataView, index: number, ev: WireEvent): void {
  const o = index * RECORD_BYTES
  view.setUint32(o + OFFSET_SEQ, ev.seq, true)
  view.setUint16(o + OFFSET_SYMBOL, ev.symbol, true)
  view.setUint8(o + OFFSET_KIND, ev.kind)
  view.setUint8(o + OFFSET_SIDE, ev.side)
  view.setUint32(o + OFFSET_PRICE, ev.priceTicks, true)
  view.setUint32(o + OFFSET_QTY, ev.qty, true)
  view.setUint32(o + OFFSET_TIME, ev.timeMs, true)
}
