import { describe, expect, it } from 'vitest'
import { type ParamValues, workloadDescriptorSchema } from '../../../core/model/workload.js'
import { digestAnswer } from '../../../workloads/data/digest.js'
import type { SymbolMarket } from '../../../workloads/data/orders.js'
import { type SlippageAnswer, type SlippageOrder, generateSlippageData } from '../../../workloads/slippage/model.js'
import { descriptor, workload } from '../../../workloads/slippage/index.js'
import { estimateOrderNaive } from '../../../workloads/slippage/naive.js'
import { createEstimateColumns, estimateRangeInto, toColumns } from '../../../workloads/slippage/optimized.js'

function params(overrides: ParamValues = {}): ParamValues {
  const out: ParamValues = {}
  for (const [name, spec] of Object.entries(descriptor.params)) out[name] = spec.default
  return { ...out, ...overrides }
}

async function answerOf(variant: string, seed: number, overrides: ParamValues): Promise<SlippageAnswer> {
  const inst = await workload.create({ variant, params: params(overrides), seed })
  return (await inst.answer()) as SlippageAnswer
}

/** Both estimators on one order: [naive, batched] as { bps, cost, fill }. */
function estimateBoth(order: SlippageOrder, market: SymbolMarket) {
  const naive = estimateOrderNaive(order, new Map([[market.symbol, market]]))
  const cols = toColumns([order], [market])
  const out = createEstimateColumns(1)
  estimateRangeInto(cols.orders, cols.markets, 0, 1, out)
  return [
    { bps: naive.totalBps, cost: naive.cost, fill: naive.fillProbability },
    { bps: out.totalBps[0]!, cost: out.cost[0]!, fill: out.fillProbability[0]! },
  ]
}

// $50 stock, 1M shares ADV, 2% daily volatility (200 bp), 10 bp spread.
const market: SymbolMarket = { symbol: 'XYZ', midPrice: 50, adv: 1_000_000, dailyVolatility: 0.02, spreadBps: 10 }
const order = (o: Partial<SlippageOrder>): SlippageOrder => ({
  id: 1,
  symbol: 'XYZ',
  side: 'buy',
  type: 'market',
  quantity: 10_000,
  queueAhead: 0,
  horizonMinutes: 0,
  ...o,
})

describe('slippage model, hand-computed', () => {
  it('prices a market order: half spread + 0.7·σ·sqrt(Q/ADV) + ½·0.314·σ·Q/ADV', () => {
    // Q/ADV = 0.01: 5 + 0.7·200·0.1 + 0.157·200·0.01 = 5 + 14 + 0.314 = 19.314 bp; on $500,000 that is $965.70.
    for (const e of estimateBoth(order({}), market)) {
      expect(e.bps).toBeCloseTo(19.314, 10)
      expect(e.cost).toBeCloseTo(965.7, 8)
      expect(e.fill).toBe(1)
    }
    // Four times the size doubles the square-root term: 5 + 28 + 1.256 = 34.256 bp.
    for (const e of estimateBoth(order({ quantity: 40_000 }), market)) expect(e.bps).toBeCloseTo(34.256, 10)
  })

  it('prices a limit order: fill-probability-weighted spread capture and adverse selection, or queue risk and crossing', () => {
    // 1,000 shares behind 49,000 for 39 minutes (a tenth of the day): V_h = 1M·0.1·0.5 = 50,000, so p = 1 − e^−1.
    // σ_h = 200·sqrt(0.1) = 63.2456 bp. Filled: −5 + 0.2·σ_h = 7.64911 bp. Unfilled: 5 + (0.7·200·sqrt(0.001) +
    // 0.157·200·0.001 = 4.45859) + sqrt(2/π)·σ_h (50.4626) = 59.92124 bp. Expected: 0.632121·7.64911 + 0.367879·59.92124.
    const o = order({ type: 'limit', quantity: 1000, queueAhead: 49_000, horizonMinutes: 39 })
    for (const e of estimateBoth(o, market)) {
      expect(e.fill).toBeCloseTo(0.6321205588, 9)
      expect(e.bps).toBeCloseTo(26.878952071, 8)
      expect(e.cost).toBeCloseTo(134.39476035, 6)
    }
  })

  it('behaves as the model says: costs grow with size and volatility, fills fall with the queue ahead', () => {
    const bps = (o: SlippageOrder, m = market): number => estimateBoth(o, m)[1]!.bps
    expect(bps(order({ quantity: 20_000 }))).toBeGreaterThan(bps(order({ quantity: 10_000 })))
    expect(bps(order({}), { ...market, dailyVolatility: 0.04 })).toBeGreaterThan(bps(order({})))
    const fill = (queueAhead: number): number =>
      estimateBoth(order({ type: 'limit', quantity: 1000, queueAhead, horizonMinutes: 30 }), market)[1]!.fill
    expect(fill(1000)).toBeGreaterThan(fill(100_000))
    // A tiny passive order at the front of the queue nearly always fills and earns most of the half spread.
    const front = estimateBoth(order({ type: 'limit', quantity: 1, queueAhead: 0, horizonMinutes: 1 }), market)[1]!
    expect(front.fill).toBeGreaterThan(0.999)
    expect(front.bps).toBeLessThan(0)
  })

  it('gives bit-identical estimates from the scalar and the batched code for every generated order', () => {
    const data = generateSlippageData(9, 3000, 50, 0.5)
    const markets = new Map(data.markets.map((m) => [m.symbol, m]))
    const cols = toColumns(data.orders, data.markets)
    const out = createEstimateColumns(data.orders.length)
    // Two ranges, to check that `from` is honoured.
    estimateRangeInto(cols.orders, cols.markets, 0, 1234, out)
    estimateRangeInto(cols.orders, cols.markets, 1234, data.orders.length - 1234, out)
    data.orders.forEach((o, i) => {
      const e = estimateOrderNaive(o, markets)
      expect(out.totalBps[i]).toBe(e.totalBps)
      expect(out.cost[i]).toBe(e.cost)
      expect(out.fillProbability[i]).toBe(e.fillProbability)
    })
  })
})

describe('slippage workload', () => {
  const small = { orders: 2000, symbols: 40 }

  it('has a valid descriptor whose default variant is the naive one', () => {
    expect(() => workloadDescriptorSchema.parse(descriptor)).not.toThrow()
    expect(descriptor.variants.find((v) => v.id === descriptor.defaultVariant)?.role).toBe('naive')
  })

  it('gives the same answer from both variants for several seeds, and another for another seed', async () => {
    const digests: string[] = []
    for (const seed of [1, 2, 3]) {
      const naive = await answerOf('naive', seed, small)
      expect(naive.marketOrders + naive.limitOrders).toBe(2000)
      expect(naive.meanMarketBps).toBeGreaterThan(0)
      expect(digestAnswer(await answerOf('optimized', seed, small)), `seed ${seed}`).toBe(digestAnswer(naive))
      digests.push(digestAnswer(naive))
    }
    expect(new Set(digests).size).toBe(3)
  })

  it('iterates every variant with batches that wrap around the orders, and answers the same afterwards', async () => {
    for (const v of descriptor.variants) {
      const inst = await workload.create({ variant: v.id, params: params({ ...small, batch: 1500 }), seed: 5 })
      expect(inst.opsPerIteration).toBe(1500)
      const before = digestAnswer(await inst.answer())
      for (let i = 0; i < 4; i++) await inst.iterate()
      expect(digestAnswer(await inst.answer()), v.id).toBe(before)
    }
  })
})
