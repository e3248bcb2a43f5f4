/**
 * The batched slippage estimator: orders and market statistics as struct-of-arrays Float64Array columns
 * (orders carry an interned symbol index), results written into preallocated output columns. Same
 * arithmetic in the same order as the naive estimator, so the outputs match it bit for bit.
 */
import type { SymbolMarket } from '../data/orders.js'
import { ADVERSE_SELECTION, BPS, ETA, GAMMA, QUEUE_RISK, SESSION_MINUTES, type SlippageOrder, TOUCH_SHARE } from './model.js'

/** Orders as columns; `symbolIndex` points into the market columns. */
export interface OrderColumns {
  length: number
  symbolIndex: Int32Array
  /** 1 for a limit order, 0 for a market order. */
  isLimit: Uint8Array
  quantity: Float64Array
  queueAhead: Float64Array
  horizonMinutes: Float64Array
}

/** Per-symbol market statistics as columns. */
export interface MarketColumns {
  midPrice: Float64Array
  adv: Float64Array
  dailyVolatility: Float64Array
  spreadBps: Float64Array
}

/** Where a batch writes its estimates, indexed like the orders. */
export interface EstimateColumns {
  totalBps: Float64Array
  cost: Float64Array
  fillProbability: Float64Array
}

export function toColumns(
  orders: readonly SlippageOrder[],
  markets: readonly SymbolMarket[],
): { orders: OrderColumns; markets: MarketColumns } {
  const index = new Map(markets.map((m, i) => [m.symbol, i]))
  const n = orders.length
  const cols: OrderColumns = {
    length: n,
    symbolIndex: new Int32Array(n),
    isLimit: new Uint8Array(n),
    quantity: new Float64Array(n),
    queueAhead: new Float64Array(n),
    horizonMinutes: new Float64Array(n),
  }
  orders.forEach((o, i) => {
    const s = index.get(o.symbol)
    if (s === undefined) throw new Error(`no market data for ${o.symbol}`)
    cols.symbolIndex[i] = s
    cols.isLimit[i] = o.type === 'limit' ? 1 : 0
    cols.quantity[i] = o.quantity
    cols.queueAhead[i] = o.queueAhead
    cols.horizonMinutes[i] = o.horizonMinutes
  })
  return {
    orders: cols,
    markets: {
      midPrice: Float64Array.from(markets, (m) => m.midPrice),
      adv: Float64Array.from(markets, (m) => m.adv),
      dailyVolatility: Float64Array.from(markets, (m) => m.dailyVolatility),
      spreadBps: Float64Array.from(markets, (m) => m.spreadBps),
    },
  }
}

export function createEstimateColumns(length: number): EstimateColumns {
  return { totalBps: new Float64Array(length), cost: new Float64Array(length), fillProbability: new Float64Array(length) }
}

const TEMPORARY_PER_SIGMA = ETA
const HALF_PERMANENT = 0.5 * GAMMA

/**
 * Estimates orders [from, from + count) into `out` at the same indices (the range may not wrap).
 * Returns the sum of the total costs in bps so callers can consume the batch cheaply.
 */
export function estimateRangeInto(orders: OrderColumns, markets: MarketColumns, from: number, count: number, out: EstimateColumns): number {
  const { symbolIndex, isLimit, quantity, queueAhead, horizonMinutes } = orders
  const { midPrice, adv, dailyVolatility, spreadBps } = markets
  const { totalBps, cost, fillProbability } = out
  let sum = 0
  const end = from + count
  for (let i = from; i < end; i++) {
    const s = symbolIndex[i]!
    const q = quantity[i]!
    const symbolAdv = adv[s]!
    const participation = q / symbolAdv
    const sigmaBps = dailyVolatility[s]! * BPS
    const halfSpread = spreadBps[s]! / 2
    const impact = TEMPORARY_PER_SIGMA * sigmaBps * Math.sqrt(participation) + HALF_PERMANENT * sigmaBps * participation
    let bps: number
    let pFill = 1
    if (isLimit[i] === 0) {
      bps = halfSpread + impact
    } else {
      const horizonFraction = horizonMinutes[i]! / SESSION_MINUTES
      const horizonSigma = sigmaBps * Math.sqrt(horizonFraction)
      pFill = 1 - Math.exp(-(symbolAdv * horizonFraction * TOUCH_SHARE) / (queueAhead[i]! + q))
      const filled = -halfSpread + ADVERSE_SELECTION * horizonSigma
      const unfilled = halfSpread + impact + QUEUE_RISK * horizonSigma
      bps = pFill * filled + (1 - pFill) * unfilled
    }
    totalBps[i] = bps
    fillProbability[i] = pFill
    cost[i] = (bps / BPS) * (q * midPrice[s]!)
    sum += bps
  }
  return sum
}
