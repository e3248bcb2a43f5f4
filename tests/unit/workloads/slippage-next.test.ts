import { describe, expect, it } from 'vitest'
import { workloadDescriptorSchema } from '../../../core/model/workload.js'
import { digestAnswer } from '../../../workloads/data/digest.js'
import { estimateCostsInto } from '../../../workloads/slippage-next/batched.js'
import { descriptor, workload } from '../../../workloads/slippage-next/index.js'
import { type OrderSpec, estimateCost } from '../../../workloads/slippage-next/model.js'
import { generateOrders, toColumns } from '../../../workloads/slippage-next/orders.js'

const market = (size: number): OrderSpec => ({
  type: 'market',
  size,
  adv: 1_000_000,
  sigmaBps: 200,
  spreadBps: 10,
  horizonDays: 0,
  queueAhead: 0,
})
const limit = (size: number, horizonDays = 0.25): OrderSpec => ({
  type: 'limit',
  size,
  adv: 1_000_000,
  sigmaBps: 200,
  spreadBps: 10,
  horizonDays,
  queueAhead: 24_000,
})

/** Both estimators on the same orders. */
function bothCosts(orders: OrderSpec[], eta: number): { scalar: number[]; batched: number[] } {
  const out = new Float64Array(orders.length)
  estimateCostsInto(toColumns(orders), 0, orders.length, eta, out, 0)
  return { scalar: orders.map((o) => estimateCost(o, eta).costBps), batched: [...out] }
}

describe('slippage model', () => {
  it('prices market orders as half spread + η·σ·√(size/ADV)', () => {
    // 10 bps spread -> 5; η 0.8 × σ 200 bps × √(10k / 1M) = 0.8 × 200 × 0.1 = 16.
    expect(estimateCost(market(10_000), 0.8)).toMatchObject({ costBps: 21, halfSpreadBps: 5, impactBps: 16, fillProbability: 1 })
    // 4x the size doubles the impact: 0.8 × 200 × 0.2 = 32.
    expect(estimateCost(market(40_000), 0.8).costBps).toBeCloseTo(37, 12)
    expect(estimateCost(market(40_000), 0).costBps).toBe(5)
  })

  it('prices limit orders as net half spread + queue risk + adverse selection', () => {
    // θ·ADV·T = 0.1 × 1M × 0.25 = 25,000 shares against 24,000 ahead + 1,000 own: p = 1 − e^−1 = 0.632120559.
    // σ√T = 200 × 0.5 = 100 bps. Net half spread (1 − 2p) × 5 = −1.321205588;
    // queue risk (1 − p) × √(2/π) × 100 = 29.352532635; adverse selection p × 0.5 × 100 = 31.606027941.
    const e = estimateCost(limit(1000), 0.8)
    expect(e.fillProbability).toBeCloseTo(0.632120559, 9)
    expect(e.halfSpreadBps).toBeCloseTo(-1.321205588, 8)
    expect(e.queueRiskBps).toBeCloseTo(29.352532635, 8)
    expect(e.adverseSelectionBps).toBeCloseTo(31.606027941, 8)
    expect(e.costBps).toBeCloseTo(59.637354988, 8)
    expect(e.impactBps).toBe(0)
  })

  it('rises with size for both order types, in both estimators', () => {
    const sizes = [1, 100, 1000, 10_000, 100_000, 1_000_000]
    for (const make of [market, limit]) {
      const { scalar, batched } = bothCosts(
        sizes.map((s) => make(s)),
        0.8,
      )
      for (let i = 1; i < sizes.length; i++) {
        expect(scalar[i]!).toBeGreaterThan(scalar[i - 1]!)
        expect(batched[i]!).toBeGreaterThan(batched[i - 1]!)
      }
    }
  })

  it('gives bit-identical costs in the scalar and batched estimators', () => {
    const orders = generateOrders(9, 5000)
    expect(orders.filter((o) => o.type === 'limit').length).toBeGreaterThan(1500)
    const { scalar, batched } = bothCosts(orders, 1.3)
    expect(batched).toEqual(scalar)
    expect(scalar.every(Number.isFinite)).toBe(true)
  })
})

describe('slippage workload', () => {
  const params = { orders: 2000, batch: 700, eta: 0.8 }

  it('has a valid descriptor with the naive variant as default', () => {
    expect(workloadDescriptorSchema.parse(descriptor)).toEqual(descriptor)
    expect(descriptor.variants.find((v) => v.id === descriptor.defaultVariant)?.role).toBe('naive')
  })

  it('gives the same answer in both variants after iterating, and a different one for another seed or η', async () => {
    const answers: unknown[] = []
    for (const variant of ['scalar', 'batched']) {
      const instance = await workload.create({ variant, params, seed: 5 })
      expect(instance.opsPerIteration).toBe(700)
      // 7 × 700 wraps around the 2,000 orders several times.
      for (let i = 0; i < 7; i++) await instance.iterate()
      answers.push(await instance.answer())
    }
    expect(answers[1]).toEqual(answers[0])
    expect(answers[0]).toMatchObject({ count: 2000 })
    const other = await workload.create({ variant: 'batched', params, seed: 6 })
    expect(digestAnswer(await other.answer())).not.toBe(digestAnswer(answers[0]))
    const higherEta = await workload.create({ variant: 'scalar', params: { ...params, eta: 1 }, seed: 5 })
    expect(digestAnswer(await higherEta.answer())).not.toBe(digestAnswer(answers[0]))
  })

  it('refuses an unknown variant', () => {
    expect(() => workload.create({ variant: 'gpu', params, seed: 1 })).toThrow(/unknown variant gpu/)
  })
})
