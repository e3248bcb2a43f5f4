/**
 * The seeded universe and order flow of order-validation: symbols, price bands, accounts with limits,
 * starting positions, and an order stream with violations of each rule planted at recorded indices.
 */
import { type Rng, createRng } from '../data/prng.js'

/** Rejection reasons in the order every variant reports them. */
export const REASONS = ['restricted', 'price-band', 'notional', 'fat-finger', 'position'] as const
export type Reason = (typeof REASONS)[number]

/** An order is a fat finger when its quantity exceeds this fraction of the symbol's average daily volume. */
export const FAT_FINGER_FRACTION = 0.01

export interface SymbolInfo {
  ticker: string
  refPriceCents: number
  /** Average daily volume, shares. */
  adv: number
}
export interface BandRule {
  symbol: string
  /** Largest accepted |price / reference - 1|. */
  band: number
}
export interface AccountInfo {
  id: string
  maxNotionalCents: number
  /** Largest |position| in any one symbol after an order fills, shares. */
  positionLimit: number
}
export interface PositionEntry {
  account: string
  symbol: string
  qty: number
}
export interface Order {
  account: string
  symbol: string
  side: 'buy' | 'sell'
  qty: number
  priceCents: number
}
export interface Universe {
  /** Sorted by ticker, so index order is ticker order. */
  symbols: SymbolInfo[]
  bands: BandRule[]
  restricted: string[]
  /** Sorted by id. */
  accounts: AccountInfo[]
  /** Starting positions (an accepted order fills at once and moves its position). */
  positions: PositionEntry[]
}
export interface PlantedViolation {
  index: number
  reason: Reason
}
export interface OrderFlow {
  universe: Universe
  orders: Order[]
  /** Every order that breaks a rule: each breaks exactly its one planted rule. All other orders pass. */
  planted: PlantedViolation[]
}

/**
 * The rules as the generator checks them, written once here so it can prove each order breaks
 * exactly what it was made to break. The variants carry their own copies of these checks.
 */
export function ruleViolations(
  symbol: SymbolInfo,
  band: number,
  restricted: boolean,
  account: AccountInfo,
  position: number,
  order: Order,
): Reason[] {
  const out: Reason[] = []
  if (restricted) out.push('restricted')
  if (Math.abs(order.priceCents / symbol.refPriceCents - 1) > band) out.push('price-band')
  if (order.qty * order.priceCents > account.maxNotionalCents) out.push('notional')
  if (order.qty > symbol.adv * FAT_FINGER_FRACTION) out.push('fat-finger')
  if (Math.abs(position + (order.side === 'buy' ? order.qty : -order.qty)) > account.positionLimit) out.push('position')
  return out
}

function generateTickers(rng: Rng, count: number): string[] {
  const seen = new Set<string>()
  while (seen.size < count) {
    let t = ''
    const len = rng.int(3, 5)
    for (let i = 0; i < len; i++) t += String.fromCharCode(65 + rng.int(0, 25))
    seen.add(t)
  }
  return [...seen].sort()
}

export function generateUniverse(rng: Rng, symbolCount: number, accountCount: number): Universe {
  const symbols = generateTickers(rng, symbolCount).map((ticker) => ({
    ticker,
    refPriceCents: rng.int(1_000, 50_000),
    adv: 1000 * rng.int(500, 5000),
  }))
  const bands = symbols.map((s) => ({ symbol: s.ticker, band: rng.int(3, 10) / 100 }))
  const restrictedIdx = new Set<number>()
  const restrictedCount = Math.max(1, Math.round(symbolCount * 0.02))
  while (restrictedIdx.size < restrictedCount) restrictedIdx.add(rng.int(0, symbolCount - 1))
  const restricted = [...restrictedIdx].map((i) => symbols[i]!.ticker)
  const accounts = Array.from({ length: accountCount }, (_, i) => ({
    id: `ACC${String(i).padStart(4, '0')}`,
    maxNotionalCents: 100 * rng.int(250_000, 2_000_000),
    positionLimit: 1000 * rng.int(10, 60),
  }))
  // Each account starts holding about a tenth of the universe, long or short, within its limit.
  const positions: PositionEntry[] = []
  const held = new Set<number>()
  for (let a = 0; a < accountCount; a++) {
    const account = accounts[a]!
    const count = Math.max(1, Math.round(symbolCount * 0.1))
    for (let k = 0; k < count; k++) {
      const s = rng.int(0, symbolCount - 1)
      if (held.has(a * symbolCount + s)) continue
      held.add(a * symbolCount + s)
      const limit = account.positionLimit
      positions.push({ account: account.id, symbol: symbols[s]!.ticker, qty: rng.int(-0.9 * limit, 0.9 * limit) })
    }
  }
  return { symbols, bands, restricted, accounts, positions }
}

