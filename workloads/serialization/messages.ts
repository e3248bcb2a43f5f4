/**
 * The order and quote messages the serialization workload encodes and decodes, and their seeded
 * generator. Prices, sizes and timestamps are arbitrary float64 values, so codecs must keep all 64 bits.
 */
import { type SymbolMarket, generateSymbolMarkets, roundCents } from '../data/orders.js'
import { createRng } from '../data/prng.js'

export type Side = 'buy' | 'sell'
export type OrderType = 'limit' | 'market'
export type TimeInForce = 'day' | 'ioc' | 'gtc'

/** A new-order message from a client. */
export interface OrderMessage {
  kind: 'order'
  /** Per-session sequence number, below 2³². */
  seq: number
  /** Milliseconds since the Unix epoch, with a sub-millisecond fraction. */
  timestampMs: number
  /** Exchange-wide id: an integer below 2⁵³. */
  orderId: number
  /** Account number, below 2³². */
  accountId: number
  symbol: string
  side: Side
  orderType: OrderType
  timeInForce: TimeInForce
  /** Limit price; 0 for market orders. */
  price: number
  quantity: number
}

/** A top-of-book quote update. */
export interface QuoteMessage {
  kind: 'quote'
  seq: number
  timestampMs: number
  symbol: string
  bidPrice: number
  bidSize: number
  askPrice: number
  askSize: number
}

export type Message = OrderMessage | QuoteMessage

export const SIDES: readonly Side[] = ['buy', 'sell']
export const ORDER_TYPES: readonly OrderType[] = ['limit', 'market']
export const TIMES_IN_FORCE: readonly TimeInForce[] = ['day', 'ioc', 'gtc']

/** 2023-11-14T22:13:20Z: the session starts here; messages are spaced ~0.2 ms apart. */
const SESSION_START_MS = 1_700_000_000_000

/**
 * `count` messages over `symbolCount` symbols, a `quoteShare` fraction of them quotes. Sizes are
 * sometimes fractional (as on crypto venues) so decoders cannot assume integers.
 */
export function generateMessages(seed: number, count: number, symbolCount: number, quoteShare: number): Message[] {
  const rng = createRng(seed)
  const markets: SymbolMarket[] = generateSymbolMarkets(rng.fork(1), symbolCount)
  const out: Message[] = []
  let t = SESSION_START_MS
  let nextOrderId = 4_503_599_627_370_000 + rng.int(0, 400)
  for (let seq = 1; seq <= count; seq++) {
    t += rng.uniform(0.01, 0.4)
    const m = rng.pick(markets)
    const size = (): number => (rng.next() < 0.2 ? Math.round(rng.uniform(0.001, 50) * 1e4) / 1e4 : rng.int(1, 50) * 100)
    if (rng.next() < quoteShare) {
      const half = (m.midPrice * m.spreadBps) / 20_000
      const drift = m.midPrice * rng.normal() * 0.001
      out.push({
        kind: 'quote',
        seq,
        timestampMs: t,
        symbol: m.symbol,
        bidPrice: roundCents(m.midPrice + drift - half),
        bidSize: size(),
        askPrice: roundCents(m.midPrice + drift + half) + 0.01,
        askSize: size(),
      })
    } else {
      const orderType = rng.next() < 0.8 ? 'limit' : 'market'
      out.push({
        kind: 'order',
        seq,
        timestampMs: t,
        orderId: nextOrderId,
        accountId: rng.int(1, 1_000_000),
        symbol: m.symbol,
        side: rng.pick(SIDES),
        orderType,
        timeInForce: orderType === 'market' ? 'ioc' : rng.pick(TIMES_IN_FORCE),
        price: orderType === 'market' ? 0 : roundCents(m.midPrice * rng.uniform(0.98, 1.02)),
        quantity: size(),
      })
      nextOrderId += rng.int(1, 7)
    }
  }
  return out
}

/** True when `b` carries exactly the fields and values of `a` (float64 equality, -0 and NaN distinguished). */
export function sameMessage(a: Message, b: Message): boolean {
  const keysA = Object.keys(a)
  if (keysA.length !== Object.keys(b).length) return false
  for (const k of keysA) {
    if (!Object.is((a as unknown as Record<string, unknown>)[k], (b as unknown as Record<string, unknown>)[k])) return false
  }
  return true
}
