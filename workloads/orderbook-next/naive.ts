/**
 * The naive book: a Map of sizes per side plus a binary heap of prices that is rebuilt from the Map
 * after every update ("just rebuild the heap"), and walks that pop levels off a copy of the heap.
 */
import { type L2Book, type WalkResult, walkResult } from './book.js'
import { BID, type Side } from './generate.js'

/** One side; `sign` makes both sides max-heaps of sign·price (bids: +1, asks: −1). */
class HeapSide {
  readonly sizes = new Map<number, number>()
  heap: number[] = []
  constructor(readonly sign: 1 | -1) {}
}

function siftDown(heap: number[], sign: number, start: number): void {
  const n = heap.length
  let i = start
  for (;;) {
    const l = 2 * i + 1
    if (l >= n) return
    const r = l + 1
    let top = l
    if (r < n && sign * heap[r]! > sign * heap[l]!) top = r
    if (sign * heap[top]! <= sign * heap[i]!) return
    const t = heap[i]!
    heap[i] = heap[top]!
    heap[top] = t
    i = top
  }
}

function rebuildHeap(side: HeapSide): void {
  const heap = Array.from(side.sizes.keys())
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, side.sign, i)
  side.heap = heap
}

function popHeap(heap: number[], sign: number): number {
  const top = heap[0]!
  const last = heap.pop()!
  if (heap.length > 0) {
    heap[0] = last
    siftDown(heap, sign, 0)
  }
  return top
}

function naiveWalk(side: HeapSide, qty: number): WalkResult {
  const heap = side.heap.slice()
  let remaining = qty
  let notional = 0
  while (remaining > 0 && heap.length > 0) {
    const price = popHeap(heap, side.sign)
    const take = Math.min(remaining, side.sizes.get(price)!)
    notional += take * price
    remaining -= take
  }
  return walkResult(notional, qty - remaining, qty)
}

export class HeapBook implements L2Book {
  private readonly bids = new HeapSide(1)
  private readonly asks = new HeapSide(-1)

  constructor(initialBids: ReadonlyArray<readonly [number, number]>, initialAsks: ReadonlyArray<readonly [number, number]>) {
    for (const [p, s] of initialBids) this.bids.sizes.set(p, s)
    for (const [p, s] of initialAsks) this.asks.sizes.set(p, s)
    rebuildHeap(this.bids)
    rebuildHeap(this.asks)
  }

  update(side: Side, price: number, size: number): void {
    const s = side === BID ? this.bids : this.asks
    if (size === 0) s.sizes.delete(price)
    else s.sizes.set(price, size)
    rebuildHeap(s)
  }

  bestBid(): number {
    return this.bids.heap[0] ?? NaN
  }

  bestAsk(): number {
    return this.asks.heap[0] ?? NaN
  }

  levelCount(side: Side): number {
    return (side === BID ? this.bids : this.asks).sizes.size
  }

  walkBook(side: Side, qty: number): WalkResult {
    return naiveWalk(side === BID ? this.bids : this.asks, qty)
  }
}
