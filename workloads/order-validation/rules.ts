/**
 * The pre-trade risk rules, the reference data they read (allowlist, reference prices, ADV, account
 * limits, positions) and a seeded order generator that plants known violations of each rule.
 *
 * Rules (an order may break several; reasons are always listed in REASONS order):
 * - unknown-account:    the account is not set up; account checks (notional, position) are skipped.
 * - symbol-not-allowed: the symbol is not on the allowlist; symbol checks (band, position, fat finger) are skipped.
 * - price-band:         |price − reference| > band × reference.
 * - max-notional:       price × quantity > the account's max order notional.
 * - position-limit:     |position ± quantity| > the (account, symbol) limit, or the account default.
 * - fat-finger:         quantity > FAT_FINGER_ADV_FRACTION × the symbol's ADV.
 */
import { tickerFor } from '../data/bars.js'
import { logUniform, roundCents } from '../data/orders.js'
import { type Rng, createRng } from '../data/prng.js'

export const REASONS = ['unknown-account', 'symbol-not-allowed', 'price-band', 'max-notional', 'position-limit', 'fat-finger'] as const
export type RejectReason = (typeof REASONS)[number]

/**
 * The component each rule is timed under (`--budget notional=200ns`, the budget table): short ids that
 * name the check rather than its failure. The account and allowlist checks are the two lookups the
 * other rules depend on.
 */
export const RULE_COMPONENTS = {
  'unknown-account': 'account',
  'symbol-not-allowed': 'allowlist',
  'price-band': 'price-band',
  'max-notional': 'notional',
  'position-limit': 'position',
  'fat-finger': 'fat-finger',
} as const satisfies Record<RejectReason, string>

/** Orders larger than this fraction of a symbol's average daily volume are fat-finger errors. */
export const FAT_FINGER_ADV_FRACTION = 0.05

/** An allowlisted symbol and what the checks need to know about it. */
export interface SymbolRule {
  symbol: string
  referencePrice: number
  /** Average daily volume in shares. */
  adv: number
  /** Allowed deviation from the reference price, as a fraction (0.05 = ±5%). */
  priceBand: number
}

export interface AccountRule {
  accountId: string
  maxOrderNotional: number
  /** Position limit (absolute shares) for symbols without an explicit limit. */
  defaultPositionLimit: number
}

/** An explicit limit for one account in one symbol, overriding the account default. */
export interface PositionLimitRule {
  accountId: string
  symbol: string
  maxAbsPosition: number
}

/** Current signed position (shares; negative is short). */
export interface Position {
  accountId: string
  symbol: string
  quantity: number
}

/** The reference data of the risk system. */
export interface RiskUniverse {
  symbols: SymbolRule[]
  accounts: AccountRule[]
  positionLimits: PositionLimitRule[]
  positions: Position[]
}

export interface RiskOrder {
  id: number
  accountId: string
  symbol: string
  side: 'buy' | 'sell'
  quantity: number
  price: number
}

/** Seeded orders with the reasons each one was built to be rejected for (empty: built to pass). */
export interface PlantedOrders {
  orders: RiskOrder[]
  planted: RejectReason[][]
}

export interface UniverseOptions {
  symbols: number
  accounts: number
  /** Held positions per account. */
  positionsPerAccount: number
}

const accountName = (i: number): string => `ACC${String(i).padStart(5, '0')}`

