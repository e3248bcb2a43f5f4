import { describe, expect, it } from 'vitest'
import { createStatsRng } from '../../../../core/stats/rng.js'
import { createRng } from '../../../../workloads/data/prng.js'

describe('createStatsRng', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = createStatsRng(7)
    const b = createStatsRng(7)
    const c = createStatsRng(8)
    const sa = Array.from({ length: 5 }, () => a.nextU32())
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(sa)
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(sa)
  })

  it('is the same xoshiro128** stream as the data generator of workloads/', () => {
    // Two copies of one algorithm (core may not import workloads/): they must not drift apart.
    for (const seed of [0, 1, 42, 0xdeadbeef]) {
      const ours = createStatsRng(seed)
      const theirs = createRng(seed)
      expect(Array.from({ length: 20 }, () => ours.nextU32())).toEqual(Array.from({ length: 20 }, () => theirs.nextU32()))
    }
  })

  it('fillBelow yields exactly the stream of repeated below(n)', () => {
    const a = createStatsRng(123)
    const b = createStatsRng(123)
    const out = new Uint32Array(1000)
    a.fillBelow(out, 37)
    expect(Array.from(out)).toEqual(Array.from({ length: 1000 }, () => b.below(37)))
    // And the streams stay in step afterwards.
    expect(a.nextU32()).toBe(b.nextU32())
  })

  it('draws integers in [0, n) covering every value roughly uniformly', () => {
    const rng = createStatsRng(99)
    const counts = new Array<number>(10).fill(0)
    for (let i = 0; i < 100_000; i++) {
      const k = rng.below(10)
      counts[k] = (counts[k] ?? 0) + 1
    }
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500)
    const u = Array.from({ length: 10_000 }, () => rng.next())
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...u)).toBeLessThan(1)
  })
})
