/**
 * The slippage cost model both variants implement, its constants, and the seeded orders it is applied to.
 * Costs are expected implementation shortfall versus the arrival mid, in basis points (positive = cost).
 */
import { type SymbolMarket, generateSymbolMarkets, logUniform } from '../data/orders.js'
import { createRng } from '../data/prng.js'

/**
 * Temporary-impact coefficient of the square-root law, impact = η·σ·sqrt(Q/ADV). Empirical fits put it
 * at order one (Tóth et al. 2011, "Anomalous price impact and the critical nature of liquidity").
 */
export const ETA = 0.7
/** Permanent-impact coefficient γ of Almgren et al. (2005), applied linearly in Q/ADV; a trade pays half of it. */
export const GAMMA = 0.314
/** Minutes in a regular US equity session: a horizon of h minutes is a fraction h/390 of a day. */
export const SESSION_MINUTES = 390
/** Share of the volume traded during the horizon that trades against our side of the book at our price. */
export const TOUCH_SHARE = 0.5
/** Adverse selection on a passive fill, as a fraction of the horizon volatility σ·sqrt(h/390). */
export const ADVERSE_SELECTION = 0.2
/**
 * Queue risk when the passive order does not fill: the price has moved away and we cross later. The
 * expected size of that move is E|Z|·σ_h = sqrt(2/π)·σ_h for a normal move.
 */
export const QUEUE_RISK = Math.sqrt(2 / Math.PI)
/** Basis points per unit fraction. */
export const BPS = 10_000

export type OrderType = 'market' | 'limit'

/** One parent order whose cost is estimated. */
export interface SlippageOrder {
  id: number
  symbol: string
  side: 'buy' | 'sell'
  type: OrderType
  /** Shares. */
  quantity: number
  /** Limit orders only: shares queued ahead of us at our price when we join. */
  queueAhead: number
  /** Limit orders only: how long we are willing to rest before crossing, in minutes. */
  horizonMinutes: number
}

/** A seeded order set with the market statistics it refers to. */
export interface SlippageData {
  markets: SymbolMarket[]
  orders: SlippageOrder[]
}

export function generateSlippageData(seed: number, orderCount: number, symbolCount: number, limitShare: number): SlippageData {
  const rng = createRng(seed)
  const markets = generateSymbolMarkets(rng.fork(1), symbolCount)
  const orders: SlippageOrder[] = []
  for (let id = 0; id < orderCount; id++) {
    const market = rng.pick(markets)
    const isLimit = rng.next() < limitShare
    // Participation from 0.001% to 20% of ADV, log-uniform: most orders are small, a few move the market.
    const quantity = Math.max(1, Math.round(logUniform(rng, 1e-5, 0.2) * market.adv))
    orders.push({
      id,
      symbol: market.symbol,
      side: rng.next() < 0.5 ? 'buy' : 'sell',
      type: isLimit ? 'limit' : 'market',
      quantity,
      queueAhead: isLimit ? Math.round(rng.uniform(0, 0.02) * market.adv) : 0,
      horizonMinutes: isLimit ? Math.round(rng.uniform(1, 120)) : 0,
    })
  }
  return { markets, orders }
}

/** Rounds to 12 significant digits for the answer. */
export function roundSig(x: number): number {
  return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(12))
}

/** The workload's answer: aggregate costs over every order, plus the first few estimates. */
export interface SlippageAnswer {
  orders: number
  marketOrders: number
  limitOrders: number
  /** Sum of expected costs, in currency units. */
  totalCost: number
  meanMarketBps: number
  meanLimitBps: number
  meanLimitFillProbability: number
  maxBps: number
  first: Array<{ id: number; bps: number; fillProbability: number }>
}
