/**
 * The slippage cost model (in basis points of the arrival mid) and the scalar estimator that applies
 * it one order object at a time. Market orders: half spread plus Almgren–Chriss square-root impact.
 * Limit orders: net half spread, queue risk and adverse selection (see README.md for the derivation).
 */

/** Default impact coefficient η: the square-root law's constant, of order 1 in the literature (Almgren et al. 2005 fit ~0.3-1). */
export const DEFAULT_ETA = 0.8
/** Share of daily volume that trades at the order's price level, which drains the queue ahead of it. */
export const TOUCH_VOLUME_SHARE = 0.1
/** Adverse selection of a filled passive order, as a fraction of σ·√T. */
export const ADVERSE_SELECTION = 0.5
/** E|X| for X ~ N(0, 1): the expected size of the move away from a resting order. */
export const MEAN_ABS_NORMAL = Math.sqrt(2 / Math.PI)

export const MARKET = 0
export const LIMIT = 1

export interface OrderSpec {
  type: 'market' | 'limit'
  /** Order size in shares. */
  size: number
  /** Average daily volume in shares. */
  adv: number
  /** Daily volatility in basis points. */
  sigmaBps: number
  /** Quoted spread in basis points of the mid. */
  spreadBps: number
  /** How long a limit order rests before it is completed at market, in trading days (limit only). */
  horizonDays: number
  /** Shares queued ahead of the limit order at its price (limit only). */
  queueAhead: number
}

export interface CostEstimate {
  /** Total expected cost in bps; negative when a passive order expects to earn. */
  costBps: number
  halfSpreadBps: number
  impactBps: number
  queueRiskBps: number
  adverseSelectionBps: number
  fillProbability: number
}

/** P(fill within T): Poisson arrival of θ·ADV·T shares at the level against queueAhead + size. */
export function fillProbability(size: number, adv: number, horizonDays: number, queueAhead: number): number {
  return 1 - Math.exp((-TOUCH_VOLUME_SHARE * adv * horizonDays) / (queueAhead + size))
}

/** One estimate, a fresh result object per call: the naive shape. */
export function estimateCost(order: OrderSpec, eta: number): CostEstimate {
  const halfSpread = order.spreadBps / 2
  if (order.type === 'market') {
    const impact = eta * order.sigmaBps * Math.sqrt(order.size / order.adv)
    return {
      costBps: halfSpread + impact,
      halfSpreadBps: halfSpread,
      impactBps: impact,
      queueRiskBps: 0,
      adverseSelectionBps: 0,
      fillProbability: 1,
    }
  }
  const p = fillProbability(order.size, order.adv, order.horizonDays, order.queueAhead)
  const move = order.sigmaBps * Math.sqrt(order.horizonDays)
  // Filled: earn the half spread; unfilled: cross it later. Net (1 − 2p)·s/2.
  const netHalfSpread = (1 - 2 * p) * halfSpread
  const queueRisk = (1 - p) * MEAN_ABS_NORMAL * move
  const adverseSelection = p * ADVERSE_SELECTION * move
  return {
    costBps: netHalfSpread + queueRisk + adverseSelection,
    halfSpreadBps: netHalfSpread,
    impactBps: 0,
    queueRiskBps: queueRisk,
    adverseSelectionBps: adverseSelection,
    fillProbability: p,
  }
}
