/**
 * The indexed validator: reference data compiled once into Maps from names to dense indices and
 * typed-array columns, positions and explicit limits keyed by one integer per (account, symbol) pair.
 * A decision is a bit mask (bit i = REASONS[i]) written into a Uint8Array; nothing is allocated per order.
 */
import type { ComponentRecorder } from '../harness/components.js'
import { FAT_FINGER_ADV_FRACTION, REASONS, RULE_COMPONENTS, type RejectReason, type RiskOrder, type RiskUniverse } from './rules.js'

const UNKNOWN_ACCOUNT = 1 << 0
const SYMBOL_NOT_ALLOWED = 1 << 1
const PRICE_BAND = 1 << 2
const MAX_NOTIONAL = 1 << 3
const POSITION_LIMIT = 1 << 4
const FAT_FINGER = 1 << 5

/** The universe as indices and columns. */
export interface RiskIndex {
  symbolIndex: Map<string, number>
  accountIndex: Map<string, number>
  symbolCount: number
  referencePrice: Float64Array
  bandWidth: Float64Array
  fatFingerQty: Float64Array
  maxOrderNotional: Float64Array
  defaultPositionLimit: Float64Array
  /** account × symbolCount + symbol → slot in `pairPosition` / `pairLimit`. */
  pairSlot: Map<number, number>
  pairPosition: Float64Array
  /** The explicit limit of the pair, or NaN to use the account default. */
  pairLimit: Float64Array
}

export function buildRiskIndex(universe: RiskUniverse): RiskIndex {
  const symbolIndex = new Map(universe.symbols.map((s, i) => [s.symbol, i]))
  const accountIndex = new Map(universe.accounts.map((a, i) => [a.accountId, i]))
  const symbolCount = universe.symbols.length
  const pairSlot = new Map<number, number>()
  const slotOf = (accountId: string, symbol: string): number | undefined => {
    const a = accountIndex.get(accountId)
    const s = symbolIndex.get(symbol)
    if (a === undefined || s === undefined) return undefined
    const key = a * symbolCount + s
    let slot = pairSlot.get(key)
    if (slot === undefined) {
      slot = pairSlot.size
      pairSlot.set(key, slot)
    }
    return slot
  }
  const pairs = universe.positions.length + universe.positionLimits.length
  const pairPosition = new Float64Array(pairs)
  const pairLimit = new Float64Array(pairs).fill(Number.NaN)
  for (const p of universe.positions) {
    const slot = slotOf(p.accountId, p.symbol)
    if (slot !== undefined) pairPosition[slot]! += p.quantity
  }
  for (const l of universe.positionLimits) {
    const slot = slotOf(l.accountId, l.symbol)
    if (slot !== undefined) pairLimit[slot] = l.maxAbsPosition
  }
  return {
    symbolIndex,
    accountIndex,
    symbolCount,
    referencePrice: Float64Array.from(universe.symbols, (s) => s.referencePrice),
    // Same product as the naive check (band × reference), computed once.
    bandWidth: Float64Array.from(universe.symbols, (s) => s.priceBand * s.referencePrice),
    fatFingerQty: Float64Array.from(universe.symbols, (s) => FAT_FINGER_ADV_FRACTION * s.adv),
    maxOrderNotional: Float64Array.from(universe.accounts, (a) => a.maxOrderNotional),
    defaultPositionLimit: Float64Array.from(universe.accounts, (a) => a.defaultPositionLimit),
    pairSlot,
    pairPosition,
    pairLimit,
  }
}

function priceBandBit(price: number, s: number, index: RiskIndex): number {
  return Math.abs(price - index.referencePrice[s]!) > index.bandWidth[s]! ? PRICE_BAND : 0
}

function fatFingerBit(qty: number, s: number, index: RiskIndex): number {
  return qty > index.fatFingerQty[s]! ? FAT_FINGER : 0
}

function notionalBit(price: number, qty: number, a: number, index: RiskIndex): number {
  return price * qty > index.maxOrderNotional[a]! ? MAX_NOTIONAL : 0
}

