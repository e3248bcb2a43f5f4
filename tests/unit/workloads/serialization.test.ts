import { describe, expect, it } from 'vitest'
import { type ParamValues, workloadDescriptorSchema } from '../../../core/model/workload.js'
import { digestAnswer } from '../../../workloads/data/digest.js'
import {
  BinaryReader,
  BinaryWriter,
  ORDER_FIXED_BYTES,
  QUOTE_FIXED_BYTES,
  encodedLength,
} from '../../../workloads/serialization/binary-codec.js'
import { type SerializationAnswer, descriptor, workload } from '../../../workloads/serialization/index.js'
import { decodeJsonFrame, encodeJsonFrame } from '../../../workloads/serialization/json-codec.js'
import { type Message, type OrderMessage, type QuoteMessage, generateMessages } from '../../../workloads/serialization/messages.js'

function params(overrides: ParamValues = {}): ParamValues {
  const out: ParamValues = {}
  for (const [name, spec] of Object.entries(descriptor.params)) out[name] = spec.default
  return { ...out, ...overrides }
}

async function answerOf(variant: string, seed: number, overrides: ParamValues): Promise<SerializationAnswer> {
  const inst = await workload.create({ variant, params: params(overrides), seed })
  return (await inst.answer()) as SerializationAnswer
}

function binaryRoundTrip(messages: readonly Message[], capacity?: number): { decoded: Message[]; bytes: Uint8Array } {
  const w = new BinaryWriter(capacity)
  for (const m of messages) w.writeMessage(m)
  const bytes = w.written()
  const r = new BinaryReader(bytes)
  const decoded = messages.map(() => r.readMessage())
  expect(r.offset).toBe(bytes.length)
  return { decoded, bytes }
}

const order: OrderMessage = {
  kind: 'order',
  seq: 4_000_000_000,
  timestampMs: 1_700_000_000_123.456,
  orderId: Number.MAX_SAFE_INTEGER,
  accountId: 123_456,
  symbol: 'BRK.B',
  side: 'sell',
  orderType: 'limit',
  timeInForce: 'gtc',
  price: 0.1 + 0.2,
  quantity: 1e-7,
}
const quote: QuoteMessage = {
  kind: 'quote',
  seq: 7,
  timestampMs: 1_700_000_000_000.5,
  symbol: 'AAPL',
  bidPrice: 189.99,
  bidSize: 300,
  askPrice: 190.01,
  askSize: 12.3456,
}

describe('codecs round-trip exactly', () => {
  const messages = generateMessages(21, 3000, 60, 0.6)

  it('JSON returns every generated message field for field', () => {
    for (const m of messages) expect(decodeJsonFrame(encodeJsonFrame(m))).toEqual(m)
  })

  it('binary returns every generated message field for field, through a buffer that has to grow', () => {
    const { decoded, bytes } = binaryRoundTrip(messages, 256)
    expect(decoded).toEqual(messages)
    expect(bytes.length).toBe(messages.reduce((s, m) => s + encodedLength(m), 0))
  })

  it('binary keeps float64 bits that JSON cannot: -0, NaN, infinities, subnormals', () => {
    const odd: Message[] = [
      { ...quote, bidPrice: -0, bidSize: Number.NaN, askPrice: Number.POSITIVE_INFINITY, askSize: 5e-324 },
      { ...order, price: -Number.MAX_VALUE, quantity: Number.MIN_VALUE },
    ]
    const { decoded } = binaryRoundTrip(odd)
    expect(Object.is((decoded[0] as QuoteMessage).bidPrice, -0)).toBe(true)
    expect(decoded).toEqual(odd)
  })
})

