/**
 * A small seeded PRNG for the statistics code (bootstrap resampling): xoshiro128** seeded through
 * splitmix32, so a fixed seed gives the same confidence intervals on every runtime. It is also the raw
 * stream of the workloads' data generators (workloads/data/prng.ts builds on it). Blackman & Vigna, "Scrambled linear pseudorandom
 * number generators" (2018).
 */

/** A deterministic stream of uniform numbers. */
export interface StatsRng {
  /** Next unsigned 32-bit integer. */
  nextU32(): number
  /** Uniform in [0, 1) with 32 bits of randomness. */
  next(): number
  /** Uniform integer in [0, n), for n up to 2^32. The bias of scaling is below n / 2^32 (irrelevant for n ≤ 10,000). */
  below(n: number): number
  /** Fills `out` with uniform integers in [0, n): the same stream as repeated `below(n)`, several times faster. */
  fillBelow(out: Uint32Array, n: number): void
}

/** splitmix32: spreads a seed over well-mixed 32-bit state words. */
export function splitmix32(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}

/** Creates a xoshiro128** stream from a 32-bit seed (non-integers and negatives are folded into 32 bits). */
export function createStatsRng(seed: number): StatsRng {
  const sm = splitmix32(Math.trunc(seed))
  let a = sm()
  let b = sm()
  let c = sm()
  let d = sm()
  // The all-zero state is the one fixed point of xoshiro; splitmix never yields it, but be safe.
  if ((a | b | c | d) === 0) a = 1
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0
    const t = (b << 9) >>> 0
    c ^= a
    d ^= b
    b ^= c
    a ^= d
    c ^= t
    d = rotl(d, 11)
    return result
  }
  const next = (): number => nextU32() / 4294967296
  const fillBelow = (out: Uint32Array, n: number): void => {
    let A = a
    let B = b
    let C = c
    let D = d
    for (let i = 0; i < out.length; i++) {
      const m = Math.imul(B, 5)
      const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0
      const t = B << 9
      C ^= A
      D ^= B
      B ^= C
      A ^= D
      C ^= t
      D = (D << 11) | (D >>> 21)
      out[i] = Math.floor((result / 4294967296) * n)
    }
    a = A >>> 0
    b = B >>> 0
    c = C >>> 0
    d = D >>> 0
  }
  return { nextU32, next, below: (n) => Math.floor(next() * n), fillBelow }
}
