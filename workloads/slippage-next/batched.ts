/**
 * The optimized estimator: orders as struct-of-arrays columns, one pass over a range writing only
 * the total cost into a preallocated Float64Array. Same arithmetic, in the same order, as
 * `estimateCost`, so the results are bit-identical.
 */
import { ADVERSE_SELECTION, MARKET, MEAN_ABS_NORMAL, TOUCH_VOLUME_SHARE } from './model.js'

export interface OrderColumns {
  length: number
  /** MARKET or LIMIT. */
  type: Uint8Array
  size: Float64Array
  adv: Float64Array
  sigmaBps: Float64Array
  spreadBps: Float64Array
  horizonDays: Float64Array
  queueAhead: Float64Array
}

/** Writes the cost of orders [from, to) into out[outAt ...]. */
export function estimateCostsInto(c: OrderColumns, from: number, to: number, eta: number, out: Float64Array, outAt: number): void {
  const { type, size, adv, sigmaBps, spreadBps, horizonDays, queueAhead } = c
  let o = outAt
  for (let i = from; i < to; i++, o++) {
    const halfSpread = spreadBps[i]! / 2
    if (type[i] === MARKET) {
      out[o] = halfSpread + eta * sigmaBps[i]! * Math.sqrt(size[i]! / adv[i]!)
      continue
    }
    const t = horizonDays[i]!
    const p = 1 - Math.exp((-TOUCH_VOLUME_SHARE * adv[i]! * t) / (queueAhead[i]! + size[i]!))
    const move = sigmaBps[i]! * Math.sqrt(t)
    out[o] = (1 - 2 * p) * halfSpread + (1 - p) * MEAN_ABS_NORMAL * move + p * ADVERSE_SELECTION * move
  }
}
