import { describe, expect, it } from 'vitest'
import { type ParamValues, workloadDescriptorSchema } from '../../../core/model/workload.js'
import { ASK, generateBookScript } from '../../../workloads/data/book-events.js'
import { digestAnswer } from '../../../workloads/data/digest.js'
import { createRng } from '../../../workloads/data/prng.js'
import type { BookSide, L2Book } from '../../../workloads/orderbook/book.js'
import { type OrderbookAnswer, descriptor, workload } from '../../../workloads/orderbook/index.js'
import { HeapBook } from '../../../workloads/orderbook/naive.js'
import { SortedBook, SortedLevels } from '../../../workloads/orderbook/optimized.js'
import { SAMPLE_EVERY, createReplay } from '../../../workloads/orderbook/replay.js'
import { createComponentCollector } from '../../../workloads/harness/components.js'

function params(overrides: ParamValues = {}): ParamValues {
  const out: ParamValues = {}
  for (const [name, spec] of Object.entries(descriptor.params)) out[name] = spec.default
  return { ...out, ...overrides }
}

async function answerOf(variant: string, seed: number, overrides: ParamValues): Promise<OrderbookAnswer> {
  const inst = await workload.create({ variant, params: params(overrides), seed })
  return (await inst.answer()) as OrderbookAnswer
}

/** The obvious book: a Map per side, sorted from scratch whenever it is read. */
class ReferenceBook {
  readonly sides = { bid: new Map<number, number>(), ask: new Map<number, number>() }

  apply(side: BookSide, price: number, size: number): void {
    if (size === 0) this.sides[side].delete(price)
    else this.sides[side].set(price, size)
  }

  sorted(side: BookSide): Array<[number, number]> {
    return [...this.sides[side].entries()].sort((a, b) => (side === 'bid' ? b[0] - a[0] : a[0] - b[0]))
  }

  best(side: BookSide): number {
    const prices = [...this.sides[side].keys()]
    if (prices.length === 0) return Number.NaN
    return side === 'bid' ? Math.max(...prices) : Math.min(...prices)
  }

  walk(side: BookSide, qty: number): { avgPrice: number; filled: number; unfilled: number } {
    let filled = 0
    let cost = 0
    for (const [price, size] of this.sorted(side)) {
      if (filled === qty) break
      const take = Math.min(size, qty - filled)
      filled += take
      cost += take * price
    }
    return { avgPrice: filled === 0 ? 0 : cost / filled, filled, unfilled: qty - filled }
  }
}

const books: Array<[string, () => L2Book]> = [
  ['naive heap', () => new HeapBook()],
  ['sorted arrays', () => new SortedBook()],
]

