/**
 * What both variants of order-validation implement: validate one order against the rules and the
 * current positions (filling it when accepted), reset to the starting positions, list positions.
 */
import type { Order, Reason } from './flow.js'

export interface OrderValidator {
  /** The rules the order breaks, in REASONS order; empty means accepted, and the order has filled. */
  validate(order: Order): readonly Reason[]
  /** Back to the universe's starting positions. */
  reset(): void
  /** Non-zero positions as [account, symbol, qty], sorted by account then symbol. */
  positions(): [string, string, number][]
}
