/**
 * Seeded L2 book scripts: an initial book and a cyclic stream of level updates (set a level's size,
 * size 0 deletes it) that never crosses the book and ends where it began, so it can be replayed forever.
 */
import { createRng, type Rng } from './prng.js'

/** Side index used in the columnar stream. */
export const BID = 0
export const ASK = 1

/** What to generate. */
export interface BookScriptOptions {
  /** Target depth per side, in levels; the stream keeps each side within roughly ±10% of it. */
  levels: number
  /** Random updates before the closing updates that restore the initial book. */
  events: number
}

/**
 * A replayable book script. Prices are integer ticks, sizes integer lots, so fills and notionals are
 * exact in float64 whatever order they are summed in.
 */
export interface BookScript {
  /** Initial bid levels, best (highest) first, as [priceTicks, sizeLots]. */
  initialBids: Array<[number, number]>
  /** Initial ask levels, best (lowest) first. */
  initialAsks: Array<[number, number]>
  /** Per update: BID or ASK. */
  sides: Uint8Array
  /** Per update: the level's price in ticks. */
  prices: Int32Array
  /** Per update: the level's new size in lots; 0 deletes the level. */
  sizes: Int32Array
  /** Updates in the stream, the closing ones included. */
  length: number
  /** Index of the first closing update (the ones that restore the initial book). */
  closingFrom: number
}

/** Mid price of the initial book, in ticks. */
export const INITIAL_MID_TICKS = 100_000

/** Level sizes: 1 + an exponential with mean 200 lots, capped, so a few levels are large. */
function drawSize(rng: Rng): number {
  return Math.min(5000, 1 + Math.floor(-Math.log(1 - rng.next()) * 200))
}

/** One side in the generator: prices best first, plus sizes by price. */
interface GenSide {
  isBid: boolean
  prices: number[]
  sizes: Map<number, number>
}

/** Index of `price` in a best-first list, or where it would be inserted. */
function rankOf(side: GenSide, price: number): number {
  const ps = side.prices
  let lo = 0
  let hi = ps.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    const better = side.isBid ? ps[mid]! > price : ps[mid]! < price
    if (better) lo = mid + 1
    else hi = mid
  }
  return lo
}

function setLevel(side: GenSide, price: number, size: number): void {
  const r = rankOf(side, price)
  const present = side.prices[r] === price
  if (size === 0) {
    if (present) {
      side.prices.splice(r, 1)
      side.sizes.delete(price)
    }
    return
  }
  if (!present) side.prices.splice(r, 0, price)
  side.sizes.set(price, size)
}

/**
 * Generates the script. Updates are top-heavy, as in real feeds: most touch the first few levels;
 * inserts sometimes improve the touch (inside the spread) and deletes sometimes remove it.
 */
export function generateBookScript(seed: number, options: BookScriptOptions): BookScript {
  const { levels, events } = options
  if (levels < 4) throw new Error(`book script needs at least 4 levels per side, got ${levels}`)
  const rng = createRng(seed)
  const bids: GenSide = { isBid: true, prices: [], sizes: new Map() }
  const asks: GenSide = { isBid: false, prices: [], sizes: new Map() }
  let bidPrice = INITIAL_MID_TICKS - 1
  let askPrice = INITIAL_MID_TICKS + 1
  for (let i = 0; i < levels; i++) {
    setLevel(bids, bidPrice, drawSize(rng))
    setLevel(asks, askPrice, drawSize(rng))
    bidPrice -= rng.int(1, 3)
    askPrice += rng.int(1, 3)
  }
  const initialBids = bids.prices.map((p): [number, number] => [p, bids.sizes.get(p)!])
  const initialAsks = asks.prices.map((p): [number, number] => [p, asks.sizes.get(p)!])

  const sides: number[] = []
  const prices: number[] = []
  const sizes: number[] = []
  const emit = (side: GenSide, price: number, size: number): void => {
    sides.push(side.isBid ? BID : ASK)
    prices.push(price)
    sizes.push(size)
    setLevel(side, price, size)
  }
  const low = Math.max(2, Math.floor(levels * 0.9))
  const high = Math.ceil(levels * 1.1)

  for (let e = 0; e < events; e++) {
    const side = rng.next() < 0.5 ? bids : asks
    const other = side === bids ? asks : bids
    const n = side.prices.length
    const r = rng.next()
    if (r < 0.6) {
      const u = rng.next()
      emit(side, side.prices[Math.floor(n * u * u * u)]!, drawSize(rng))
      continue
    }
    const wantDelete = n > high ? true : n <= low ? false : rng.next() < 0.5
    if (wantDelete) {
      const u = rng.next()
      emit(side, side.prices[Math.floor(n * u * u)]!, 0)
      continue
    }
    const best = side.prices[0]!
    const opposite = other.prices[0]!
    const spread = Math.abs(opposite - best)
    let price: number
    if (spread >= 2 && rng.next() < 0.25) {
      // Improve the touch, strictly inside the spread, so the book never crosses.
      const step = rng.int(1, spread - 1)
      price = side.isBid ? best + step : best - step
    } else {
      const span = Math.abs(side.prices[n - 1]! - best) + 10
      const u = rng.next()
      const offset = 1 + Math.floor(u * u * span)
      price = side.isBid ? best - offset : best + offset
    }
    emit(side, price, drawSize(rng))
  }

  // Closing updates bring the book back to its initial state without ever crossing it or emptying a
  // side: delete levels that were not in the initial book while the side keeps another level, and put
  // initial levels back once they are below the best ask (bids) or above the best bid (asks). One of
  // those moves is always possible until the book is restored (two stuck sides would have to cross).
  const closingFrom = sides.length
  const initialSizes = [new Map(initialBids), new Map(initialAsks)] as const
  for (let progressed = true; progressed;) {
    progressed = false
    for (const side of [bids, asks]) {
      const other = side === bids ? asks : bids
      const initial = initialSizes[side.isBid ? 0 : 1]
      for (const p of side.prices.slice()) {
        if (!initial.has(p) && side.prices.length > 1) {
          emit(side, p, 0)
          progressed = true
        }
      }
      for (const [p, size] of initial) {
        const inside = side.isBid ? p < other.prices[0]! : p > other.prices[0]!
        if (side.sizes.get(p) !== size && inside) {
          emit(side, p, size)
          progressed = true
        }
      }
    }
  }
  if (bids.prices.length !== initialBids.length || asks.prices.length !== initialAsks.length) {
    throw new Error('book script: closing updates did not restore the initial book')
  }

  return {
    initialBids,
    initialAsks,
    sides: Uint8Array.from(sides),
    prices: Int32Array.from(prices),
    sizes: Int32Array.from(sizes),
    length: sides.length,
    closingFrom,
  }
}
