/**
 * What both order-book variants implement, and the replay that the answer and the timed loop share in
 * spirit: apply a level update, read the touch, and every K updates walk one side with a market order.
 */

/** One side of the book. A market sell walks the bids, a market buy walks the asks. */
export type BookSide = 'bid' | 'ask'

/** The outcome of walking one side of the book with a market order of `filled + unfilled` lots. */
export interface WalkResult {
  /** Size-weighted average fill price, in ticks; 0 when nothing filled. */
  avgPrice: number
  /** Lots filled against resting levels. */
  filled: number
  /** Lots left over because the side ran out of levels. */
  unfilled: number
}

/** An L2 book: price levels in integer ticks with sizes in lots. */
export interface L2Book {
  /** Sets the size of the level at `price`; size 0 deletes it (a no-op when absent). */
  applyUpdate(side: BookSide, price: number, size: number): void
  /** Highest bid price, NaN when there are no bids. */
  bestBid(): number
  /** Lowest ask price, NaN when there are no asks. */
  bestAsk(): number
  /** Consumes `qty` lots from the best level outward without changing the book. */
  walkBook(side: BookSide, qty: number): WalkResult
  /** Levels on one side. */
  depth(side: BookSide): number
  /** The side's levels, best first, as [price, size]: for tests and answers, not for hot paths. */
  levels(side: BookSide): Array<[number, number]>
}

/** Rounds to 12 significant digits: enough to keep answers exact here, robust if summation order changes. */
export function roundSig(x: number): number {
  return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(12))
}
