/**
 * serialization: encodes and decodes seeded order and quote messages, JSON text frames versus a fixed
 * binary DataView layout. Both round-trip every field exactly, floats as full float64.
 */
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { canonicalJson, fnv1a64 } from '../data/digest.js'
import { type WorkloadContext, type WorkloadInstance, type WorkloadModule, intParam, numberParam } from '../types.js'
import { BinaryReader, BinaryWriter } from './binary-codec.js'
import { decodeJsonFrame, encodeJsonFrame } from './json-codec.js'
import { type Message, generateMessages, sameMessage } from './messages.js'

export const descriptor: WorkloadDescriptor = {
  id: 'serialization',
  title: 'Message serialization',
  description:
    'Encodes a batch of seeded order and quote messages to bytes and decodes them back, JSON text or a fixed ' +
    'little-endian binary layout with a length-prefixed symbol. Decoded messages equal the originals field for field.',
  operation: 'one message encoded to bytes and decoded back',
  variants: [
    {
      id: 'naive',
      title: 'JSON',
      description: 'JSON.stringify + TextEncoder to a frame per message; TextDecoder + JSON.parse back.',
      role: 'naive',
    },
    {
      id: 'optimized',
      title: 'Binary DataView layout',
      description: 'Fixed-offset fields written with DataView into one reused buffer, enums as bytes, ASCII symbols copied byte by byte.',
      role: 'optimized',
    },
  ],
  defaultVariant: 'naive',
  params: {
    messages: { type: 'int', description: 'Seeded messages the batches cycle through.', default: 10_000, min: 1, max: 1_000_000 },
    batch: { type: 'int', description: 'Messages encoded and decoded per timed iteration.', default: 1000, min: 1, max: 100_000 },
    symbols: { type: 'int', description: 'Distinct symbols in the messages.', default: 500, min: 1, max: 10_000 },
    quoteShare: {
      type: 'number',
      description: 'Fraction of messages that are quotes (the rest are orders).',
      default: 0.7,
      min: 0,
      max: 1,
    },
  },
  unit: 'messages',
  openLoop: { request: 'a batch of messages encoded and decoded', batchParam: 'batch' },
  figureToBeat: 'JSON 100 µs -> binary 40 µs; parse 150 -> 50 µs',
}

/** The workload's answer: facts about the decoded messages, identical for every codec that round-trips. */
export interface SerializationAnswer {
  messages: number
  orders: number
  quotes: number
  seqSum: number
  /** Σ price × quantity over orders, 12 significant digits. */
  orderNotional: number
  /** Σ (bid + ask) / 2 over quotes, 12 significant digits. */
  quoteMidSum: number
  /** FNV-1a of the canonical JSON of all decoded messages. */
  decodedDigest: string
  /** Decoded messages that differ from the original in any field: 0 when the codec is lossless. */
  mismatches: number
}

function roundSig(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(12))
}

function summarizeDecoded(originals: readonly Message[], decoded: readonly Message[]): SerializationAnswer {
  let orders = 0
  let seqSum = 0
  let orderNotional = 0
  let quoteMidSum = 0
  let mismatches = 0
  decoded.forEach((m, i) => {
    seqSum += m.seq
    if (m.kind === 'order') {
      orders++
      orderNotional += m.price * m.quantity
    } else {
      quoteMidSum += (m.bidPrice + m.askPrice) / 2
    }
    if (!sameMessage(originals[i]!, m)) mismatches++
  })
  return {
    messages: decoded.length,
    orders,
    quotes: decoded.length - orders,
    seqSum,
    orderNotional: roundSig(orderNotional),
    quoteMidSum: roundSig(quoteMidSum),
    decodedDigest: fnv1a64(canonicalJson(decoded)),
    mismatches,
  }
}

/** Folds a decoded message into a number so the decode cannot be skipped. */
function checksumOf(m: Message): number {
  return m.seq + m.symbol.length + (m.kind === 'order' ? m.price + m.quantity : m.bidPrice + m.askSize)
}

export function createSerialization(ctx: WorkloadContext): WorkloadInstance {
  const batch = intParam(ctx.params, 'batch')
  const messages = generateMessages(
    ctx.seed,
    intParam(ctx.params, 'messages'),
    intParam(ctx.params, 'symbols'),
    numberParam(ctx.params, 'quoteShare'),
  )
  const n = messages.length
  let cursor = 0
  let sink = 0
  const consume = (x: number): void => {
    sink += x
    if (Number.isNaN(sink)) throw new Error('serialization: decoded a NaN field')
  }

  if (ctx.variant === 'naive') {
    return {
      opsPerIteration: batch,
      iterate: function roundTripJson(): void {
        const frames: Uint8Array[] = []
        for (let k = 0; k < batch; k++) {
          frames.push(encodeJsonFrame(messages[cursor]!))
          if (++cursor === n) cursor = 0
        }
        let sum = 0
        for (const frame of frames) sum += checksumOf(decodeJsonFrame(frame))
        consume(sum)
      },
      answer: () =>
        summarizeDecoded(
          messages,
          messages.map((m) => decodeJsonFrame(encodeJsonFrame(m))),
        ),
    }
  }
  if (ctx.variant !== 'optimized') {
    throw new Error(`unknown variant ${ctx.variant} of serialization (expected ${descriptor.variants.map((v) => v.id).join(', ')})`)
  }
  const writer = new BinaryWriter()
  const reader = new BinaryReader(writer.written())
  return {
    opsPerIteration: batch,
    iterate: function roundTripBinary(): void {
      writer.reset()
      for (let k = 0; k < batch; k++) {
        writer.writeMessage(messages[cursor]!)
        if (++cursor === n) cursor = 0
      }
      reader.reset(writer.written())
      let sum = 0
      for (let k = 0; k < batch; k++) sum += checksumOf(reader.readMessage())
      consume(sum)
    },
    answer: () => {
      const w = new BinaryWriter()
      for (const m of messages) w.writeMessage(m)
      const r = new BinaryReader(w.written())
      return summarizeDecoded(
        messages,
        messages.map(() => r.readMessage()),
      )
    },
  }
}

export const workload: WorkloadModule = { descriptor, create: createSerialization }
