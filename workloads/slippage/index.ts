/**
 * slippage: expected execution cost of seeded market and limit orders under an Almgren–Chriss style
 * square-root impact model (limit orders: spread capture, adverse selection and queue risk weighted by
 * fill probability). One object per estimate, or one pass over struct-of-arrays columns.
 */
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { type WorkloadContext, type WorkloadInstance, type WorkloadModule, intParam, numberParam } from '../types.js'
import { type SlippageAnswer, type SlippageData, generateSlippageData, roundSig } from './model.js'
import { type SlippageEstimate, estimateBatchNaive } from './naive.js'
import { createEstimateColumns, estimateRangeInto, toColumns } from './optimized.js'

export const descriptor: WorkloadDescriptor = {
  id: 'slippage',
  title: 'Slippage estimates',
  description:
    'Expected implementation shortfall of seeded orders. Market orders: half spread + η·σ·sqrt(Q/ADV) + ½·γ·σ·Q/ADV ' +
    '(square-root temporary impact, linear permanent impact). Limit orders: with fill probability p = 1 − exp(−V_h/(queue + Q)), ' +
    'p·(−half spread + adverse selection) + (1 − p)·(market cost + queue risk), both risks proportional to the volatility over the horizon.',
  operation: 'one order cost estimate',
  variants: [
    {
      id: 'naive',
      title: 'Scalar, object per estimate',
      description: 'A function call per order: Map lookup of the symbol, a breakdown object per estimate, collected into an array.',
      role: 'naive',
    },
    {
      id: 'optimized',
      title: 'Batched typed arrays',
      description: 'One loop over struct-of-arrays Float64Array columns with interned symbol indices, writing preallocated output columns.',
      role: 'optimized',
    },
  ],
  defaultVariant: 'naive',
  params: {
    orders: { type: 'int', description: 'Seeded orders the batches cycle through.', default: 20_000, min: 10, max: 2_000_000 },
    batch: { type: 'int', description: 'Estimates per timed iteration.', default: 5000, min: 1, max: 1_000_000 },
    symbols: { type: 'int', description: 'Distinct symbols with market statistics.', default: 500, min: 1, max: 10_000 },
    limitShare: { type: 'number', description: 'Fraction of orders that are passive limit orders.', default: 0.4, min: 0, max: 1 },
  },
  unit: 'orders',
  openLoop: { request: 'a batch of impact estimates', batchParam: 'batch' },
  figureToBeat: '8 µs per estimate',
}

function summarize(data: SlippageData, totalBps: ArrayLike<number>, cost: ArrayLike<number>, fill: ArrayLike<number>): SlippageAnswer {
  let marketOrders = 0
  let limitOrders = 0
  let totalCost = 0
  let marketBps = 0
  let limitBps = 0
  let limitFill = 0
  let maxBps = -Infinity
  data.orders.forEach((o, i) => {
    const bps = totalBps[i]!
    totalCost += cost[i]!
    if (bps > maxBps) maxBps = bps
    if (o.type === 'market') {
      marketOrders++
      marketBps += bps
    } else {
      limitOrders++
      limitBps += bps
      limitFill += fill[i]!
    }
  })
  return {
    orders: data.orders.length,
    marketOrders,
    limitOrders,
    totalCost: roundSig(totalCost),
    meanMarketBps: roundSig(marketOrders > 0 ? marketBps / marketOrders : 0),
    meanLimitBps: roundSig(limitOrders > 0 ? limitBps / limitOrders : 0),
    meanLimitFillProbability: roundSig(limitOrders > 0 ? limitFill / limitOrders : 0),
    maxBps: roundSig(maxBps),
    first: data.orders.slice(0, 5).map((o, i) => ({ id: o.id, bps: roundSig(totalBps[i]!), fillProbability: roundSig(fill[i]!) })),
  }
}

export function createSlippage(ctx: WorkloadContext): WorkloadInstance {
  const orderCount = intParam(ctx.params, 'orders')
  const batch = intParam(ctx.params, 'batch')
  const data = generateSlippageData(ctx.seed, orderCount, intParam(ctx.params, 'symbols'), numberParam(ctx.params, 'limitShare'))
  let cursor = 0
  let sink = 0
  const consume = (x: number): void => {
    sink += x
    if (!Number.isFinite(sink)) throw new Error(`slippage: non-finite cost estimate (${x})`)
  }

  if (ctx.variant === 'naive') {
    const markets = new Map(data.markets.map((m) => [m.symbol, m]))
    const fromEstimates = (estimates: SlippageEstimate[]): SlippageAnswer =>
      summarize(
        data,
        estimates.map((e) => e.totalBps),
        estimates.map((e) => e.cost),
        estimates.map((e) => e.fillProbability),
      )
    return {
      opsPerIteration: batch,
      iterate: function estimateSlippageNaive(): void {
        const estimates = estimateBatchNaive(data.orders, markets, cursor, batch)
        cursor = (cursor + batch) % orderCount
        let total = 0
        for (const e of estimates) total += e.totalBps
        consume(total)
      },
      answer: () => fromEstimates(estimateBatchNaive(data.orders, markets, 0, orderCount)),
    }
  }
  if (ctx.variant !== 'optimized') {
    throw new Error(`unknown variant ${ctx.variant} of slippage (expected ${descriptor.variants.map((v) => v.id).join(', ')})`)
  }
  const cols = toColumns(data.orders, data.markets)
  const out = createEstimateColumns(orderCount)
  return {
    opsPerIteration: batch,
    iterate: function estimateSlippageBatched(): void {
      // The batch may wrap around the end of the order columns: estimate it as up to two ranges.
      let remaining = batch
      let total = 0
      while (remaining > 0) {
        const count = Math.min(remaining, orderCount - cursor)
        total += estimateRangeInto(cols.orders, cols.markets, cursor, count, out)
        cursor = (cursor + count) % orderCount
        remaining -= count
      }
      consume(total)
    },
    answer: () => {
      const fresh = createEstimateColumns(orderCount)
      estimateRangeInto(cols.orders, cols.markets, 0, orderCount, fresh)
      return summarize(data, fresh.totalBps, fresh.cost, fresh.fillProbability)
    },
  }
}

export const workload: WorkloadModule = { descriptor, create: createSlippage }
