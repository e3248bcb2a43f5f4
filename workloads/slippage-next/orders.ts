/** Seeded order universe for the slippage workload, as objects and as columns of the same values. */
import { createRng } from '../data/prng.js'
import type { OrderColumns } from './batched.js'
import { LIMIT, MARKET, type OrderSpec } from './model.js'

/**
 * 60% market, 40% limit; size log-normal around 5,000 shares, ADV log-normal around 2M shares,
 * daily σ 80-400 bps, spread 1-30 bps, limit horizon 0.01-0.5 day, queue ahead 0.01-1% of ADV.
 */
export function generateOrders(seed: number, count: number): OrderSpec[] {
  const rng = createRng(seed)
  const orders: OrderSpec[] = []
  for (let i = 0; i < count; i++) {
    const isMarket = rng.next() < 0.6
    const size = Math.max(1, Math.round(Math.exp(Math.log(5000) + 1.5 * rng.normal())))
    const adv = Math.round(Math.exp(Math.log(2e6) + rng.normal()))
    const sigmaBps = rng.uniform(80, 400)
    const spreadBps = rng.uniform(1, 30)
    const horizonDays = isMarket ? 0 : rng.uniform(0.01, 0.5)
    const queueAhead = isMarket ? 0 : Math.round(adv * rng.uniform(0.0001, 0.01))
    orders.push({ type: isMarket ? 'market' : 'limit', size, adv, sigmaBps, spreadBps, horizonDays, queueAhead })
  }
  return orders
}

export function toColumns(orders: readonly OrderSpec[]): OrderColumns {
  const n = orders.length
  const c: OrderColumns = {
    length: n,
    type: new Uint8Array(n),
    size: new Float64Array(n),
    adv: new Float64Array(n),
    sigmaBps: new Float64Array(n),
    spreadBps: new Float64Array(n),
    horizonDays: new Float64Array(n),
    queueAhead: new Float64Array(n),
  }
  orders.forEach((o, i) => {
    c.type[i] = o.type === 'market' ? MARKET : LIMIT
    c.size[i] = o.size
    c.adv[i] = o.adv
    c.sigmaBps[i] = o.sigmaBps
    c.spreadBps[i] = o.spreadBps
    c.horizonDays[i] = o.horizonDays
    c.queueAhead[i] = o.queueAhead
  })
  return c
}
