/**
 * The naive validator: reference data kept as the arrays it was loaded as, and every check finds what
 * it needs with a linear scan (find / filter over symbols, accounts, limits and positions) per order.
 */
import type { ComponentRecorder } from '../harness/components.js'
import {
  type AccountRule,
  FAT_FINGER_ADV_FRACTION,
  RULE_COMPONENTS,
  type RejectReason,
  type RiskOrder,
  type RiskUniverse,
  type SymbolRule,
} from './rules.js'

/** The decision for one order: accepted, or every rule it breaks in REASONS order. */
export interface ValidationResult {
  orderId: number
  accepted: boolean
  reasons: RejectReason[]
}

function findAccount(order: RiskOrder, universe: RiskUniverse): AccountRule | undefined {
  return universe.accounts.find((a) => a.accountId === order.accountId)
}

function findSymbol(order: RiskOrder, universe: RiskUniverse): SymbolRule | undefined {
  return universe.symbols.find((s) => s.symbol === order.symbol)
}

function breaksPriceBand(order: RiskOrder, symbol: SymbolRule): boolean {
  return Math.abs(order.price - symbol.referencePrice) > symbol.priceBand * symbol.referencePrice
}

function breaksNotional(order: RiskOrder, account: AccountRule): boolean {
  return order.price * order.quantity > account.maxOrderNotional
}

function breaksPositionLimit(order: RiskOrder, account: AccountRule, universe: RiskUniverse): boolean {
  const current = universe.positions
    .filter((p) => p.accountId === order.accountId && p.symbol === order.symbol)
    .reduce((sum, p) => sum + p.quantity, 0)
  const explicit = universe.positionLimits.find((l) => l.accountId === order.accountId && l.symbol === order.symbol)
  const limit = explicit !== undefined ? explicit.maxAbsPosition : account.defaultPositionLimit
  const after = current + (order.side === 'buy' ? order.quantity : -order.quantity)
  return Math.abs(after) > limit
}

function breaksFatFinger(order: RiskOrder, symbol: SymbolRule): boolean {
  return order.quantity > FAT_FINGER_ADV_FRACTION * symbol.adv
}

export function validateOrderNaive(order: RiskOrder, universe: RiskUniverse): ValidationResult {
  const reasons: RejectReason[] = []
  const account = findAccount(order, universe)
  const symbol = findSymbol(order, universe)
  if (account === undefined) reasons.push('unknown-account')
  if (symbol === undefined) reasons.push('symbol-not-allowed')
  if (symbol !== undefined && breaksPriceBand(order, symbol)) reasons.push('price-band')
  if (account !== undefined && breaksNotional(order, account)) reasons.push('max-notional')
  if (account !== undefined && symbol !== undefined && breaksPositionLimit(order, account, universe)) reasons.push('position-limit')
  if (symbol !== undefined && breaksFatFinger(order, symbol)) reasons.push('fat-finger')
  return { orderId: order.id, accepted: reasons.length === 0, reasons }
}

/**
 * validateOrderNaive with each rule timed as its component (RULE_COMPONENTS); a rule that does not apply
 * (its account or symbol is unknown) is not timed. `weight` is how many orders this one stands for.
 */
export function validateOrderNaiveTimed(order: RiskOrder, universe: RiskUniverse, components: ComponentRecorder, weight: number): ValidationResult {
  const rec = (id: string, from: number, to: number): void => components.record(id, (to - from) * 1e6, 1, weight)
  const reasons: RejectReason[] = []
  const t0 = components.now()
  const account = findAccount(order, universe)
  const t1 = components.now()
  const symbol = findSymbol(order, universe)
  const t2 = components.now()
  rec(RULE_COMPONENTS['unknown-account'], t0, t1)
  rec(RULE_COMPONENTS['symbol-not-allowed'], t1, t2)
  if (account === undefined) reasons.push('unknown-account')
  if (symbol === undefined) reasons.push('symbol-not-allowed')
  if (symbol !== undefined) {
    const a = components.now()
    const broken = breaksPriceBand(order, symbol)
    rec(RULE_COMPONENTS['price-band'], a, components.now())
    if (broken) reasons.push('price-band')
  }
  if (account !== undefined) {
    const a = components.now()
    const broken = breaksNotional(order, account)
    rec(RULE_COMPONENTS['max-notional'], a, components.now())
    if (broken) reasons.push('max-notional')
  }
  if (account !== undefined && symbol !== undefined) {
    const a = components.now()
    const broken = breaksPositionLimit(order, account, universe)
    rec(RULE_COMPONENTS['position-limit'], a, components.now())
    if (broken) reasons.push('position-limit')
  }
  if (symbol !== undefined) {
    const a = components.now()
    const broken = breaksFatFinger(order, symbol)
    rec(RULE_COMPONENTS['fat-finger'], a, components.now())
    if (broken) reasons.push('fat-finger')
  }
  return { orderId: order.id, accepted: reasons.length === 0, reasons }
}

export function validateBatchNaive(orders: readonly RiskOrder[], universe: RiskUniverse, from: number, count: number): ValidationResult[] {
  const out: ValidationResult[] = []
  for (let k = 0; k < count; k++) out.push(validateOrderNaive(orders[(from + k) % orders.length]!, universe))
  return out
}
