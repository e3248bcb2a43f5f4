/**
 * The optimized codec: a fixed little-endian DataView layout per message type, written into one
 * reused buffer, with the symbol as a u8 length plus UTF-8 bytes (encodeInto, and an ASCII fast
 * path on decode). Layouts (offsets in bytes):
 *
 *   order (type 1): 0 type u8 | 1 side u8 | 2 tif u8 | 3 zero | 4 id hi u32 | 8 id lo u32 |
 *                   12 price f64 | 20 qty u32 | 24 ts hi u32 | 28 ts lo u32 | 32 symbol length u8 | 33 symbol
 *   quote (type 2): 0 type u8 | 1-3 zero | 4 bid f64 | 12 ask f64 | 20 bidSize u32 | 24 askSize u32 |
 *                   28 ts hi u32 | 32 ts lo u32 | 36 symbol length u8 | 37 symbol
 */
import { type Message, type OrderMessage, type QuoteMessage, SIDES, TIFS } from './messages.js'

export const ORDER_TYPE = 1
export const QUOTE_TYPE = 2
export const ORDER_HEADER = 33
export const QUOTE_HEADER = 37
/** Longest symbol in UTF-8 bytes (the length is one byte). */
export const MAX_SYMBOL_BYTES = 255

const TWO_32 = 4294967296
const textEncoder = new TextEncoder()
const textDecoder = new TextDecoder()

/** A reusable output buffer: encode returns how many bytes of it hold the message. */
export interface BinaryBuffer {
  bytes: Uint8Array
  view: DataView
}

export function createBinaryBuffer(): BinaryBuffer {
  const bytes = new Uint8Array(QUOTE_HEADER + MAX_SYMBOL_BYTES)
  return { bytes, view: new DataView(bytes.buffer) }
}

function writeSymbol(buf: BinaryBuffer, at: number, symbol: string): number {
  // Worst case 3 bytes per UTF-16 unit; the buffer always has MAX_SYMBOL_BYTES after the length byte.
  const { read, written } = textEncoder.encodeInto(symbol, buf.bytes.subarray(at + 1, at + 1 + MAX_SYMBOL_BYTES))
  if (read !== symbol.length) throw new Error(`symbol longer than ${MAX_SYMBOL_BYTES} UTF-8 bytes: ${symbol.slice(0, 20)}…`)
  buf.bytes[at] = written
  return at + 1 + written
}

function readSymbol(bytes: Uint8Array, at: number): string {
  const len = bytes[at]!
  const start = at + 1
  let s = ''
  for (let i = start; i < start + len; i++) {
    const c = bytes[i]!
    // Non-ASCII: fall back to the full UTF-8 decoder (rare: a few symbols of the universe).
    if (c >= 0x80) return textDecoder.decode(bytes.subarray(start, start + len))
    s += String.fromCharCode(c)
  }
  return s
}

/** Writes `message` at the start of `buf`; returns its length in bytes. */
export function encodeBinary(message: Message, buf: BinaryBuffer): number {
  const v = buf.view
  if (message.type === 'order') {
    v.setUint8(0, ORDER_TYPE)
    v.setUint8(1, message.side === 'buy' ? 0 : 1)
    v.setUint8(2, TIFS.indexOf(message.tif))
    v.setUint8(3, 0)
    v.setUint32(4, Math.floor(message.id / TWO_32), true)
    v.setUint32(8, message.id >>> 0, true)
    v.setFloat64(12, message.price, true)
    v.setUint32(20, message.qty, true)
    v.setUint32(24, Math.floor(message.ts / TWO_32), true)
    v.setUint32(28, message.ts >>> 0, true)
    return writeSymbol(buf, 32, message.symbol)
  }
  v.setUint32(0, QUOTE_TYPE, true)
  v.setFloat64(4, message.bid, true)
  v.setFloat64(12, message.ask, true)
  v.setUint32(20, message.bidSize, true)
  v.setUint32(24, message.askSize, true)
  v.setUint32(28, Math.floor(message.ts / TWO_32), true)
  v.setUint32(32, message.ts >>> 0, true)
  return writeSymbol(buf, 36, message.symbol)
}

function decodeOrder(v: DataView, bytes: Uint8Array): OrderMessage {
  return {
    type: 'order',
    id: v.getUint32(4, true) * TWO_32 + v.getUint32(8, true),
    symbol: readSymbol(bytes, 32),
    side: SIDES[v.getUint8(1)]!,
    price: v.getFloat64(12, true),
    qty: v.getUint32(20, true),
    tif: TIFS[v.getUint8(2)]!,
    ts: v.getUint32(24, true) * TWO_32 + v.getUint32(28, true),
  }
}

function decodeQuote(v: DataView, bytes: Uint8Array): QuoteMessage {
  return {
    type: 'quote',
    symbol: readSymbol(bytes, 36),
    bid: v.getFloat64(4, true),
    ask: v.getFloat64(12, true),
    bidSize: v.getUint32(20, true),
    askSize: v.getUint32(24, true),
    ts: v.getUint32(28, true) * TWO_32 + v.getUint32(32, true),
  }
}

/** Reads one message from the start of `buf` (the layout is self-delimiting). */
export function decodeBinary(buf: BinaryBuffer): Message {
  const type = buf.bytes[0]
  if (type === ORDER_TYPE) return decodeOrder(buf.view, buf.bytes)
  if (type === QUOTE_TYPE) return decodeQuote(buf.view, buf.bytes)
  throw new Error(`unknown message type byte ${String(type)}`)
}
