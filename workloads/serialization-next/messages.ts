/**
 * Order and quote messages for the serialization workload, and their seeded generator. Prices are
 * float64 (cents, not always exactly representable), ids and timestamps integers below 2^53.
 */
import { createRng } from '../data/prng.js'

export const SIDES = ['buy', 'sell'] as const
export const TIFS = ['day', 'ioc', 'fok', 'gtc'] as const

export interface OrderMessage {
  type: 'order'
  /** Integer below 2^53; the binary codec writes it as two u32 words. */
  id: number
  symbol: string
  side: (typeof SIDES)[number]
  price: number
  qty: number
  tif: (typeof TIFS)[number]
  /** Microseconds since the epoch (integer below 2^53). */
  ts: number
}

export interface QuoteMessage {
  type: 'quote'
  symbol: string
  bid: number
  ask: number
  bidSize: number
  askSize: number
  ts: number
}

export type Message = OrderMessage | QuoteMessage

/** A few non-ASCII symbols (UTF-8 of 2-4 bytes per character) among the generated tickers. */
const NON_ASCII_SYMBOLS = ['ÖBB', 'NESTLÉ', 'ΑΛΦΑ', 'トヨタ', '招商银行', 'Ä€R😀'] as const

function ticker(rng: ReturnType<typeof createRng>): string {
  let s = ''
  const len = rng.int(1, 5)
  for (let i = 0; i < len; i++) s += String.fromCharCode(65 + rng.int(0, 25))
  return s
}

/** `count` messages, each a quote with probability `quoteRatio`, over a universe of 300 symbols. */
export function generateMessages(seed: number, count: number, quoteRatio: number): Message[] {
  const rng = createRng(seed)
  const symbols: string[] = []
  for (let i = 0; i < 300; i++) symbols.push(i % 50 === 0 ? NON_ASCII_SYMBOLS[(i / 50) % NON_ASCII_SYMBOLS.length]! : ticker(rng))
  const refPrice = symbols.map(() => rng.uniform(1, 2000))
  // Ids well above 2^32 so the high word matters; timestamps around 2023 in microseconds.
  let id = rng.int(1, 1 << 20) * 4294967296 + rng.nextU32()
  let ts = 1_700_000_000_000_000 + rng.int(0, 1e9)
  const out: Message[] = []
  for (let i = 0; i < count; i++) {
    const k = rng.int(0, symbols.length - 1)
    const symbol = symbols[k]!
    const ref = refPrice[k]!
    ts += rng.int(1, 5000)
    if (rng.next() < quoteRatio) {
      const mid = ref * (1 + rng.normal() * 0.01)
      const half = Math.max(0.005, mid * rng.uniform(0.00005, 0.001))
      out.push({
        type: 'quote',
        symbol,
        bid: Math.round((mid - half) * 100) / 100,
        ask: Math.round((mid + half) * 100) / 100 + 0.01,
        bidSize: 100 * rng.int(1, 500),
        askSize: 100 * rng.int(1, 500),
        ts,
      })
    } else {
      id += rng.int(1, 9)
      out.push({
        type: 'order',
        id,
        symbol,
        side: rng.pick(SIDES),
        // Some prices are full float64 (e.g. from a VWAP computation), most are in cents.
        price: rng.next() < 0.2 ? ref * (1 + rng.normal() * 0.01) : Math.round(ref * (1 + rng.normal() * 0.01) * 100) / 100,
        qty: rng.int(1, 100_000),
        tif: rng.pick(TIFS),
        ts,
      })
    }
  }
  return out
}