function positionBit(order: RiskOrder, a: number, s: number, index: RiskIndex): number {
  const qty = order.quantity
  const slot = index.pairSlot.get(a * index.symbolCount + s)
  let position = 0
  let limit = index.defaultPositionLimit[a]!
  if (slot !== undefined) {
    position = index.pairPosition[slot]!
    const explicit = index.pairLimit[slot]!
    if (explicit === explicit) limit = explicit
  }
  return Math.abs(position + (order.side === 'buy' ? qty : -qty)) > limit ? POSITION_LIMIT : 0
}

/** The rejection bit mask of one order (0 = accepted). */
export function validateOrderIndexed(order: RiskOrder, index: RiskIndex): number {
  const a = index.accountIndex.get(order.accountId)
  const s = index.symbolIndex.get(order.symbol)
  const price = order.price
  const qty = order.quantity
  let mask = 0
  if (a === undefined) mask |= UNKNOWN_ACCOUNT
  if (s === undefined) {
    mask |= SYMBOL_NOT_ALLOWED
  } else {
    mask |= priceBandBit(price, s, index)
    mask |= fatFingerBit(qty, s, index)
  }
  if (a !== undefined) {
    mask |= notionalBit(price, qty, a, index)
    if (s !== undefined) mask |= positionBit(order, a, s, index)
  }
  return mask
}

/**
 * validateOrderIndexed with each rule timed as its component (RULE_COMPONENTS); a rule that does not apply
 * (its account or symbol is unknown) is not timed. `weight` is how many orders this one stands for.
 */
export function validateOrderIndexedTimed(order: RiskOrder, index: RiskIndex, components: ComponentRecorder, weight: number): number {
  const rec = (id: string, from: number, to: number): void => components.record(id, (to - from) * 1e6, 1, weight)
  const price = order.price
  const qty = order.quantity
  const t0 = components.now()
  const a = index.accountIndex.get(order.accountId)
  const t1 = components.now()
  const s = index.symbolIndex.get(order.symbol)
  const t2 = components.now()
  rec(RULE_COMPONENTS['unknown-account'], t0, t1)
  rec(RULE_COMPONENTS['symbol-not-allowed'], t1, t2)
  let mask = 0
  if (a === undefined) mask |= UNKNOWN_ACCOUNT
  if (s === undefined) mask |= SYMBOL_NOT_ALLOWED
  if (s !== undefined) {
    const b0 = components.now()
    mask |= priceBandBit(price, s, index)
    const b1 = components.now()
    mask |= fatFingerBit(qty, s, index)
    const b2 = components.now()
    rec(RULE_COMPONENTS['price-band'], b0, b1)
    rec(RULE_COMPONENTS['fat-finger'], b1, b2)
  }
  if (a !== undefined) {
    const n0 = components.now()
    mask |= notionalBit(price, qty, a, index)
    const n1 = components.now()
    rec(RULE_COMPONENTS['max-notional'], n0, n1)
    if (s !== undefined) {
      const p0 = components.now()
      mask |= positionBit(order, a, s, index)
      rec(RULE_COMPONENTS['position-limit'], p0, components.now())
    }
  }
  return mask
}

/** Validates orders [from, from + count) (wrapping) into `masks` at the same order indices; returns the rejects. */
export function validateBatchIndexed(
  orders: readonly RiskOrder[],
  index: RiskIndex,
  from: number,
  count: number,
  masks: Uint8Array,
): number {
  let rejected = 0
  const n = orders.length
  let i = from
  for (let k = 0; k < count; k++) {
    const mask = validateOrderIndexed(orders[i]!, index)
    masks[i] = mask
    if (mask !== 0) rejected++
    if (++i === n) i = 0
  }
  return rejected
}

/** Expands a mask into reasons, in REASONS order. */
export function reasonsOf(mask: number): RejectReason[] {
  return REASONS.filter((_, bit) => (mask & (1 << bit)) !== 0)
}
