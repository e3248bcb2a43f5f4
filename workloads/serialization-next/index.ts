/**
 * serialization: encode and decode a seeded mix of order and quote messages, JSON text against a
 * hand-written binary layout. Both must round-trip every field exactly.
 */
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { fnv1a64 } from '../data/digest.js'
import { type WorkloadContext, type WorkloadInstance, type WorkloadModule, intParam, numberParam } from '../types.js'
import { createBinaryBuffer, decodeBinary, encodeBinary } from './binary.js'
import { decodeJson, encodeJson } from './json.js'
import { type Message, generateMessages } from './messages.js'

export const descriptor: WorkloadDescriptor = {
  id: 'serialization',
  title: 'Message serialization',
  description:
    'Encodes a seeded mix of order messages (id, symbol, side, price, qty, time in force, timestamp) and quote ' +
    'messages (symbol, bid, ask, sizes, timestamp) to bytes and decodes them back, exactly (float64 prices).',
  operation: 'one message encoded to bytes and decoded back',
  variants: [
    { id: 'json', title: 'JSON', description: 'JSON.stringify + TextEncoder to bytes; TextDecoder + JSON.parse back.', role: 'naive' },
    {
      id: 'binary',
      title: 'Binary layout',
      description:
        'A fixed little-endian DataView layout (type byte, u32 pairs for 53-bit integers, float64 prices, length-prefixed UTF-8 symbol) in one reused buffer.',
      role: 'optimized',
    },
  ],
  defaultVariant: 'json',
  params: {
    messages: { type: 'int', description: 'Seeded messages, cycled through by the iterations.', default: 10_000, min: 1, max: 1_000_000 },
    batch: { type: 'int', description: 'Messages encoded and decoded per iteration.', default: 1000, min: 1, max: 1_000_000 },
    quoteRatio: { type: 'number', description: 'Share of quotes in the mix (the rest are orders).', default: 0.7, min: 0, max: 1 },
  },
  figureToBeat: 'JSON 100 µs -> binary 40 µs; parse 150 -> 50 µs',
}

/** Encodes then decodes one message with a variant's codec. */
export type RoundTrip = (message: Message) => Message

export function createRoundTrip(variant: string): RoundTrip {
  switch (variant) {
    case 'json':
      return function jsonRoundTrip(message) {
        return decodeJson(encodeJson(message))
      }
    case 'binary': {
      const buf = createBinaryBuffer()
      return function binaryRoundTrip(message) {
        encodeBinary(message, buf)
        return decodeBinary(buf)
      }
    }
    default:
      throw new Error(`unknown variant ${variant} of serialization (expected ${descriptor.variants.map((v) => v.id).join(', ')})`)
  }
}

/** Totals of the decoded messages: the same for every codec that round-trips exactly. */
export function summarizeDecoded(decoded: readonly Message[]): unknown {
  let orders = 0
  let quotes = 0
  let buys = 0
  let orderPriceSum = 0
  let orderQtySum = 0
  let quoteMidSum = 0
  let quoteSizeSum = 0
  let symbols = ''
  let idsAndTimes = ''
  for (const m of decoded) {
    symbols += m.symbol + '\n'
    if (m.type === 'order') {
      orders++
      if (m.side === 'buy') buys++
      orderPriceSum += m.price
      orderQtySum += m.qty
      idsAndTimes += `${m.id}:${m.tif}:${m.ts};`
    } else {
      quotes++
      quoteMidSum += (m.bid + m.ask) / 2
      quoteSizeSum += m.bidSize + m.askSize
      idsAndTimes += `${m.ts};`
    }
  }
  return {
    orders,
    quotes,
    buys,
    orderPriceSum: Math.round(orderPriceSum * 1e6) / 1e6,
    orderQtySum,
    quoteMidSum: Math.round(quoteMidSum * 1e6) / 1e6,
    quoteSizeSum,
    symbolsDigest: fnv1a64(symbols),
    idsDigest: fnv1a64(idsAndTimes),
  }
}

export function createSerialization(ctx: WorkloadContext): WorkloadInstance {
  const count = intParam(ctx.params, 'messages')
  const batch = intParam(ctx.params, 'batch')
  const messages = generateMessages(ctx.seed, count, numberParam(ctx.params, 'quoteRatio'))
  const roundTrip = createRoundTrip(ctx.variant)
  let cursor = 0
  let sink = 0
  return {
    opsPerIteration: batch,
    iterate(): void {
      for (let k = 0; k < batch; k++) {
        const decoded = roundTrip(messages[cursor]!)
        sink += decoded.ts
        if (++cursor === count) cursor = 0
      }
      if (sink < 0) throw new Error('serialization: impossible sink value')
    },
    answer: () => summarizeDecoded(messages.map(createRoundTrip(ctx.variant))),
  }
}

export const workload: WorkloadModule = { descriptor, create: (ctx) => createSerialization(ctx) }