describe('binary layout', () => {
  it('puts each order field at its documented offset, little-endian, with the symbol length-prefixed', () => {
    const { bytes } = binaryRoundTrip([order])
    expect(bytes.length).toBe(ORDER_FIXED_BYTES + 5)
    expect(ORDER_FIXED_BYTES).toBe(45)
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    expect(v.getUint8(0)).toBe(1)
    expect(v.getUint8(1)).toBe(1) // sell
    expect(v.getUint8(2)).toBe(0) // limit
    expect(v.getUint8(3)).toBe(2) // gtc
    expect(v.getUint32(4, true)).toBe(4_000_000_000)
    expect(v.getFloat64(8, true)).toBe(order.timestampMs)
    expect(v.getFloat64(16, true)).toBe(Number.MAX_SAFE_INTEGER)
    expect(v.getUint32(24, true)).toBe(123_456)
    expect(v.getFloat64(28, true)).toBe(0.30000000000000004)
    expect(v.getFloat64(36, true)).toBe(1e-7)
    expect(v.getUint8(44)).toBe(5)
    expect(new TextDecoder().decode(bytes.subarray(45))).toBe('BRK.B')
  })

  it('lays out quotes in 46 bytes plus the symbol', () => {
    const { bytes } = binaryRoundTrip([quote])
    expect(bytes.length).toBe(QUOTE_FIXED_BYTES + 4)
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    expect(v.getUint8(0)).toBe(2)
    expect(v.getUint32(1, true)).toBe(7)
    expect(v.getFloat64(13, true)).toBe(189.99)
    expect(v.getFloat64(37, true)).toBe(12.3456)
    expect(v.getUint8(45)).toBe(4)
    // The binary message is far smaller than its JSON text.
    expect(encodeJsonFrame(quote).length).toBeGreaterThan(2.5 * bytes.length)
  })

  it('counts UTF-8 bytes for non-ASCII symbols and refuses symbols over 255 bytes', () => {
    const { bytes, decoded } = binaryRoundTrip([{ ...quote, symbol: 'ÄBC€' }])
    expect(bytes[45]).toBe(2 + 1 + 1 + 3)
    expect(decoded[0]!.symbol).toBe('ÄBC€')
    expect(binaryRoundTrip([{ ...quote, symbol: 'X'.repeat(255) }]).decoded[0]!.symbol).toHaveLength(255)
    expect(() => new BinaryWriter().writeMessage({ ...quote, symbol: 'X'.repeat(256) })).toThrow(/longer than 255/)
    expect(() => new BinaryWriter().writeMessage({ ...quote, symbol: 'é'.repeat(128) })).toThrow(/longer than 255/)
  })

  it('refuses truncated input, unknown kinds and unknown enum values', () => {
    const { bytes } = binaryRoundTrip([order])
    expect(() => new BinaryReader(bytes.subarray(0, 30)).readMessage()).toThrow(/truncated/)
    expect(() => new BinaryReader(bytes.subarray(0, bytes.length - 1)).readMessage()).toThrow(/truncated/)
    expect(() => new BinaryReader(Uint8Array.of(9, 0, 0)).readMessage()).toThrow(/unknown message kind 9/)
    const bad = bytes.slice()
    bad[3] = 7
    expect(() => new BinaryReader(bad).readMessage()).toThrow(/invalid enum code 7/)
    expect(() => new BinaryWriter().writeMessage({ ...order, side: 'short' as 'buy' })).toThrow(/cannot encode short/)
  })
})

describe('serialization workload', () => {
  const small = { messages: 1500, symbols: 30 }

  it('has a valid descriptor whose default variant is the naive one', () => {
    expect(() => workloadDescriptorSchema.parse(descriptor)).not.toThrow()
    expect(descriptor.variants.find((v) => v.id === descriptor.defaultVariant)?.role).toBe('naive')
  })

  it('gives the same lossless answer from both variants for several seeds, and another for another seed', async () => {
    const digests: string[] = []
    for (const seed of [1, 2, 3]) {
      const naive = await answerOf('naive', seed, small)
      expect(naive.mismatches).toBe(0)
      expect(naive.orders + naive.quotes).toBe(1500)
      expect(naive.seqSum).toBe((1500 * 1501) / 2)
      expect(digestAnswer(await answerOf('optimized', seed, small)), `seed ${seed}`).toBe(digestAnswer(naive))
      digests.push(digestAnswer(naive))
    }
    expect(new Set(digests).size).toBe(3)
  })

  it('iterates every variant with batches that wrap around the messages, and answers the same afterwards', async () => {
    for (const v of descriptor.variants) {
      const inst = await workload.create({ variant: v.id, params: params({ ...small, batch: 1000 }), seed: 5 })
      expect(inst.opsPerIteration).toBe(1000)
      const before = digestAnswer(await inst.answer())
      for (let i = 0; i < 4; i++) await inst.iterate()
      expect(digestAnswer(await inst.answer()), v.id).toBe(before)
    }
  })
})
