import { describe, expect, it } from 'vitest'
import { createRng, splitmix32 } from '../../../workloads/data/prng.js'
import { canonicalJson, digestAnswer, fnv1a64 } from '../../../workloads/data/digest.js'

describe('createRng', () => {
  it('reproduces the same stream for the same seed and differs for another', () => {
    const a = createRng(42)
    const b = createRng(42)
    const c = createRng(43)
    const sa = Array.from({ length: 100 }, () => a.nextU32())
    const sb = Array.from({ length: 100 }, () => b.nextU32())
    const sc = Array.from({ length: 100 }, () => c.nextU32())
    expect(sa).toEqual(sb)
    expect(sa).not.toEqual(sc)
  })

  it('matches the xoshiro128** reference for a known state', () => {
    // State words from splitmix32(1); the reference recurrence written out independently below.
    const sm = splitmix32(1)
    let s = [sm(), sm(), sm(), sm()]
    const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0
    const ref = (): number => {
      const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0
      const t = (s[1]! << 9) >>> 0
      const [a, b, c, d] = s as [number, number, number, number]
      const c2 = (c ^ a) >>> 0
      const d2 = (d ^ b) >>> 0
      const b2 = (b ^ c2) >>> 0
      const a2 = (a ^ d2) >>> 0
      s = [a2, b2, (c2 ^ t) >>> 0, rotl(d2, 11)]
      return result
    }
    const rng = createRng(1)
    for (let i = 0; i < 50; i++) expect(rng.nextU32()).toBe(ref())
  })

  it('gives uniform values in [0,1) and normals with mean 0 and variance 1', () => {
    const rng = createRng(7)
    let sum = 0
    let sumSq = 0
    const n = 200_000
    for (let i = 0; i < n; i++) {
      const u = rng.next()
      expect(u).toBeGreaterThanOrEqual(0)
      expect(u).toBeLessThan(1)
      const z = rng.normal()
      sum += z
      sumSq += z * z
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01)
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.02)
  })

  it('keeps int() within bounds, inclusive', () => {
    const rng = createRng(3)
    const seen = new Set<number>()
    for (let i = 0; i < 1000; i++) seen.add(rng.int(2, 5))
    expect([...seen].sort()).toEqual([2, 3, 4, 5])
  })

  it('forks independent, reproducible streams', () => {
    const a = createRng(9).fork(1)
    const b = createRng(9).fork(1)
    const c = createRng(9).fork(2)
    expect(a.nextU32()).toBe(b.nextU32())
    expect(createRng(9).fork(1).nextU32()).not.toBe(c.nextU32())
  })
})

describe('digest', () => {
  it('is independent of key order and sensitive to values', () => {
    expect(digestAnswer({ a: 1, b: [1, 2] })).toBe(digestAnswer({ b: [1, 2], a: 1 }))
    expect(digestAnswer({ a: 1 })).not.toBe(digestAnswer({ a: 2 }))
    expect(canonicalJson({ b: 1, a: { d: 1, c: 2 } })).toBe('{"a":{"c":2,"d":1},"b":1}')
  })

  it('computes FNV-1a 64 test vectors', () => {
    // Published FNV-1a 64-bit vectors (Fowler/Noll/Vo): "" and "a".
    expect(fnv1a64('')).toBe('cbf29ce484222325')
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c')
    expect(fnv1a64('foobar')).toBe('85944171f73967e8')
  })
})
