/**
 * slippage: pre-trade cost estimates for a seeded universe of market and limit orders, one order
 * object at a time against one pass over struct-of-arrays columns.
 */
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { type WorkloadContext, type WorkloadInstance, type WorkloadModule, intParam, numberParam } from '../types.js'
import { type OrderColumns, estimateCostsInto } from './batched.js'
import { DEFAULT_ETA, LIMIT, type OrderSpec, estimateCost } from './model.js'
import { generateOrders, toColumns } from './orders.js'

export const descriptor: WorkloadDescriptor = {
  id: 'slippage',
  title: 'Slippage estimates',
  description:
    'Expected execution cost in bps for a seeded universe of orders. Market orders: half spread + η·σ·√(size/ADV) ' +
    '(Almgren–Chriss square-root impact). Limit orders: net half spread + queue risk (non-fill probability × expected ' +
    'adverse move) + adverse selection of the fills.',
  operation: 'one order cost estimate',
  variants: [
    {
      id: 'scalar',
      title: 'Scalar',
      description: 'estimateCost(order) on an order object, returning a new result object per call.',
      role: 'naive',
    },
    {
      id: 'batched',
      title: 'Batched columns',
      description: 'Struct-of-arrays Float64Array inputs, one pass writing costs into a preallocated Float64Array.',
      role: 'optimized',
    },
  ],
  defaultVariant: 'scalar',
  params: {
    orders: {
      type: 'int',
      description: 'Orders in the seeded universe, cycled through by the iterations.',
      default: 10_000,
      min: 1,
      max: 5_000_000,
    },
    batch: { type: 'int', description: 'Estimates per iteration.', default: 1000, min: 1, max: 1_000_000 },
    eta: { type: 'number', description: 'Square-root impact coefficient η.', default: DEFAULT_ETA, min: 0, max: 5 },
  },
  figureToBeat: '8 µs per estimate',
}

/** 10 significant digits: the variants agree bit for bit, this only keeps the JSON short and stable. */
function round(x: number): number {
  return Number(x.toPrecision(10))
}

/** Sum, mean, max and count of the costs, overall and by order type. */
export function summarizeCosts(costs: ArrayLike<number>, isLimit: (i: number) => boolean): unknown {
  const groups = { market: { count: 0, sum: 0, max: -Infinity }, limit: { count: 0, sum: 0, max: -Infinity } }
  for (let i = 0; i < costs.length; i++) {
    const g = isLimit(i) ? groups.limit : groups.market
    const c = costs[i]!
    g.count++
    g.sum += c
    if (c > g.max) g.max = c
  }
  const out = (g: { count: number; sum: number; max: number }): unknown => ({
    count: g.count,
    sumBps: round(g.sum),
    meanBps: g.count > 0 ? round(g.sum / g.count) : 0,
    maxBps: g.count > 0 ? round(g.max) : 0,
  })
  const count = groups.market.count + groups.limit.count
  const sum = groups.market.sum + groups.limit.sum
  return {
    count,
    sumBps: round(sum),
    meanBps: count > 0 ? round(sum / count) : 0,
    maxBps: round(Math.max(groups.market.max, groups.limit.max)),
    market: out(groups.market),
    limit: out(groups.limit),
  }
}

function scalarInstance(orders: OrderSpec[], batch: number, eta: number): WorkloadInstance {
  let cursor = 0
  let sink = 0
  return {
    opsPerIteration: batch,
    iterate(): void {
      for (let k = 0; k < batch; k++) {
        sink += estimateCost(orders[cursor]!, eta).costBps
        if (++cursor === orders.length) cursor = 0
      }
      if (Number.isNaN(sink)) throw new Error('slippage: NaN cost')
    },
    answer(): unknown {
      const costs = orders.map((o) => estimateCost(o, eta).costBps)
      return summarizeCosts(costs, (i) => orders[i]!.type === 'limit')
    },
  }
}

function batchedInstance(columns: OrderColumns, batch: number, eta: number): WorkloadInstance {
  const out = new Float64Array(batch)
  let cursor = 0
  let sink = 0
  return {
    opsPerIteration: batch,
    iterate(): void {
      // Up to ceil(batch / orders) + 1 contiguous runs when the batch wraps around the universe.
      let done = 0
      while (done < batch) {
        const run = Math.min(batch - done, columns.length - cursor)
        estimateCostsInto(columns, cursor, cursor + run, eta, out, done)
        done += run
        cursor += run
        if (cursor === columns.length) cursor = 0
      }
      for (let k = 0; k < batch; k++) sink += out[k]!
      if (Number.isNaN(sink)) throw new Error('slippage: NaN cost')
    },
    answer(): unknown {
      const costs = new Float64Array(columns.length)
      estimateCostsInto(columns, 0, columns.length, eta, costs, 0)
      return summarizeCosts(costs, (i) => columns.type[i] === LIMIT)
    },
  }
}

export function createSlippage(ctx: WorkloadContext): WorkloadInstance {
  const orders = generateOrders(ctx.seed, intParam(ctx.params, 'orders'))
  const batch = intParam(ctx.params, 'batch')
  const eta = numberParam(ctx.params, 'eta')
  switch (ctx.variant) {
    case 'scalar':
      return scalarInstance(orders, batch, eta)
    case 'batched':
      return batchedInstance(toColumns(orders), batch, eta)
    default:
      throw new Error(`unknown variant ${ctx.variant} of slippage (expected ${descriptor.variants.map((v) => v.id).join(', ')})`)
  }
}

export const workload: WorkloadModule = { descriptor, create: (ctx) => createSlippage(ctx) }
