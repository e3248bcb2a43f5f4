/**
 * The naive slippage estimator: one function call per order that looks the symbol up in a Map, builds a
 * breakdown object with every component, and returns it; the batch collects the objects in an array.
 */
import type { SymbolMarket } from '../data/orders.js'
import { ADVERSE_SELECTION, BPS, ETA, GAMMA, QUEUE_RISK, SESSION_MINUTES, type SlippageOrder, TOUCH_SHARE } from './model.js'

/** A cost estimate with its components, in basis points of the arrival mid. */
export interface SlippageEstimate {
  orderId: number
  halfSpreadBps: number
  impactBps: number
  queueRiskBps: number
  adverseSelectionBps: number
  fillProbability: number
  totalBps: number
  /** Expected cost in currency units: totalBps × notional. */
  cost: number
}

/** Half spread plus square-root temporary impact plus half the linear permanent impact, in bps. */
export function marketImpactBps(market: SymbolMarket, quantity: number): { halfSpreadBps: number; impactBps: number } {
  const participation = quantity / market.adv
  const sigmaBps = market.dailyVolatility * BPS
  const temporary = ETA * sigmaBps * Math.sqrt(participation)
  const permanent = 0.5 * GAMMA * sigmaBps * participation
  return { halfSpreadBps: market.spreadBps / 2, impactBps: temporary + permanent }
}

export function estimateOrderNaive(order: SlippageOrder, markets: Map<string, SymbolMarket>): SlippageEstimate {
  const market = markets.get(order.symbol)
  if (market === undefined) throw new Error(`no market data for ${order.symbol}`)
  const notional = order.quantity * market.midPrice
  const crossing = marketImpactBps(market, order.quantity)
  if (order.type === 'market') {
    const totalBps = crossing.halfSpreadBps + crossing.impactBps
    return {
      orderId: order.id,
      halfSpreadBps: crossing.halfSpreadBps,
      impactBps: crossing.impactBps,
      queueRiskBps: 0,
      adverseSelectionBps: 0,
      fillProbability: 1,
      totalBps,
      cost: (totalBps / BPS) * notional,
    }
  }
  const horizonFraction = order.horizonMinutes / SESSION_MINUTES
  const horizonSigmaBps = market.dailyVolatility * BPS * Math.sqrt(horizonFraction)
  const volumeAtTouch = market.adv * horizonFraction * TOUCH_SHARE
  const fillProbability = 1 - Math.exp(-volumeAtTouch / (order.queueAhead + order.quantity))
  const adverseSelectionBps = ADVERSE_SELECTION * horizonSigmaBps
  const queueRiskBps = QUEUE_RISK * horizonSigmaBps
  const filledBps = -crossing.halfSpreadBps + adverseSelectionBps
  const unfilledBps = crossing.halfSpreadBps + crossing.impactBps + queueRiskBps
  const totalBps = fillProbability * filledBps + (1 - fillProbability) * unfilledBps
  return {
    orderId: order.id,
    halfSpreadBps: crossing.halfSpreadBps,
    impactBps: crossing.impactBps,
    queueRiskBps,
    adverseSelectionBps,
    fillProbability,
    totalBps,
    cost: (totalBps / BPS) * notional,
  }
}

/** Estimates `count` orders starting at `from`, wrapping around the order list. */
export function estimateBatchNaive(
  orders: SlippageOrder[],
  markets: Map<string, SymbolMarket>,
  from: number,
  count: number,
): SlippageEstimate[] {
  const out: SlippageEstimate[] = []
  for (let k = 0; k < count; k++) out.push(estimateOrderNaive(orders[(from + k) % orders.length]!, markets))
  return out
}
