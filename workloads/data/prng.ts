/**
 * The one seeded PRNG of Hotpath's data generators: xoshiro128** seeded through splitmix32.
 * 32-bit state words keep it fast in JavaScript (no BigInt). Same seed, same stream, on every runtime.
 * Reference: Blackman & Vigna, "Scrambled linear pseudorandom number generators" (2018).
 */

export interface Rng {
  /** Next unsigned 32-bit integer. */
  nextU32(): number
  /** Uniform in [0, 1) with 32 bits of randomness. */
  next(): number
  /** Uniform integer in [min, max] inclusive. */
  int(min: number, max: number): number
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number
  /** Standard normal N(0, 1) (Marsaglia polar method, cached pair). */
  normal(): number
  /** Picks one element. */
  pick<T>(items: readonly T[]): T
  /** An independent stream derived from this one (for workers: `rng.fork(workerIndex)`). */
  fork(stream: number): Rng
}

/** splitmix32: expands a seed into well-mixed state words. */
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

export function createRng(seed: number): Rng {
  const sm = splitmix32(seed)
  let a = sm()
  let b = sm()
  let c = sm()
  let d = sm()
  if ((a | b | c | d) === 0) a = 1
  let spare = 0
  let hasSpare = false

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

  const rng: Rng = {
    nextU32,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    uniform: (min, max) => min + next() * (max - min),
    normal: () => {
      if (hasSpare) {
        hasSpare = false
        return spare
      }
      let u: number
      let v: number
      let s: number
      do {
        u = next() * 2 - 1
        v = next() * 2 - 1
        s = u * u + v * v
      } while (s >= 1 || s === 0)
      const m = Math.sqrt((-2 * Math.log(s)) / s)
      spare = v * m
      hasSpare = true
      return u * m
    },
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list')
      return items[Math.floor(next() * items.length)] as (typeof items)[number]
    },
    fork: (stream) => createRng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca77)) >>> 0),
  }
  return rng
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}