export function generateUniverse(rng: Rng, options: UniverseOptions): RiskUniverse {
  const symbols: SymbolRule[] = []
  for (let i = 0; i < options.symbols; i++) {
    // One symbol in eight is illiquid, which is where fat-finger limits bite before notional limits.
    const adv = i % 8 === 0 ? Math.round(logUniform(rng, 2_000, 40_000)) : Math.round(logUniform(rng, 100_000, 30_000_000))
    symbols.push({
      symbol: tickerFor(i),
      referencePrice: roundCents(logUniform(rng, 5, 900)),
      adv,
      priceBand: rng.pick([0.05, 0.05, 0.1, 0.2]),
    })
  }
  const accounts: AccountRule[] = []
  for (let i = 0; i < options.accounts; i++) {
    accounts.push({
      accountId: accountName(i),
      maxOrderNotional: rng.pick([50_000, 250_000, 1_000_000, 5_000_000]),
      defaultPositionLimit: rng.pick([20_000, 100_000, 500_000]),
    })
  }
  const positions: Position[] = []
  const positionLimits: PositionLimitRule[] = []
  const perAccount = Math.min(options.positionsPerAccount, options.symbols)
  for (const account of accounts) {
    const held = new Set<number>()
    while (held.size < perAccount) held.add(rng.int(0, options.symbols - 1))
    let first = true
    for (const s of held) {
      const symbol = symbols[s]!.symbol
      let limit = account.defaultPositionLimit
      if (rng.next() < 0.3) {
        limit = rng.pick([1_000, 5_000, 50_000])
        positionLimits.push({ accountId: account.accountId, symbol, maxAbsPosition: limit })
      }
      // Each account's first position and a fifth of the others sit at 90-100% of their limit, so
      // position breaches can be planted in any universe.
      const nearLimit = rng.next() < 0.2 || first
      first = false
      const fraction = nearLimit ? rng.uniform(0.9, 1) : rng.uniform(0, 0.6)
      const sign = rng.next() < 0.25 ? -1 : 1
      positions.push({ accountId: account.accountId, symbol, quantity: sign * Math.floor(fraction * limit) })
    }
  }
  return { symbols, accounts, positionLimits, positions }
}

/** What the generator knows about one (account, symbol) pair, to build orders that pass or fail on purpose. */
interface PairFacts {
  account: AccountRule
  symbol: SymbolRule
  position: number
  limit: number
}

/** Largest quantity each rule allows for this pair, side and price. */
function caps(f: PairFacts, side: 'buy' | 'sell', price: number): { notional: number; position: number; fatFinger: number } {
  return {
    notional: Math.floor(f.account.maxOrderNotional / price),
    position: side === 'buy' ? f.limit - f.position : f.limit + f.position,
    fatFinger: Math.floor(FAT_FINGER_ADV_FRACTION * f.symbol.adv),
  }
}

type PlantKind = 'clean' | RejectReason | 'price-band+fat-finger'

/**
 * `count` orders; a `violationRate` fraction are built to break one rule (rules in turn) or, one time in
 * seven, both the price band and the fat-finger limit. Clean orders keep a 10% margin from every limit.
 */
export function generatePlantedOrders(seed: number, universe: RiskUniverse, count: number, violationRate: number): PlantedOrders {
  const rng = createRng(seed).fork(7)
  const limitsByPair = new Map(universe.positionLimits.map((l) => [`${l.accountId}|${l.symbol}`, l.maxAbsPosition]))
  const positionsByPair = new Map(universe.positions.map((p) => [`${p.accountId}|${p.symbol}`, p.quantity]))
  const factsOf = (account: AccountRule, symbol: SymbolRule): PairFacts => {
    const key = `${account.accountId}|${symbol.symbol}`
    return { account, symbol, position: positionsByPair.get(key) ?? 0, limit: limitsByPair.get(key) ?? account.defaultPositionLimit }
  }
  // Held pairs are the interesting ones for position limits; other orders pick any pair.
  const accountById = new Map(universe.accounts.map((a) => [a.accountId, a]))
  const symbolByName = new Map(universe.symbols.map((s) => [s.symbol, s]))
  const held = universe.positions.map((p) => [accountById.get(p.accountId)!, symbolByName.get(p.symbol)!] as const)
  const kinds: PlantKind[] = [...REASONS, 'price-band+fat-finger']
  const orders: RiskOrder[] = []
  const planted: RejectReason[][] = []
  let nextKind = 0
  for (let id = 0; id < count; id++) {
    const kind: PlantKind = rng.next() < violationRate ? kinds[nextKind++ % kinds.length]! : 'clean'
    const built = plantOrder(rng, kind, universe, held, factsOf)
    orders.push({ id, ...built.order })
    planted.push(built.reasons)
  }
  return { orders, planted }
}

