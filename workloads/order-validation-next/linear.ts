/**
 * The naive order-validation variant: rules, symbols, restrictions and positions kept as arrays of
 * objects, and every lookup a linear scan per order, as a first version usually does it.
 */
import { type AccountInfo, type BandRule, FAT_FINGER_FRACTION, type Order, type PositionEntry, type Reason, type SymbolInfo, type Universe } from './flow.js'
import type { OrderValidator } from './validator.js'

export function createLinearValidator(universe: Universe): OrderValidator {
  const symbols: SymbolInfo[] = universe.symbols.map((s) => ({ ...s }))
  const bands: BandRule[] = universe.bands.map((b) => ({ ...b }))
  const accounts: AccountInfo[] = universe.accounts.map((a) => ({ ...a }))
  const restricted: string[] = [...universe.restricted]
  let book: PositionEntry[] = []

  function resetLinear(): void {
    book = universe.positions.map((p) => ({ ...p }))
  }

  function validateOrderLinear(order: Order): Reason[] {
    const symbol = symbols.find((s) => s.ticker === order.symbol)
    const rule = bands.find((b) => b.symbol === order.symbol)
    const account = accounts.find((a) => a.id === order.account)
    if (!symbol || !rule || !account) throw new Error(`order for unknown symbol ${order.symbol} or account ${order.account}`)
    const reasons: Reason[] = []
    if (restricted.includes(order.symbol)) reasons.push('restricted')
    if (Math.abs(order.priceCents / symbol.refPriceCents - 1) > rule.band) reasons.push('price-band')
    if (order.qty * order.priceCents > account.maxNotionalCents) reasons.push('notional')
    if (order.qty > symbol.adv * FAT_FINGER_FRACTION) reasons.push('fat-finger')
    const held = book.find((p) => p.account === order.account && p.symbol === order.symbol)
    const after = (held?.qty ?? 0) + (order.side === 'buy' ? order.qty : -order.qty)
    if (Math.abs(after) > account.positionLimit) reasons.push('position')
    if (reasons.length === 0) {
      if (held) held.qty = after
      else book.push({ account: order.account, symbol: order.symbol, qty: after })
    }
    return reasons
  }

  function listPositionsLinear(): [string, string, number][] {
    return book
      .filter((p) => p.qty !== 0)
      .sort((x, y) => (x.account !== y.account ? (x.account < y.account ? -1 : 1) : x.symbol < y.symbol ? -1 : x.symbol > y.symbol ? 1 : 0))
      .map((p) => [p.account, p.symbol, p.qty])
  }

  resetLinear()
  return { validate: validateOrderLinear, reset: resetLinear, positions: listPositionsLinear }
}
