import { describe, expect, it } from 'vitest'
import { workloadDescriptorSchema } from '../../../core/model/workload.js'
import { digestAnswer } from '../../../workloads/data/digest.js'
import { createRng } from '../../../workloads/data/prng.js'
import { ASK, BID, generateUpdateStream } from '../../../workloads/orderbook-next/generate.js'
import { createBook, descriptor, replayAnswer, workload } from '../../../workloads/orderbook-next/index.js'

const params = { levels: 40, updatesPerIteration: 500, walkEvery: 7, walkQty: 3000 }

/** Brute force: one plain array of [price, size] per side, sorted best first on every question. */
class BruteBook {
  readonly sides = [new Map<number, number>(), new Map<number, number>()]
  constructor(bids: Array<[number, number]>, asks: Array<[number, number]>) {
    for (const [p, s] of bids) this.sides[BID]!.set(p, s)
    for (const [p, s] of asks) this.sides[ASK]!.set(p, s)
  }
  update(side: number, price: number, size: number): void {
    if (size === 0) this.sides[side]!.delete(price)
    else this.sides[side]!.set(price, size)
  }
  levels(side: number): Array<[number, number]> {
    return [...this.sides[side]!].sort((a, b) => (side === BID ? b[0] - a[0] : a[0] - b[0]))
  }
  walk(side: number, qty: number): { avgPrice: number; filled: number; unfilled: number } {
    let filled = 0
    let notional = 0
    for (const [p, s] of this.levels(side)) {
      const take = Math.min(s, qty - filled)
      filled += take
      notional += take * p
      if (filled === qty) break
    }
    return { avgPrice: filled > 0 ? notional / filled : 0, filled, unfilled: qty - filled }
  }
}

describe('orderbook update stream', () => {
  it('never crosses the book and ends on the initial book', () => {
    const s = generateUpdateStream(3, 30, 5000)
    const brute = new BruteBook(s.initialBids, s.initialAsks)
    let deletions = 0
    for (let i = 0; i < s.length; i++) {
      brute.update(s.sides[i]!, s.prices[i]!, s.sizes[i]!)
      if (s.sizes[i] === 0) deletions++
      expect(brute.levels(BID)[0]![0]).toBeLessThan(brute.levels(ASK)[0]![0])
    }
    expect(brute.levels(BID)).toEqual(s.initialBids)
    expect(brute.levels(ASK)).toEqual(s.initialAsks)
    expect(deletions / s.length).toBeGreaterThan(0.05)
    expect(deletions / s.length).toBeLessThan(0.4)
  })
})

describe.each(['naive', 'sorted'])('%s book', (variant) => {
  it('matches a brute-force book on best bid/ask, depth and walks after every update', () => {
    const s = generateUpdateStream(11, 25, 3000)
    const book = createBook(variant, s)
    const brute = new BruteBook(s.initialBids, s.initialAsks)
    const rng = createRng(99)
    for (let i = 0; i < s.length; i++) {
      book.update(s.sides[i] as 0 | 1, s.prices[i]!, s.sizes[i]!)
      brute.update(s.sides[i]!, s.prices[i]!, s.sizes[i]!)
      expect(book.bestBid()).toBe(brute.levels(BID)[0]![0])
      expect(book.bestAsk()).toBe(brute.levels(ASK)[0]![0])
      if (i % 13 === 0) {
        expect(book.levelCount(BID)).toBe(brute.sides[BID]!.size)
        const side = rng.next() < 0.5 ? BID : ASK
        // Quantities from a single lot up to more than the whole side holds (unfilled > 0).
        const qty = rng.int(1, 20_000)
        expect(book.walkBook(side, qty)).toEqual(brute.walk(side, qty))
      }
    }
  })

  it('handles deleting absent levels, emptying a side and walking an empty side', () => {
    const book = createBook(variant, {
      initialBids: [[100, 5]],
      initialAsks: [[101, 7]],
      sides: new Uint8Array(),
      prices: new Int32Array(),
      sizes: new Int32Array(),
      length: 0,
    })
    book.update(BID, 50, 0)
    expect(book.levelCount(BID)).toBe(1)
    book.update(BID, 99, 10)
    expect(book.walkBook(BID, 8)).toEqual({ avgPrice: (5 * 100 + 3 * 99) / 8, filled: 8, unfilled: 0 })
    book.update(BID, 100, 0)
    book.update(BID, 99, 0)
    expect(book.bestBid()).toBeNaN()
    expect(book.walkBook(BID, 4)).toEqual({ avgPrice: 0, filled: 0, unfilled: 4 })
    expect(book.walkBook(ASK, 10)).toEqual({ avgPrice: 101, filled: 7, unfilled: 3 })
  })
})

describe('orderbook workload', () => {
  it('has a valid descriptor with the naive variant as default', () => {
    expect(workloadDescriptorSchema.parse(descriptor)).toEqual(descriptor)
    expect(descriptor.variants.find((v) => v.id === descriptor.defaultVariant)?.role).toBe('naive')
  })

  it('gives the same answer in both variants, whatever ran before, and a different one for another seed', async () => {
    for (const seed of [1, 2, 3]) {
      const digests = new Set<string>()
      for (const variant of ['naive', 'sorted']) {
        const instance = await workload.create({ variant, params, seed })
        expect(instance.opsPerIteration).toBe(500)
        for (let i = 0; i < 50; i++) await instance.iterate()
        digests.add(digestAnswer(await instance.answer()))
      }
      expect(digests.size).toBe(1)
    }
    const s1 = generateUpdateStream(1, 40, 20_000)
    const s2 = generateUpdateStream(2, 40, 20_000)
    expect(digestAnswer(replayAnswer('sorted', s1, 3000))).not.toBe(digestAnswer(replayAnswer('sorted', s2, 3000)))
  })

  it('refuses an unknown variant', () => {
    expect(() => workload.create({ variant: 'psychic', params, seed: 1 })).toThrow(/unknown variant psychic/)
  })
})
