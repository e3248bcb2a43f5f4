import { describe, expect, it } from 'vitest'
import { workloadDescriptorSchema } from '../../../core/model/workload.js'
import { digestAnswer } from '../../../workloads/data/digest.js'
import { type Order, REASONS, generateOrderFlow } from '../../../workloads/order-validation-next/flow.js'
import { createOrderValidation, createValidator, descriptor, validateStream, workload } from '../../../workloads/order-validation-next/index.js'

const params = { symbols: 60, accounts: 8, orders: 3000, rejectRate: 0.1 }
const VARIANTS = ['linear', 'indexed'] as const

describe('order-validation flow', () => {
  it('plants violations of every rule, and each variant rejects exactly the planted orders for their planted reason', () => {
    const flow = generateOrderFlow(11, params.symbols, params.accounts, params.orders, params.rejectRate)
    const counts = Object.fromEntries(REASONS.map((r) => [r, flow.planted.filter((p) => p.reason === r).length]))
    for (const r of REASONS) expect(counts[r], r).toBeGreaterThan(10)
    const expected = flow.planted.map((p) => ({ index: p.index, reasons: [p.reason] }))
    for (const variant of VARIANTS) {
      const validator = createValidator(variant, flow.universe)
      validator.reset()
      const rejected = flow.orders.flatMap((order, index) => {
        const reasons = validator.validate(order)
        return reasons.length > 0 ? [{ index, reasons: [...reasons] }] : []
      })
      expect(rejected, variant).toEqual(expected)
    }
  })

  it('accepts a clean order, fills it, then rejects the same order once it would break the position limit', () => {
    const flow = generateOrderFlow(3, 20, 2, 100, 0)
    const { universe } = flow
    const symbol = universe.symbols.find((s) => !universe.restricted.includes(s.ticker))!
    const account = universe.accounts[0]!
    const start = universe.positions.find((p) => p.account === account.id && p.symbol === symbol.ticker)?.qty ?? 0
    // The largest buy that passes the notional and fat-finger checks at the reference price.
    const qty = Math.min(Math.floor(account.maxNotionalCents / symbol.refPriceCents), Math.floor(symbol.adv * 0.01))
    const order: Order = { account: account.id, symbol: symbol.ticker, side: 'buy', qty, priceCents: symbol.refPriceCents }
    for (const variant of VARIANTS) {
      const validator = createValidator(variant, universe)
      let position = start
      // Buy until the next fill would pass the limit: every earlier order passes, that one is refused.
      while (position + qty <= account.positionLimit) {
        expect(validator.validate(order), variant).toEqual([])
        position += qty
      }
      expect(validator.validate(order), variant).toEqual(['position'])
      expect(validator.positions().find((p) => p[0] === account.id && p[1] === symbol.ticker)?.[2]).toBe(position)
      validator.reset()
      expect(validator.positions().find((p) => p[0] === account.id && p[1] === symbol.ticker)?.[2]).toBe(start === 0 ? undefined : start)
      // 50% over the reference breaks every band (3-10%); at that price the notional cap breaks too.
      const rich = Math.round(symbol.refPriceCents * 1.5)
      expect(validator.validate({ ...order, priceCents: rich })).toEqual([
        'price-band',
        ...(qty * rich > account.maxNotionalCents ? ['notional'] : []),
        ...(Math.abs(start + qty) > account.positionLimit ? ['position'] : []),
      ])
    }
  })
})

describe('order-validation workload', () => {
  it('has a valid descriptor whose default variant is the naive one', () => {
    expect(workloadDescriptorSchema.parse(descriptor)).toEqual(descriptor)
    expect(workload.descriptor).toBe(descriptor)
    expect(descriptor.variants.find((v) => v.id === descriptor.defaultVariant)?.role).toBe('naive')
  })

  it('gives the same answer in both variants on several seeds, and a different one on another seed', async () => {
    const digests: string[] = []
    for (const seed of [1, 2, 3]) {
      const [linear, indexed] = await Promise.all(VARIANTS.map((variant) => workload.create({ variant, params, seed })))
      const a = await linear!.answer()
      expect(await indexed!.answer()).toEqual(a)
      digests.push(digestAnswer(a))
    }
    expect(new Set(digests).size).toBe(3)
  })

  it('answers with the planted counts and lists rejections in stream order', () => {
    const instance = createOrderValidation({ variant: 'indexed', params, seed: 5 })
    const answer = validateStream(createValidator('indexed', instance.flow.universe), instance.flow.orders)
    expect(answer.rejected).toBe(instance.flow.planted.length)
    expect(answer.accepted + answer.rejected).toBe(params.orders)
    for (const r of REASONS) expect(answer.byReason[r]).toBe(instance.flow.planted.filter((p) => p.reason === r).length)
    expect(answer.firstRejections).toEqual(instance.flow.planted.slice(0, 100).map((p) => ({ index: p.index, reasons: [p.reason] })))
  })

  it('iterates over and past the end of the stream without changing the answer', () => {
    for (const variant of VARIANTS) {
      const instance = createOrderValidation({ variant, params: { ...params, orders: 1500 }, seed: 9 })
      const before = instance.answer()
      for (let i = 0; i < 4; i++) instance.iterate()
      // 4000 orders over a 1500-order stream: two replays from the start, each accepting the same orders.
      const acceptedPerPass = (before as { accepted: number }).accepted
      const firstThousand = validateStream(createValidator(variant, instance.flow.universe), instance.flow.orders.slice(0, 1000)).accepted
      expect(instance.acceptedSoFar()).toBe(2 * acceptedPerPass + firstThousand)
      expect(instance.answer()).toEqual(before)
    }
  })

  it('refuses an unknown variant', () => {
    expect(() => workload.create({ variant: 'psychic', params, seed: 1 })).toThrow(/unknown variant psychic/)
  })
})
