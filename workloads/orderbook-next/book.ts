/**
 * What both order books implement: level updates, top of book, and walking one side for a quantity.
 * Prices are integer ticks and sizes integer lots, so fill notionals are exact in float64.
 */
import type { Side } from './generate.js'

export interface WalkResult {
  /** Size-weighted mean price of the filled lots, in ticks; 0 when nothing filled. */
  avgPrice: number
  filled: number
  unfilled: number
}

export interface L2Book {
  /** Sets the size of a level; size 0 deletes it (a no-op when the level is absent). */
  update(side: Side, price: number, size: number): void
  /** Highest bid price, or NaN when the side is empty. */
  bestBid(): number
  /** Lowest ask price, or NaN when the side is empty. */
  bestAsk(): number
  levelCount(side: Side): number
  /** Consumes `qty` lots from `side`, best level first, without changing the book. */
  walkBook(side: Side, qty: number): WalkResult
}

export function walkResult(notional: number, filled: number, qty: number): WalkResult {
  return { avgPrice: filled > 0 ? notional / filled : 0, filled, unfilled: qty - filled }
}