describe.each(books)('%s book against a brute-force reference', (_name, makeBook) => {
  it('tracks best bid/ask and walks exactly like the reference over a generated stream', () => {
    const script = generateBookScript(11, { levels: 60, events: 4000 })
    const book = makeBook()
    const ref = new ReferenceBook()
    for (const [side, initial] of [
      ['bid', script.initialBids],
      ['ask', script.initialAsks],
    ] as const) {
      for (const [p, s] of initial) {
        book.applyUpdate(side, p, s)
        ref.apply(side, p, s)
      }
    }
    const rng = createRng(3)
    for (let i = 0; i < script.length; i++) {
      const side: BookSide = script.sides[i] === ASK ? 'ask' : 'bid'
      book.applyUpdate(side, script.prices[i]!, script.sizes[i]!)
      ref.apply(side, script.prices[i]!, script.sizes[i]!)
      expect(book.bestBid()).toBe(ref.best('bid'))
      expect(book.bestAsk()).toBe(ref.best('ask'))
      if (i % 17 === 0) {
        const walkSide: BookSide = rng.next() < 0.5 ? 'bid' : 'ask'
        // Up to twice the side's total size, so some walks run out of levels.
        const total = [...ref.sides[walkSide].values()].reduce((a, b) => a + b, 0)
        const qty = rng.int(1, 2 * total)
        const got = book.walkBook(walkSide, qty)
        const want = ref.walk(walkSide, qty)
        expect(got.filled).toBe(want.filled)
        expect(got.unfilled).toBe(want.unfilled)
        expect(got.avgPrice).toBeCloseTo(want.avgPrice, 9)
      }
    }
    expect(book.levels('bid')).toEqual(ref.sorted('bid'))
    expect(book.levels('ask')).toEqual(ref.sorted('ask'))
  })

  it('handles arbitrary updates: absent deletes, re-inserts, growth past the initial capacity, empty sides', () => {
    const book = makeBook()
    const ref = new ReferenceBook()
    expect(book.bestBid()).toBeNaN()
    expect(book.walkBook('ask', 10)).toEqual({ avgPrice: 0, filled: 0, unfilled: 10 })
    const rng = createRng(8)
    for (let i = 0; i < 6000; i++) {
      const side: BookSide = rng.next() < 0.5 ? 'bid' : 'ask'
      // A narrow price range forces collisions; sizes of 0 a third of the time force deletes (often of absent levels).
      const price = rng.int(1, i < 3000 ? 800 : 40)
      const size = rng.next() < 0.33 ? 0 : rng.int(1, 100)
      book.applyUpdate(side, price, size)
      ref.apply(side, price, size)
      expect(book.bestBid()).toBe(ref.best('bid'))
      expect(book.bestAsk()).toBe(ref.best('ask'))
      expect(book.depth(side)).toBe(ref.sides[side].size)
    }
    expect(book.levels('bid')).toEqual(ref.sorted('bid'))
    expect(book.walkBook('bid', 250)).toEqual(ref.walk('bid', 250))
  })

  it('walks a hand-made book', () => {
    const book = makeBook()
    book.applyUpdate('ask', 101, 5)
    book.applyUpdate('ask', 103, 10)
    book.applyUpdate('ask', 102, 3)
    book.applyUpdate('bid', 99, 4)
    // 5 @ 101 + 3 @ 102 + 2 @ 103 = 505 + 306 + 206 = 1017 for 10 lots.
    expect(book.walkBook('ask', 10)).toEqual({ avgPrice: 101.7, filled: 10, unfilled: 0 })
    expect(book.walkBook('bid', 6)).toEqual({ avgPrice: 99, filled: 4, unfilled: 2 })
    book.applyUpdate('ask', 101, 0)
    expect(book.bestAsk()).toBe(102)
    expect(book.walkBook('ask', 3)).toEqual({ avgPrice: 102, filled: 3, unfilled: 0 })
  })
})

describe('sorted levels', () => {
  it('finds the lower bound by galloping from the top, for every key and gap', () => {
    const levels = new SortedLevels(1, 4)
    const prices = [3, 7, 8, 20, 21, 22, 40, 41, 90, 91, 92, 93, 150]
    for (const p of prices) levels.setLevel(p, 1)
    for (let key = 0; key <= 160; key++) {
      const linear = prices.findIndex((p) => p >= key)
      expect(levels.lowerBound(key), `key ${key}`).toBe(linear === -1 ? prices.length : linear)
    }
  })
})

describe('book script', () => {
  it.each([
    [100, 5],
    [10, 6],
    [4, 7],
  ])('never crosses, stays near the target depth, and ends where it started (%i levels)', (levels, seed) => {
    const script = generateBookScript(seed, { levels, events: 20_000 })
    const ref = new ReferenceBook()
    for (const [p, s] of script.initialBids) ref.apply('bid', p, s)
    for (const [p, s] of script.initialAsks) ref.apply('ask', p, s)
    expect(ref.sides.bid.size).toBe(levels)
    for (let i = 0; i < script.length; i++) {
      ref.apply(script.sides[i] === ASK ? 'ask' : 'bid', script.prices[i]!, script.sizes[i]!)
      // The closing updates are checked one by one: that is where a side could empty or cross.
      if (i % 50 === 0 || i >= script.closingFrom) {
        // An empty side's best is NaN, which fails this comparison too.
        expect(ref.best('bid')).toBeLessThan(ref.best('ask'))
        if (i < script.closingFrom) {
          expect(ref.sides.bid.size).toBeGreaterThanOrEqual(Math.max(2, Math.floor(levels * 0.9)))
          expect(ref.sides.ask.size).toBeLessThanOrEqual(Math.ceil(levels * 1.1) + 1)
        }
      }
    }
    expect(ref.sorted('bid')).toEqual(script.initialBids)
    expect(ref.sorted('ask')).toEqual(script.initialAsks)
  })
})

