/**
 * The optimized codec: a fixed little-endian DataView layout per message kind followed by a
 * length-prefixed UTF-8 symbol, written back to back into one reusable buffer. Layout (byte offsets):
 *
 *   order (kind 1): 0 u8 kind | 1 u8 side | 2 u8 orderType | 3 u8 timeInForce | 4 u32 seq | 8 f64 timestampMs
 *                   | 16 f64 orderId | 24 u32 accountId | 28 f64 price | 36 f64 quantity | 44 u8 symbolBytes | 45 symbol
 *   quote (kind 2): 0 u8 kind | 1 u32 seq | 5 f64 timestampMs | 13 f64 bidPrice | 21 f64 bidSize | 29 f64 askPrice
 *                   | 37 f64 askSize | 45 u8 symbolBytes | 46 symbol
 */
import { type Message, ORDER_TYPES, type OrderMessage, type QuoteMessage, SIDES, TIMES_IN_FORCE } from './messages.js'

export const ORDER_KIND = 1
export const QUOTE_KIND = 2
/** Bytes of an order before its symbol (the length byte included). */
export const ORDER_FIXED_BYTES = 45
/** Bytes of a quote before its symbol (the length byte included). */
export const QUOTE_FIXED_BYTES = 46
/** The length prefix is one byte. */
export const MAX_SYMBOL_BYTES = 255
const MAX_MESSAGE_BYTES = QUOTE_FIXED_BYTES + MAX_SYMBOL_BYTES

const utf8Encoder = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8', { fatal: true })

/** Encoded size of a message. */
export function encodedLength(message: Message): number {
  return (message.kind === 'order' ? ORDER_FIXED_BYTES : QUOTE_FIXED_BYTES) + utf8Encoder.encode(message.symbol).length
}

/** Appends messages to one growable buffer; `reset()` reuses it for the next batch. */
export class BinaryWriter {
  buffer: ArrayBuffer
  view: DataView
  bytes: Uint8Array
  offset = 0

  constructor(capacity = 64 * 1024) {
    this.buffer = new ArrayBuffer(capacity)
    this.view = new DataView(this.buffer)
    this.bytes = new Uint8Array(this.buffer)
  }

  reset(): void {
    this.offset = 0
  }

  /** The bytes written since the last reset (a view, not a copy). */
  written(): Uint8Array {
    return this.bytes.subarray(0, this.offset)
  }

  writeMessage(message: Message): void {
    if (this.offset + MAX_MESSAGE_BYTES > this.bytes.length) this.grow()
    if (message.kind === 'order') this.writeOrder(message)
    else this.writeQuote(message)
  }

  private writeOrder(m: OrderMessage): void {
    const v = this.view
    const o = this.offset
    v.setUint8(o, ORDER_KIND)
    v.setUint8(o + 1, codeOf(SIDES, m.side))
    v.setUint8(o + 2, codeOf(ORDER_TYPES, m.orderType))
    v.setUint8(o + 3, codeOf(TIMES_IN_FORCE, m.timeInForce))
    v.setUint32(o + 4, m.seq, true)
    v.setFloat64(o + 8, m.timestampMs, true)
    v.setFloat64(o + 16, m.orderId, true)
    v.setUint32(o + 24, m.accountId, true)
    v.setFloat64(o + 28, m.price, true)
    v.setFloat64(o + 36, m.quantity, true)
    this.offset = writeSymbol(this.bytes, o + 44, m.symbol)
  }

  private writeQuote(m: QuoteMessage): void {
    const v = this.view
    const o = this.offset
    v.setUint8(o, QUOTE_KIND)
    v.setUint32(o + 1, m.seq, true)
    v.setFloat64(o + 5, m.timestampMs, true)
    v.setFloat64(o + 13, m.bidPrice, true)
    v.setFloat64(o + 21, m.bidSize, true)
    v.setFloat64(o + 29, m.askPrice, true)
    v.setFloat64(o + 37, m.askSize, true)
    this.offset = writeSymbol(this.bytes, o + 45, m.symbol)
  }

  private grow(): void {
    const bigger = new ArrayBuffer(this.buffer.byteLength * 2)
    new Uint8Array(bigger).set(this.bytes.subarray(0, this.offset))
    this.buffer = bigger
    this.view = new DataView(bigger)
    this.bytes = new Uint8Array(bigger)
  }
}

