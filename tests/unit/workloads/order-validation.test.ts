import { describe, expect, it } from 'vitest'
import { type ParamValues, workloadDescriptorSchema } from '../../../core/model/workload.js'
import { digestAnswer } from '../../../workloads/data/digest.js'
import { createRng } from '../../../workloads/data/prng.js'
import { createComponentCollector } from '../../../workloads/harness/components.js'
import { SAMPLE_EVERY, descriptor, workload } from '../../../workloads/order-validation/index.js'
import { validateOrderNaive, validateOrderNaiveTimed } from '../../../workloads/order-validation/naive.js'
import {
  buildRiskIndex,
  reasonsOf,
  validateBatchIndexed,
  validateOrderIndexed,
  validateOrderIndexedTimed,
} from '../../../workloads/order-validation/optimized.js'
import {
  REASONS,
  RULE_COMPONENTS,
  type RejectReason,
  type RiskOrder,
  type RiskUniverse,
  type ValidationAnswer,
  generatePlantedOrders,
  generateUniverse,
} from '../../../workloads/order-validation/rules.js'

function params(overrides: ParamValues = {}): ParamValues {
  const out: ParamValues = {}
  for (const [name, spec] of Object.entries(descriptor.params)) out[name] = spec.default
  return { ...out, ...overrides }
}

async function answerOf(variant: string, seed: number, overrides: ParamValues): Promise<ValidationAnswer> {
  const inst = await workload.create({ variant, params: params(overrides), seed })
  return (await inst.answer()) as ValidationAnswer
}

/** Both validators' reasons for one order: [naive, indexed]. */
function decideBoth(order: RiskOrder, universe: RiskUniverse): [RejectReason[], RejectReason[]] {
  return [validateOrderNaive(order, universe).reasons, reasonsOf(validateOrderIndexed(order, buildRiskIndex(universe)))]
}

describe('order validation on a hand-made universe', () => {
  const universe: RiskUniverse = {
    symbols: [
      { symbol: 'AAA', referencePrice: 100, adv: 100_000, priceBand: 0.05 },
      { symbol: 'BBB', referencePrice: 20, adv: 1000, priceBand: 0.1 },
    ],
    accounts: [{ accountId: 'A1', maxOrderNotional: 100_000, defaultPositionLimit: 10_000 }],
    positionLimits: [{ accountId: 'A1', symbol: 'BBB', maxAbsPosition: 500 }],
    positions: [
      { accountId: 'A1', symbol: 'AAA', quantity: 9500 },
      { accountId: 'A1', symbol: 'BBB', quantity: -450 },
    ],
  }
  const o = (accountId: string, symbol: string, side: 'buy' | 'sell', quantity: number, price: number): RiskOrder => ({
    id: 0,
    accountId,
    symbol,
    side,
    quantity,
    price,
  })
  const cases: Array<[string, RiskOrder, RejectReason[]]> = [
    ['inside every limit', o('A1', 'AAA', 'buy', 400, 101), []],
    ['long position 9,500 + 600 > 10,000', o('A1', 'AAA', 'buy', 600, 100), ['position-limit']],
    ['94 is 6% below 100 with a 5% band', o('A1', 'AAA', 'sell', 600, 94), ['price-band']],
    ['104,000 notional and a 10,400 position', o('A1', 'AAA', 'buy', 1000, 104), ['max-notional', 'position-limit']],
    [
      'short −450 − 60 beyond the explicit 500 limit; 60 > 5% of 1,000 ADV',
      o('A1', 'BBB', 'sell', 60, 20),
      ['position-limit', 'fat-finger'],
    ],
    ['explicit limit, inside band and at 5% of ADV exactly', o('A1', 'BBB', 'buy', 50, 21.5), []],
    ['unknown account: only symbol checks apply', o('ZZ', 'AAA', 'buy', 10, 100), ['unknown-account']],
    ['symbol not on the list: only the notional check applies', o('A1', 'QQQ', 'buy', 10, 50), ['symbol-not-allowed']],
    ['unknown account and symbol: nothing else can be checked', o('ZZ', 'QQQ', 'buy', 1e9, 1), ['unknown-account', 'symbol-not-allowed']],
    [
      'selling 20,000: notional, position (−10,500) and fat finger',
      o('A1', 'AAA', 'sell', 20_000, 100),
      ['max-notional', 'position-limit', 'fat-finger'],
    ],
  ]
  it.each(cases)('%s', (_label, order, expected) => {
    const [naive, indexed] = decideBoth(order, universe)
    expect(naive).toEqual(expected)
    expect(indexed).toEqual(expected)
  })

  it('adds up duplicate position rows and falls back to the account default limit', () => {
    const split: RiskUniverse = {
      ...universe,
      positions: [...universe.positions, { accountId: 'A1', symbol: 'AAA', quantity: 400 }],
    }
    // 9,500 + 400 + 200 = 10,100 > 10,000 only when both rows count.
    expect(decideBoth(o('A1', 'AAA', 'buy', 200, 100), split)).toEqual([['position-limit'], ['position-limit']])
    expect(decideBoth(o('A1', 'AAA', 'buy', 200, 100), universe)).toEqual([[], []])
  })
})

