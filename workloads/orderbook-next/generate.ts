/**
 * Seeded L2 update stream for the orderbook workload: a mid price that random-walks, level updates
 * clustered near the touch, ~10% deletions, and closing updates that restore the initial book so the
 * stream can be replayed forever without the book drifting or crossing.
 */
import { createRng, type Rng } from '../data/prng.js'

export const BID = 0
export const ASK = 1
export type Side = typeof BID | typeof ASK

/** Columnar stream: update i sets level (sides[i], prices[i]) to sizes[i] lots; 0 deletes it. */
export interface UpdateStream {
  initialBids: Array<[price: number, size: number]>
  initialAsks: Array<[price: number, size: number]>
  sides: Uint8Array
  prices: Int32Array
  sizes: Int32Array
  length: number
}

export const INITIAL_MID = 100_000

/** 1 + exponential(mean 200) lots, capped: a few large levels, many small ones. */
function drawSize(rng: Rng): number {
  return Math.min(5000, 1 + Math.floor(-Math.log(1 - rng.next()) * 200))
}

/** Generator-side book: per side, keys ascending with the best level last (bids: price, asks: -price). */
interface GenSide {
  sign: 1 | -1
  keys: number[]
  sizes: Map<number, number>
}

function lowerBound(keys: readonly number[], key: number): number {
  let lo = 0
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (keys[mid]! < key) lo = mid + 1
    else hi = mid
  }
  return lo
}

function genSet(side: GenSide, price: number, size: number): void {
  const key = side.sign * price
  const i = lowerBound(side.keys, key)
  const present = side.keys[i] === key
  if (size === 0) {
    if (present) {
      side.keys.splice(i, 1)
      side.sizes.delete(price)
    }
    return
  }
  if (!present) side.keys.splice(i, 0, key)
  side.sizes.set(price, size)
}

/** Best price of a side (the last key), or undefined when empty. */
function bestPrice(side: GenSide): number | undefined {
  const k = side.keys[side.keys.length - 1]
  return k === undefined ? undefined : side.sign * k
}

/**
 * `events` random updates (plus the crossing deletions they cause and the closing updates).
 * Each update: with 10% probability delete a level near the top; otherwise set a size at
 * mid ± (1 + ⌊u³·span⌋) ticks, deleting any opposite levels it would cross (the walk eats the book).
 */
export function generateUpdateStream(seed: number, levels: number, events: number): UpdateStream {
  const rng = createRng(seed)
  const bids: GenSide = { sign: 1, keys: [], sizes: new Map() }
  const asks: GenSide = { sign: -1, keys: [], sizes: new Map() }
  let bidPrice = INITIAL_MID - 1
  let askPrice = INITIAL_MID + 1
  for (let i = 0; i < levels; i++) {
    genSet(bids, bidPrice, drawSize(rng))
    genSet(asks, askPrice, drawSize(rng))
    bidPrice -= rng.int(1, 3)
    askPrice += rng.int(1, 3)
  }
  const initialBids = [...bids.keys].reverse().map((k): [number, number] => [k, bids.sizes.get(k)!])
  const initialAsks = [...asks.keys].reverse().map((k): [number, number] => [-k, asks.sizes.get(-k)!])
  // Initial depth spans about 2 ticks per level; inserts land within that span, top-heavy.
  const span = 2 * levels
  const high = Math.ceil(levels * 1.1)

  const sides: number[] = []
  const prices: number[] = []
  const sizes: number[] = []
  const emit = (side: GenSide, price: number, size: number): void => {
    sides.push(side === bids ? BID : ASK)
    prices.push(price)
    sizes.push(size)
    genSet(side, price, size)
  }

  let mid = INITIAL_MID
  for (let e = 0; e < events; e++) {
    mid += rng.normal() * 0.3
    const side = rng.next() < 0.5 ? bids : asks
    const other = side === bids ? asks : bids
    const n = side.keys.length
    if (n > 2 && (rng.next() < 0.1 || n > high)) {
      // Deletions are mostly near the touch; an overfull side loses its worst level instead.
      const u = rng.next()
      const rank = n > high ? n - 1 : Math.floor(n * u * u)
      emit(side, side.sign * side.keys[n - 1 - rank]!, 0)
      continue
    }
    const u = rng.next()
    const offset = 1 + Math.floor(u * u * u * span)
    const price = side === bids ? Math.round(mid) - offset : Math.round(mid) + offset
    // Keep the book uncrossed: remove opposite levels at or through the new price first.
    for (let best = bestPrice(other); best !== undefined && other.keys.length > 1; best = bestPrice(other)) {
      if (side === bids ? best > price : best < price) break
      emit(other, best, 0)
    }
    if (side === bids ? price >= bestPrice(other)! : price <= bestPrice(other)!) continue
    emit(side, price, drawSize(rng))
  }

  // Closing: drop every level not in the initial book, then restore the initial sizes. Removing first
  // leaves a subset of the initial (uncrossed) book, so no intermediate state crosses.
  const initialSets = [new Map(initialBids), new Map(initialAsks)] as const
  for (const side of [bids, asks]) {
    const initial = initialSets[side === bids ? 0 : 1]
    for (const k of side.keys.slice()) if (!initial.has(side.sign * k)) emit(side, side.sign * k, 0)
  }
  for (const side of [bids, asks]) {
    for (const [p, size] of side === bids ? initialBids : initialAsks) if (side.sizes.get(p) !== size) emit(side, p, size)
  }
  return {
    initialBids,
    initialAsks,
    sides: Uint8Array.from(sides),
    prices: Int32Array.from(prices),
    sizes: Int32Array.from(sizes),
    length: sides.length,
  }
}