function inBandPrice(rng: Rng, s: SymbolRule): number {
  return roundCents(s.referencePrice * (1 + rng.uniform(-0.8, 0.8) * s.priceBand))
}

function outOfBandPrice(rng: Rng, s: SymbolRule): number {
  const dir = s.priceBand * 3 < 1 && rng.next() < 0.5 ? -1 : 1
  return roundCents(s.referencePrice * (1 + dir * rng.uniform(1.5, 3) * s.priceBand))
}

function plantOrder(
  rng: Rng,
  kind: PlantKind,
  universe: RiskUniverse,
  held: ReadonlyArray<readonly [AccountRule, SymbolRule]>,
  factsOf: (a: AccountRule, s: SymbolRule) => PairFacts,
): { order: Omit<RiskOrder, 'id'>; reasons: RejectReason[] } {
  for (let attempt = 0; attempt < 100_000; attempt++) {
    const [account, symbol] =
      kind === 'position-limit' && held.length > 0 ? rng.pick(held) : ([rng.pick(universe.accounts), rng.pick(universe.symbols)] as const)
    const f = factsOf(account, symbol)
    const side = rng.next() < 0.5 ? 'buy' : 'sell'
    const base = { accountId: account.accountId, symbol: symbol.symbol, side } as const
    const price = kind === 'price-band' || kind === 'price-band+fat-finger' ? outOfBandPrice(rng, symbol) : inBandPrice(rng, symbol)
    const c = caps(f, side, price)
    const allowed = Math.min(c.notional, c.position, c.fatFinger)
    /** A quantity in [lo, hi] if that range is not empty. */
    const between = (lo: number, hi: number): number | undefined => (hi >= lo && lo >= 1 ? rng.int(lo, hi) : undefined)
    let quantity: number | undefined
    switch (kind) {
      case 'clean':
      case 'price-band':
        quantity = between(1, Math.floor(allowed * 0.9))
        break
      case 'max-notional':
        quantity = between(c.notional + 1, Math.min(c.position, c.fatFinger))
        break
      case 'position-limit':
        quantity = between(c.position + 1, Math.min(c.notional, c.fatFinger))
        break
      case 'fat-finger':
        quantity = between(c.fatFinger + 1, Math.min(c.notional, c.position))
        break
      case 'price-band+fat-finger':
        quantity = between(c.fatFinger + 1, Math.min(c.notional, c.position))
        break
      case 'unknown-account': {
        // Only the symbol checks apply: stay inside the band and the fat-finger limit.
        quantity = between(1, Math.floor(c.fatFinger * 0.9))
        if (quantity !== undefined)
          return { order: { ...base, accountId: `X${account.accountId}`, quantity, price }, reasons: ['unknown-account'] }
        continue
      }
      case 'symbol-not-allowed': {
        // Only the notional check applies; the symbol is one the allowlist stops short of.
        const blocked = tickerFor(universe.symbols.length + rng.int(0, 999))
        const anyPrice = roundCents(logUniform(rng, 5, 500))
        quantity = between(1, Math.floor(Math.floor(account.maxOrderNotional / anyPrice) * 0.9))
        if (quantity !== undefined)
          return { order: { ...base, symbol: blocked, quantity, price: anyPrice }, reasons: ['symbol-not-allowed'] }
        continue
      }
    }
    if (quantity === undefined) continue
    const reasons: RejectReason[] = kind === 'clean' ? [] : kind === 'price-band+fat-finger' ? ['price-band', 'fat-finger'] : [kind]
    return { order: { ...base, quantity, price }, reasons }
  }
  throw new Error(`order-validation: could not plant a ${kind} order in this universe (too few symbols or accounts?)`)
}

/** The workload's answer. */
export interface ValidationAnswer {
  orders: number
  accepted: number
  rejected: number
  /** Orders rejected for each reason (an order may count under several). */
  byReason: Record<RejectReason, number>
  /** FNV-1a over every order's decision ("ok" or its reasons joined by "+"), in order. */
  decisionsDigest: string
}
