/**
 * The optimized book: per side, parallel typed arrays of keys and sizes kept sorted with the best
 * level LAST (key = price for bids, −price for asks), so the frequent updates near the touch shift
 * only a few elements. Binary search finds a level; a walk scans from the end; nothing allocates
 * per update.
 */
import { type L2Book, type WalkResult, walkResult } from './book.js'
import { BID, type Side } from './generate.js'

class ArraySide {
  keys: Int32Array
  sizes: Float64Array
  count = 0
  constructor(
    readonly sign: 1 | -1,
    capacity: number,
  ) {
    this.keys = new Int32Array(capacity)
    this.sizes = new Float64Array(capacity)
  }
}

/** First index whose key is >= `key`. */
function lowerBound(keys: Int32Array, count: number, key: number): number {
  let lo = 0
  let hi = count
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (keys[mid]! < key) lo = mid + 1
    else hi = mid
  }
  return lo
}

function grow(side: ArraySide): void {
  const keys = new Int32Array(side.keys.length * 2)
  const sizes = new Float64Array(side.keys.length * 2)
  keys.set(side.keys)
  sizes.set(side.sizes)
  side.keys = keys
  side.sizes = sizes
}

function setLevel(side: ArraySide, price: number, size: number): void {
  const key = side.sign * price
  const n = side.count
  const i = lowerBound(side.keys, n, key)
  const present = i < n && side.keys[i] === key
  if (size === 0) {
    if (present) {
      side.keys.copyWithin(i, i + 1, n)
      side.sizes.copyWithin(i, i + 1, n)
      side.count = n - 1
    }
    return
  }
  if (present) {
    side.sizes[i] = size
    return
  }
  if (n === side.keys.length) grow(side)
  side.keys.copyWithin(i + 1, i, n)
  side.sizes.copyWithin(i + 1, i, n)
  side.keys[i] = key
  side.sizes[i] = size
  side.count = n + 1
}

function sortedWalk(side: ArraySide, qty: number): WalkResult {
  const { keys, sizes, sign } = side
  let remaining = qty
  let notional = 0
  for (let i = side.count - 1; i >= 0 && remaining > 0; i--) {
    const take = Math.min(remaining, sizes[i]!)
    notional += take * sign * keys[i]!
    remaining -= take
  }
  return walkResult(notional, qty - remaining, qty)
}

export class SortedBook implements L2Book {
  private readonly bids: ArraySide
  private readonly asks: ArraySide

  constructor(initialBids: ReadonlyArray<readonly [number, number]>, initialAsks: ReadonlyArray<readonly [number, number]>) {
    this.bids = new ArraySide(1, Math.max(16, initialBids.length * 2))
    this.asks = new ArraySide(-1, Math.max(16, initialAsks.length * 2))
    for (const [p, s] of initialBids) setLevel(this.bids, p, s)
    for (const [p, s] of initialAsks) setLevel(this.asks, p, s)
  }

  update(side: Side, price: number, size: number): void {
    setLevel(side === BID ? this.bids : this.asks, price, size)
  }

  bestBid(): number {
    const n = this.bids.count
    return n > 0 ? this.bids.keys[n - 1]! : NaN
  }

  bestAsk(): number {
    const n = this.asks.count
    return n > 0 ? -this.asks.keys[n - 1]! : NaN
  }

  levelCount(side: Side): number {
    return (side === BID ? this.bids : this.asks).count
  }

  walkBook(side: Side, qty: number): WalkResult {
    return sortedWalk(side === BID ? this.bids : this.asks, qty)
  }
}