describe('planted violations', () => {
  it('are found exactly, order by order, by both validators', () => {
    for (const seed of [1, 2]) {
      const universe = generateUniverse(createRng(seed), { symbols: 300, accounts: 30, positionsPerAccount: 15 })
      const { orders, planted } = generatePlantedOrders(seed, universe, 3000, 0.35)
      const index = buildRiskIndex(universe)
      const masks = new Uint8Array(orders.length)
      validateBatchIndexed(orders, index, 0, orders.length, masks)
      orders.forEach((order, i) => {
        expect(validateOrderNaive(order, universe).reasons, `order ${i}`).toEqual(planted[i])
        expect(reasonsOf(masks[i]!), `order ${i}`).toEqual(planted[i])
      })
      // Every rule was exercised, alone and in the one planted pair.
      const seen = new Set(planted.map((r) => r.join('+')))
      for (const reason of REASONS) expect(seen.has(reason), reason).toBe(true)
      expect(seen.has('price-band+fat-finger')).toBe(true)
      expect(seen.has('')).toBe(true)
    }
  })

  it('can be planted in the smallest universe the parameters allow', () => {
    const universe = generateUniverse(createRng(4), { symbols: 50, accounts: 10, positionsPerAccount: 1 })
    const { orders, planted } = generatePlantedOrders(4, universe, 500, 1)
    orders.forEach((order, i) => expect(validateOrderNaive(order, universe).reasons).toEqual(planted[i]))
  })
})

describe('order-validation workload', () => {
  const small = { orders: 2000, symbols: 200, accounts: 20, positionsPerAccount: 10, violationRate: 0.3 }

  it('has a valid descriptor whose default variant is the naive one', () => {
    expect(() => workloadDescriptorSchema.parse(descriptor)).not.toThrow()
    expect(descriptor.variants.find((v) => v.id === descriptor.defaultVariant)?.role).toBe('naive')
  })

  it('gives the same answer from both variants for several seeds, and another for another seed', async () => {
    const digests: string[] = []
    for (const seed of [1, 2, 3]) {
      const naive = await answerOf('naive', seed, small)
      expect(naive.accepted + naive.rejected).toBe(2000)
      expect(naive.rejected).toBeGreaterThan(400)
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
      for (let i = 0; i < 3; i++) await inst.iterate()
      expect(digestAnswer(await inst.answer()), v.id).toBe(before)
    }
  })
})

describe('order-validation components', () => {
  const ids = Object.values(RULE_COMPONENTS)

  it('lists one component per rule, with budgets, in rule order', () => {
    expect(descriptor.components?.map((c) => c.id)).toEqual(REASONS.map((r) => RULE_COMPONENTS[r]))
    expect(new Set(ids).size).toBe(REASONS.length)
    for (const c of descriptor.components ?? []) expect(c.budgetNs).toBeGreaterThan(0)
  })

  it('timed validators decide like the untimed ones and time each rule only where it applies', () => {
    const universe = generateUniverse(createRng(3), { symbols: 300, accounts: 30, positionsPerAccount: 15 })
    const { orders } = generatePlantedOrders(3, universe, 2000, 0.5)
    const index = buildRiskIndex(universe)
    const naive = createComponentCollector(0)
    const indexed = createComponentCollector(0)
    naive.setActive(true)
    indexed.setActive(true)
    for (const order of orders) {
      expect(validateOrderNaiveTimed(order, universe, naive, 1)).toEqual(validateOrderNaive(order, universe))
      expect(validateOrderIndexedTimed(order, index, indexed, 1)).toBe(validateOrderIndexed(order, index))
    }
    // A rule is timed when the lookups it needs succeeded: symbol rules need the symbol, account rules the account.
    const knownAccount = orders.filter((o) => index.accountIndex.has(o.accountId)).length
    const knownSymbol = orders.filter((o) => index.symbolIndex.has(o.symbol)).length
    const knownBoth = orders.filter((o) => index.accountIndex.has(o.accountId) && index.symbolIndex.has(o.symbol)).length
    expect(knownAccount).toBeLessThan(orders.length)
    expect(knownSymbol).toBeLessThan(orders.length)
    const expected = { account: orders.length, allowlist: orders.length, 'price-band': knownSymbol, notional: knownAccount, position: knownBoth, 'fat-finger': knownSymbol }
    for (const collector of [naive, indexed]) {
      const calls = Object.fromEntries(collector.summarize().map((c) => [c.id, c.calls]))
      expect(calls).toEqual(expected)
    }
  })

  it.each(['naive', 'optimized'] as const)('%s: times one order in SAMPLE_EVERY across batches, every rule', async (variant) => {
    const collector = createComponentCollector()
    const batch = 1500
    const inst = await workload.create({ variant, params: params({ orders: 2000, batch }), seed: 6, components: collector })
    const iterations = Math.ceil((8 * SAMPLE_EVERY[variant]) / batch)
    collector.setActive(true)
    for (let i = 0; i < iterations; i++) await inst.iterate()
    collector.setActive(false)
    await inst.iterate()
    const timings = collector.summarize()
    expect(timings.map((t) => t.id).sort()).toEqual([...ids].sort())
    expect(timings.find((t) => t.id === 'account')!.calls).toBe(Math.floor((iterations * batch) / SAMPLE_EVERY[variant]))
    for (const t of timings) {
      expect(t.calls).toBeGreaterThan(0)
      expect(Number.isFinite(t.latencyNs.p50) && Number.isFinite(t.latencyNs.p99)).toBe(true)
    }
  })
})
