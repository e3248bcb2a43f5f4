/**
 * The optimized order book: each side is a sorted pair of typed arrays (keys, sizes) with the best level
 * at the end, so updates near the touch (most of them) shift only a few elements. Levels are found by a
 * galloping search from the touch; walks read the arrays in place and allocate nothing.
 */
import type { BookSide, L2Book, WalkResult } from './book.js'

/**
 * Levels of one side sorted by ascending key, best last. Bids use key = price, asks key = -price, so
 * "best" is always the largest key and one implementation serves both sides.
 */
export class SortedLevels {
  keys: Int32Array
  sizes: Float64Array
  count = 0

  constructor(
    private readonly sign: 1 | -1,
    capacity = 256,
  ) {
    this.keys = new Int32Array(capacity)
    this.sizes = new Float64Array(capacity)
  }

  /**
   * Index of the first key >= `key`. Gallops down from the top of the book (1, 2, 4, … levels) before
   * bisecting, so a level k places from the touch is found in O(log k) rather than O(log n).
   */
  lowerBound(key: number): number {
    const keys = this.keys
    let hi = this.count
    let step = 1
    while (hi - step >= 0 && keys[hi - step]! >= key) {
      hi -= step
      step <<= 1
    }
    let lo = hi - step < 0 ? 0 : hi - step + 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (keys[mid]! < key) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  setLevel(price: number, size: number): void {
    const key = this.sign * price
    const i = this.lowerBound(key)
    const n = this.count
    const found = i < n && this.keys[i] === key
    if (size === 0) {
      if (found) {
        this.keys.copyWithin(i, i + 1, n)
        this.sizes.copyWithin(i, i + 1, n)
        this.count = n - 1
      }
      return
    }
    if (found) {
      this.sizes[i] = size
      return
    }
    if (n === this.keys.length) this.grow()
    this.keys.copyWithin(i + 1, i, n)
    this.sizes.copyWithin(i + 1, i, n)
    this.keys[i] = key
    this.sizes[i] = size
    this.count = n + 1
  }

  private grow(): void {
    const keys = new Int32Array(this.keys.length * 2)
    const sizes = new Float64Array(this.sizes.length * 2)
    keys.set(this.keys)
    sizes.set(this.sizes)
    this.keys = keys
    this.sizes = sizes
  }

  best(): number {
    return this.count === 0 ? Number.NaN : this.sign * this.keys[this.count - 1]!
  }

  /** Walks from the touch outward; writes into `out` so the hot loop allocates nothing. */
  walkInto(qty: number, out: WalkResult): WalkResult {
    const keys = this.keys
    const sizes = this.sizes
    const sign = this.sign
    let remaining = qty
    let notional = 0
    for (let i = this.count - 1; i >= 0 && remaining > 0; i--) {
      const take = Math.min(sizes[i]!, remaining)
      notional += take * (sign * keys[i]!)
      remaining -= take
    }
    const filled = qty - remaining
    out.avgPrice = filled > 0 ? notional / filled : 0
    out.filled = filled
    out.unfilled = remaining
    return out
  }

  levels(): Array<[number, number]> {
    const out: Array<[number, number]> = []
    for (let i = this.count - 1; i >= 0; i--) out.push([this.sign * this.keys[i]!, this.sizes[i]!])
    return out
  }
}

/** The optimized variant's book. Side 0 is bids, 1 asks (the columnar stream's encoding). */
export class SortedBook implements L2Book {
  readonly bids = new SortedLevels(1)
  readonly asks = new SortedLevels(-1)
  private readonly scratch: WalkResult = { avgPrice: 0, filled: 0, unfilled: 0 }

  /** The hot-path entry: side index from the columnar stream, no string compare. */
  applyLevel(sideIndex: number, price: number, size: number): void {
    ;(sideIndex === 0 ? this.bids : this.asks).setLevel(price, size)
  }

  applyUpdate(side: BookSide, price: number, size: number): void {
    this.applyLevel(side === 'bid' ? 0 : 1, price, size)
  }

  bestBid(): number {
    return this.bids.best()
  }

  bestAsk(): number {
    return this.asks.best()
  }

  /** Walks into a reused result object: read it before the next walk. */
  walkShared(sideIndex: number, qty: number): WalkResult {
    return (sideIndex === 0 ? this.bids : this.asks).walkInto(qty, this.scratch)
  }

  walkBook(side: BookSide, qty: number): WalkResult {
    return (side === 'bid' ? this.bids : this.asks).walkInto(qty, { avgPrice: 0, filled: 0, unfilled: 0 })
  }

  depth(side: BookSide): number {
    return (side === 'bid' ? this.bids : this.asks).count
  }

  levels(side: BookSide): Array<[number, number]> {
    return (side === 'bid' ? this.bids : this.asks).levels()
  }
}
