/**
 * The naive order book: each side is a Map of level objects plus a binary heap ordered by price. New
 * levels are pushed onto the heap, but a deletion rebuilds the heap from the Map, and a walk copies the
 * heap and pops levels off the copy: the first version most people write with a priority queue.
 */
import type { BookSide, L2Book, WalkResult } from './book.js'

interface Level {
  price: number
  size: number
}

/** One side: the Map finds a level by price, the heap keeps the best level on top. */
class HeapSide {
  private readonly byPrice = new Map<number, Level>()
  private heap: Level[] = []

  constructor(private readonly isBid: boolean) {}

  /** True when `a` sits nearer the touch than `b`. */
  ranksAbove(a: Level, b: Level): boolean {
    return this.isBid ? a.price > b.price : a.price < b.price
  }

  setLevel(price: number, size: number): void {
    const level = this.byPrice.get(price)
    if (size === 0) {
      if (level !== undefined) {
        this.byPrice.delete(price)
        this.rebuildHeap()
      }
      return
    }
    if (level !== undefined) {
      level.size = size
      return
    }
    const created: Level = { price, size }
    this.byPrice.set(price, created)
    this.heap.push(created)
    siftUp(this, this.heap, this.heap.length - 1)
  }

  /** A heap cannot delete an arbitrary element cheaply, so the naive book heapifies the survivors again. */
  private rebuildHeap(): void {
    const heap = Array.from(this.byPrice.values())
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(this, heap, i)
    this.heap = heap
  }

  best(): number {
    const top = this.heap[0]
    return top === undefined ? Number.NaN : top.price
  }

  depth(): number {
    return this.byPrice.size
  }

  walk(qty: number): WalkResult {
    const heap = this.heap.slice()
    let remaining = qty
    let notional = 0
    while (remaining > 0 && heap.length > 0) {
      const level = popTop(this, heap)
      const take = Math.min(level.size, remaining)
      notional += take * level.price
      remaining -= take
    }
    const filled = qty - remaining
    return { avgPrice: filled > 0 ? notional / filled : 0, filled, unfilled: remaining }
  }

  levels(): Array<[number, number]> {
    const heap = this.heap.slice()
    const out: Array<[number, number]> = []
    while (heap.length > 0) {
      const level = popTop(this, heap)
      out.push([level.price, level.size])
    }
    return out
  }
}

function siftUp(side: HeapSide, heap: Level[], start: number): void {
  let i = start
  const item = heap[i]!
  while (i > 0) {
    const parent = (i - 1) >> 1
    if (!side.ranksAbove(item, heap[parent]!)) break
    heap[i] = heap[parent]!
    i = parent
  }
  heap[i] = item
}

function siftDown(side: HeapSide, heap: Level[], start: number): void {
  const n = heap.length
  let i = start
  const item = heap[i]!
  for (;;) {
    let child = 2 * i + 1
    if (child >= n) break
    if (child + 1 < n && side.ranksAbove(heap[child + 1]!, heap[child]!)) child++
    if (!side.ranksAbove(heap[child]!, item)) break
    heap[i] = heap[child]!
    i = child
  }
  heap[i] = item
}

function popTop(side: HeapSide, heap: Level[]): Level {
  const top = heap[0]!
  const last = heap.pop()!
  if (heap.length > 0) {
    heap[0] = last
    siftDown(side, heap, 0)
  }
  return top
}

/** The naive variant's book. */
export class HeapBook implements L2Book {
  private readonly bids = new HeapSide(true)
  private readonly asks = new HeapSide(false)

  applyUpdate(side: BookSide, price: number, size: number): void {
    ;(side === 'bid' ? this.bids : this.asks).setLevel(price, size)
  }

  bestBid(): number {
    return this.bids.best()
  }

  bestAsk(): number {
    return this.asks.best()
  }

  walkBook(side: BookSide, qty: number): WalkResult {
    return (side === 'bid' ? this.bids : this.asks).walk(qty)
  }

  depth(side: BookSide): number {
    return (side === 'bid' ? this.bids : this.asks).depth()
  }

  levels(side: BookSide): Array<[number, number]> {
    return (side === 'bid' ? this.bids : this.asks).levels()
  }
}

/** One update as the naive consumer receives it: a small object per message. */
export interface LevelUpdate {
  side: BookSide
  price: number
  size: number
}