function codeOf<T extends string>(values: readonly T[], value: T): number {
  // Two or three values: a scan beats a Map lookup, and an unknown value must fail loudly.
  for (let i = 0; i < values.length; i++) if (values[i] === value) return i
  throw new Error(`cannot encode ${String(value)} (expected one of ${values.join(', ')})`)
}

/** Writes the length byte at `at` and the symbol after it; returns the offset after the symbol. */
function writeSymbol(bytes: Uint8Array, at: number, symbol: string): number {
  const n = symbol.length
  if (n <= MAX_SYMBOL_BYTES) {
    let i = 0
    for (; i < n; i++) {
      const c = symbol.charCodeAt(i)
      if (c >= 0x80) break
      bytes[at + 1 + i] = c
    }
    if (i === n) {
      bytes[at] = n
      return at + 1 + n
    }
  }
  // Non-ASCII symbols take the encoder; it stops at the window's end, which is how overlong symbols are caught.
  const { read, written } = utf8Encoder.encodeInto(symbol, bytes.subarray(at + 1, at + 1 + MAX_SYMBOL_BYTES))
  if (read !== n) throw new Error(`symbol ${symbol.slice(0, 20)}… is longer than ${MAX_SYMBOL_BYTES} UTF-8 bytes`)
  bytes[at] = written
  return at + 1 + written
}

/** Reads messages back to back from a byte range. */
export class BinaryReader {
  private view: DataView
  offset = 0

  constructor(private bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  /** Points the reader at another range (e.g. the writer's buffer after it grew). */
  reset(bytes: Uint8Array): void {
    if (bytes !== this.bytes) {
      this.bytes = bytes
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    }
    this.offset = 0
  }

  readMessage(): Message {
    const kind = this.bytes[this.offset]
    if (kind === ORDER_KIND) return this.readOrder()
    if (kind === QUOTE_KIND) return this.readQuote()
    throw new Error(`unknown message kind ${String(kind)} at byte ${this.offset}`)
  }

  private readOrder(): OrderMessage {
    const v = this.view
    const o = this.offset
    this.need(o + ORDER_FIXED_BYTES)
    const message: OrderMessage = {
      kind: 'order',
      seq: v.getUint32(o + 4, true),
      timestampMs: v.getFloat64(o + 8, true),
      orderId: v.getFloat64(o + 16, true),
      accountId: v.getUint32(o + 24, true),
      symbol: this.readSymbol(o + 44),
      side: valueOf(SIDES, v.getUint8(o + 1)),
      orderType: valueOf(ORDER_TYPES, v.getUint8(o + 2)),
      timeInForce: valueOf(TIMES_IN_FORCE, v.getUint8(o + 3)),
      price: v.getFloat64(o + 28, true),
      quantity: v.getFloat64(o + 36, true),
    }
    return message
  }

  private readQuote(): QuoteMessage {
    const v = this.view
    const o = this.offset
    this.need(o + QUOTE_FIXED_BYTES)
    return {
      kind: 'quote',
      seq: v.getUint32(o + 1, true),
      timestampMs: v.getFloat64(o + 5, true),
      symbol: this.readSymbol(o + 45),
      bidPrice: v.getFloat64(o + 13, true),
      bidSize: v.getFloat64(o + 21, true),
      askPrice: v.getFloat64(o + 29, true),
      askSize: v.getFloat64(o + 37, true),
    }
  }

  /** Reads the length-prefixed symbol at `at` and moves the offset past the message. */
  private readSymbol(at: number): string {
    const bytes = this.bytes
    const n = bytes[at]!
    const start = at + 1
    const end = start + n
    this.need(end)
    this.offset = end
    let s = ''
    for (let i = start; i < end; i++) {
      const b = bytes[i]!
      if (b >= 0x80) return utf8Decoder.decode(bytes.subarray(start, end))
      s += String.fromCharCode(b)
    }
    return s
  }

  private need(end: number): void {
    if (end > this.bytes.length) throw new Error(`truncated message: needs ${end} bytes, has ${this.bytes.length}`)
  }
}

function valueOf<T extends string>(values: readonly T[], code: number): T {
  const value = values[code]
  if (value === undefined) throw new Error(`invalid enum code ${code} (expected 0..${values.length - 1})`)
  return value
}