describe('orderbook workload', () => {
  const small = { levels: 80, walkEvery: 7, walkQty: 3000 }

  it('has a valid descriptor whose default variant is the naive one', () => {
    expect(() => workloadDescriptorSchema.parse(descriptor)).not.toThrow()
    expect(descriptor.variants.find((v) => v.id === descriptor.defaultVariant)?.role).toBe('naive')
  })

  it('gives the same answer from both variants for several seeds, and another for another seed', async () => {
    const digests: string[] = []
    for (const seed of [1, 2, 3]) {
      const naive = await answerOf('naive', seed, small)
      expect(naive.restored).toBe(true)
      expect(naive.walks).toBe(Math.floor(naive.updates / 7))
      expect(digestAnswer(await answerOf('optimized', seed, small)), `seed ${seed}`).toBe(digestAnswer(naive))
      digests.push(digestAnswer(naive))
    }
    expect(new Set(digests).size).toBe(3)
  })

  it('iterates every variant through a wrap of the stream and answers the same afterwards', async () => {
    for (const v of descriptor.variants) {
      const inst = await workload.create({ variant: v.id, params: params({ ...small, updatesPerIteration: 20_000 }), seed: 4 })
      expect(inst.opsPerIteration).toBe(20_000)
      const before = digestAnswer(await inst.answer())
      for (let i = 0; i < 3; i++) await inst.iterate()
      expect(digestAnswer(await inst.answer()), v.id).toBe(before)
    }
    await expect(Promise.resolve().then(() => workload.create({ variant: 'nope', params: params(small), seed: 1 }))).rejects.toThrow(
      /unknown variant/,
    )
  })
})

describe('orderbook components', () => {
  const options = { updatesPerIteration: 997, walkEvery: 7, walkQty: 3000 }
  const iterations = 40

  it.each(['naive', 'optimized'] as const)('%s: timing a sample leaves the replay where the untimed one ends', (variant) => {
    const script = generateBookScript(5, { levels: 80, events: 6000 })
    const collector = createComponentCollector(0)
    const timed = createReplay(variant, script, { ...options, components: collector })
    const plain = createReplay(variant, script, options)
    collector.setActive(true)
    for (let i = 0; i < iterations; i++) {
      timed.iterate()
      plain.iterate()
    }
    const { untilTimedUpdate: _t, ...timedState } = timed.state
    const { untilTimedUpdate: _p, ...plainState } = plain.state
    expect(timedState).toEqual(plainState)
    // Exactly the sampled operations were timed: the k-th update for every multiple k of the period, and
    // walks 0, p, 2p, … (updates and walks run on across iterations, so samples do not restart with each one).
    const updates = iterations * options.updatesPerIteration
    const walks = Math.floor(updates / options.walkEvery)
    const every = SAMPLE_EVERY[variant]
    const byId = new Map(collector.summarize().map((c) => [c.id, c]))
    expect([...byId.keys()].sort()).toEqual(['update', 'walk'])
    expect(byId.get('update')!.calls).toBe(Math.floor(updates / every.update))
    expect(byId.get('walk')!.calls).toBe(Math.ceil(walks / every.walk))
    for (const c of byId.values()) {
      expect(c.batched).toBe(false)
      expect(Number.isFinite(c.latencyNs.p50) && Number.isFinite(c.latencyNs.p99)).toBe(true)
      expect(c.totalNs).toBeGreaterThan(0)
    }
  })

  it('times nothing while the recorder is off', () => {
    const script = generateBookScript(5, { levels: 80, events: 6000 })
    const collector = createComponentCollector(0)
    const replay = createReplay('optimized', script, { ...options, components: collector })
    for (let i = 0; i < 5; i++) replay.iterate()
    expect(collector.summarize()).toEqual([])
  })

  it('lists its components with budgets in the descriptor', () => {
    expect(descriptor.components?.map((c) => c.id)).toEqual(['update', 'walk'])
    for (const c of descriptor.components ?? []) expect(c.budgetNs).toBeGreaterThan(0)
  })
})