export function generateOrderFlow(seed: number, symbolCount: number, accountCount: number, orderCount: number, rejectRate: number): OrderFlow {
  const rng = createRng(seed)
  const universe = generateUniverse(rng.fork(1), symbolCount, accountCount)
  const flow = rng.fork(2)
  const { symbols, bands, accounts } = universe
  const restrictedSet = new Set(universe.restricted)
  const tradable = symbols.map((_, i) => i).filter((i) => !restrictedSet.has(symbols[i]!.ticker))
  const restrictedIdx = symbols.map((_, i) => i).filter((i) => restrictedSet.has(symbols[i]!.ticker))
  // The generator's own position book, moved only by the orders it knows will be accepted.
  const position = new Float64Array(accountCount * symbolCount)
  const symbolIndex = new Map(symbols.map((s, i) => [s.ticker, i]))
  for (const p of universe.positions) position[accounts.findIndex((a) => a.id === p.account) * symbolCount + symbolIndex.get(p.symbol)!] = p.qty

  /** One candidate order; null when the drawn account and symbol cannot carry the wanted violation. */
  function attempt(want: Reason | null): { order: Order; a: number; s: number } | null {
    const a = flow.int(0, accountCount - 1)
    const s = flow.pick(want === 'restricted' ? restrictedIdx : tradable)
    const symbol = symbols[s]!
    const account = accounts[a]!
    const band = bands[s]!.band
    const side = flow.next() < 0.5 ? 'buy' : 'sell'
    const offset =
      want === 'price-band'
        ? (flow.next() < 0.5 ? -1 : 1) * (band + flow.uniform(0.005, 0.05))
        : flow.uniform(-0.8 * band, 0.8 * band)
    const priceCents = Math.round(symbol.refPriceCents * (1 + offset))
    const pos = position[a * symbolCount + s]!
    const room = account.positionLimit - (side === 'buy' ? pos : -pos)
    const fatFinger = Math.floor(symbol.adv * FAT_FINGER_FRACTION)
    const notional = Math.floor(account.maxNotionalCents / priceCents)
    let lo = 1
    let hi = Math.min(fatFinger, notional, room, 2000)
    if (want === 'notional') [lo, hi] = [notional + 1, Math.min(fatFinger, room)]
    if (want === 'fat-finger') [lo, hi] = [fatFinger + 1, Math.min(notional, room)]
    if (want === 'position') [lo, hi] = [room + 1, Math.min(fatFinger, notional)]
    if (lo > hi) return null
    const order: Order = { account: account.id, symbol: symbol.ticker, side, qty: flow.int(lo, Math.min(hi, lo + 2000)), priceCents }
    const broken = ruleViolations(symbol, band, want === 'restricted', account, pos, order)
    const exact = want === null ? broken.length === 0 : broken.length === 1 && broken[0] === want
    return exact ? { order, a, s } : null
  }

  const orders: Order[] = []
  const planted: PlantedViolation[] = []
  for (let i = 0; i < orderCount; i++) {
    const want = flow.next() < rejectRate ? flow.pick(REASONS) : null
    let made: ReturnType<typeof attempt> = null
    // A planted violation that no draw can carry in 200 tries becomes a clean order instead.
    for (let tries = 0; want !== null && made === null && tries < 200; tries++) made = attempt(want)
    if (made !== null && want !== null) planted.push({ index: i, reason: want })
    for (let tries = 0; made === null; tries++) {
      if (tries > 10_000) throw new Error('order-validation: could not generate a clean order')
      made = attempt(null)
      if (made !== null) position[made.a * symbolCount + made.s]! += made.order.side === 'buy' ? made.order.qty : -made.order.qty
    }
    orders.push(made.order)
  }
  return { universe, orders, planted }
}
