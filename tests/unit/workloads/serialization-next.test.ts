import { describe, expect, it } from 'vitest'
import { workloadDescriptorSchema } from '../../../core/model/workload.js'
import { digestAnswer } from '../../../workloads/data/digest.js'
import { createBinaryBuffer, decodeBinary, encodeBinary } from '../../../workloads/serialization-next/binary.js'
import { createRoundTrip, descriptor, workload } from '../../../workloads/serialization-next/index.js'
import { decodeJson, encodeJson } from '../../../workloads/serialization-next/json.js'
import { type Message, type OrderMessage, generateMessages } from '../../../workloads/serialization-next/messages.js'

const params = { messages: 3000, batch: 700, quoteRatio: 0.6 }

/** Object.is on every field: toEqual alone would accept 0 for -0. */
function expectIdentical(actual: Message, expected: Message): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort())
  for (const [k, v] of Object.entries(expected)) expect(Object.is((actual as unknown as Record<string, unknown>)[k], v), k).toBe(true)
}

describe('codecs', () => {
  const messages = generateMessages(5, 5000, 0.5)

  it('generates both kinds, ids above 2^32, full-precision prices and non-ASCII symbols', () => {
    const orders = messages.filter((m): m is OrderMessage => m.type === 'order')
    expect(orders.length).toBeGreaterThan(2000)
    expect(messages.length - orders.length).toBeGreaterThan(2000)
    expect(orders.every((o) => o.id > 2 ** 32 && Number.isSafeInteger(o.id))).toBe(true)
    expect(orders.some((o) => Math.round(o.price * 100) / 100 !== o.price)).toBe(true)
    expect(messages.some((m) => [...m.symbol].some((ch) => ch.charCodeAt(0) > 0x7f))).toBe(true)
  })

  it.each(['json', 'binary'])('%s round-trips every message exactly', (variant) => {
    const roundTrip = createRoundTrip(variant)
    for (const m of messages) expectIdentical(roundTrip(m), m)
  })

  it('lays out an order in 33 bytes plus the symbol, little-endian', () => {
    const buf = createBinaryBuffer()
    const order: OrderMessage = {
      type: 'order',
      id: 2 ** 40 + 5,
      symbol: 'ABC',
      side: 'sell',
      price: 1.5,
      qty: 300,
      tif: 'ioc',
      ts: 2 ** 33 + 7,
    }
    const n = encodeBinary(order, buf)
    expect(n).toBe(36)
    const b = buf.bytes
    expect([...b.subarray(0, 4)]).toEqual([1, 1, 1, 0])
    expect([...b.subarray(4, 12)]).toEqual([0, 1, 0, 0, 5, 0, 0, 0]) // id hi = 256, lo = 5
    expect(buf.view.getFloat64(12, true)).toBe(1.5)
    expect([...b.subarray(20, 24)]).toEqual([44, 1, 0, 0]) // 300
    expect([...b.subarray(24, 32)]).toEqual([2, 0, 0, 0, 7, 0, 0, 0])
    expect([...b.subarray(32, 36)]).toEqual([3, 65, 66, 67])
    expectIdentical(decodeBinary(buf), order)
    const quoteLength = encodeBinary({ type: 'quote', symbol: 'XY', bid: 1, ask: 2, bidSize: 3, askSize: 4, ts: 5 }, buf)
    expect(quoteLength).toBe(37 + 2)
    expect(b[0]).toBe(2)
  })

  it('round-trips non-ASCII symbols through both codecs and refuses a symbol too long for its length byte', () => {
    const buf = createBinaryBuffer()
    for (const symbol of ['ÖBB', 'トヨタ', 'Ä€R😀', '']) {
      const quote: Message = { type: 'quote', symbol, bid: 0.1 + 0.2, ask: 1e-300, bidSize: 0, askSize: 4294967295, ts: 2 ** 53 - 1 }
      const n = encodeBinary(quote, buf)
      expect(n).toBe(37 + new TextEncoder().encode(symbol).length)
      expectIdentical(decodeBinary(buf), quote)
      expectIdentical(decodeJson(encodeJson(quote)), quote)
    }
    expect(() => encodeBinary({ type: 'quote', symbol: 'é'.repeat(128), bid: 1, ask: 1, bidSize: 1, askSize: 1, ts: 1 }, buf)).toThrow(
      /255/,
    )
    buf.bytes[0] = 9
    expect(() => decodeBinary(buf)).toThrow(/type byte 9/)
  })
})

describe('serialization workload', () => {
  it('has a valid descriptor with the naive variant as default', () => {
    expect(workloadDescriptorSchema.parse(descriptor)).toEqual(descriptor)
    expect(descriptor.variants.find((v) => v.id === descriptor.defaultVariant)?.role).toBe('naive')
  })

  it('gives the same answer in both variants and a different one for another seed', async () => {
    const digests: string[] = []
    for (const variant of ['json', 'binary']) {
      const instance = await workload.create({ variant, params, seed: 3 })
      expect(instance.opsPerIteration).toBe(700)
      for (let i = 0; i < 6; i++) await instance.iterate()
      const answer = (await instance.answer()) as { orders: number; quotes: number }
      expect(answer.orders + answer.quotes).toBe(params.messages)
      digests.push(digestAnswer(answer))
    }
    expect(digests[0]).toBe(digests[1])
    const other = await workload.create({ variant: 'binary', params, seed: 4 })
    expect(digestAnswer(await other.answer())).not.toBe(digests[0])
  })

  it('refuses an unknown variant', () => {
    expect(() => workload.create({ variant: 'xml', params, seed: 1 })).toThrow(/unknown variant xml/)
  })
})
