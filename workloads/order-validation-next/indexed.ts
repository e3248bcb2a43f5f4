/**
 * The optimized order-validation variant: symbols and accounts resolved once through Maps to dense
 * indices, limits in typed arrays, positions in one Float64Array by (account, symbol), restrictions in
 * a Set. No allocation per order: the reason lists are 32 shared arrays, one per combination.
 */
import { FAT_FINGER_FRACTION, type Order, REASONS, type Reason, type Universe } from './flow.js'
import type { OrderValidator } from './validator.js'

const RESTRICTED = 1
const PRICE_BAND = 2
const NOTIONAL = 4
const FAT_FINGER = 8
const POSITION = 16

/** REASON_SETS[mask] lists the reasons whose bits are set, in REASONS order. */
const REASON_SETS: readonly (readonly Reason[])[] = Array.from({ length: 32 }, (_, mask) =>
  Object.freeze(REASONS.filter((_, bit) => (mask & (1 << bit)) !== 0)),
)

export function createIndexedValidator(universe: Universe): OrderValidator {
  const nSymbols = universe.symbols.length
  const nAccounts = universe.accounts.length
  const symbolIndex = new Map<string, number>()
  const refPrice = new Float64Array(nSymbols)
  const fatFingerQty = new Float64Array(nSymbols)
  const band = new Float64Array(nSymbols)
  universe.symbols.forEach((s, i) => {
    symbolIndex.set(s.ticker, i)
    refPrice[i] = s.refPriceCents
    fatFingerQty[i] = s.adv * FAT_FINGER_FRACTION
  })
  for (const b of universe.bands) band[symbolIndex.get(b.symbol)!] = b.band
  const accountIndex = new Map<string, number>()
  const maxNotional = new Float64Array(nAccounts)
  const positionLimit = new Float64Array(nAccounts)
  universe.accounts.forEach((a, i) => {
    accountIndex.set(a.id, i)
    maxNotional[i] = a.maxNotionalCents
    positionLimit[i] = a.positionLimit
  })
  const restricted = new Set(universe.restricted)
  const book = new Float64Array(nAccounts * nSymbols)

  function resetIndexed(): void {
    book.fill(0)
    for (const p of universe.positions) book[accountIndex.get(p.account)! * nSymbols + symbolIndex.get(p.symbol)!] = p.qty
  }

  function validateOrderIndexed(order: Order): readonly Reason[] {
    const s = symbolIndex.get(order.symbol)
    const a = accountIndex.get(order.account)
    if (s === undefined || a === undefined) throw new Error(`order for unknown symbol ${order.symbol} or account ${order.account}`)
    let mask = 0
    if (restricted.has(order.symbol)) mask |= RESTRICTED
    if (Math.abs(order.priceCents / refPrice[s]! - 1) > band[s]!) mask |= PRICE_BAND
    if (order.qty * order.priceCents > maxNotional[a]!) mask |= NOTIONAL
    if (order.qty > fatFingerQty[s]!) mask |= FAT_FINGER
    const k = a * nSymbols + s
    const after = book[k]! + (order.side === 'buy' ? order.qty : -order.qty)
    if (Math.abs(after) > positionLimit[a]!) mask |= POSITION
    if (mask === 0) book[k] = after
    return REASON_SETS[mask]!
  }

  function listPositionsIndexed(): [string, string, number][] {
    // Symbols and accounts are stored sorted, so index order is already the sorted order.
    const out: [string, string, number][] = []
    for (let a = 0; a < nAccounts; a++) {
      for (let s = 0; s < nSymbols; s++) {
        const qty = book[a * nSymbols + s]!
        if (qty !== 0) out.push([universe.accounts[a]!.id, universe.symbols[s]!.ticker, qty])
      }
    }
    return out
  }

  resetIndexed()
  return { validate: validateOrderIndexed, reset: resetIndexed, positions: listPositionsIndexed }
}
