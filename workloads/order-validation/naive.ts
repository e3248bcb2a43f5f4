/**
 * The naive validator: reference data kept as the arrays it was loaded as, and every check finds what
 * it needs with a linear scan (find / filter over symbols, accounts, limits and positions) per order.
 */
import { FAT_FINGER_ADV_FRACTION, type RejectReason, type RiskOrder, type RiskUniverse } from './rules.js'

/** The decision for one order: accepted, or every rule it breaks in REASONS order. */
export interface ValidationResult {
  orderId: number
  accepted: boolean
  reasons: RejectReason[]
}

export function validateOrderNaive(order: RiskOrder, universe: RiskUniverse): ValidationResult {
  const reasons: RejectReason[] = []
  const account = universe.accounts.find((a) => a.accountId === order.accountId)
  const symbol = universe.symbols.find((s) => s.symbol === order.symbol)
  if (account === undefined) reasons.push('unknown-account')
  if (symbol === undefined) reasons.push('symbol-not-allowed')
  if (symbol !== undefined && Math.abs(order.price - symbol.referencePrice) > symbol.priceBand * symbol.referencePrice) {
    reasons.push('price-band')
  }
  if (account !== undefined && order.price * order.quantity > account.maxOrderNotional) reasons.push('max-notional')
  if (account !== undefined && symbol !== undefined) {
    const current = universe.positions
      .filter((p) => p.accountId === order.accountId && p.symbol === order.symbol)
      .reduce((sum, p) => sum + p.quantity, 0)
    const explicit = universe.positionLimits.find((l) => l.accountId === order.accountId && l.symbol === order.symbol)
    const limit = explicit !== undefined ? explicit.maxAbsPosition : account.defaultPositionLimit
    const after = current + (order.side === 'buy' ? order.quantity : -order.quantity)
    if (Math.abs(after) > limit) reasons.push('position-limit')
  }
  if (symbol !== undefined && order.quantity > FAT_FINGER_ADV_FRACTION * symbol.adv) reasons.push('fat-finger')
  return { orderId: order.id, accepted: reasons.length === 0, reasons }
}

export function validateBatchNaive(orders: readonly RiskOrder[], universe: RiskUniverse, from: number, count: number): ValidationResult[] {
  const out: ValidationResult[] = []
  for (let k = 0; k < count; k++) out.push(validateOrderNaive(orders[(from + k) % orders.length]!, universe))
  return out
}
