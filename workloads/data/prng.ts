/**
 * The one seeded PRNG of Hotpath's data generators: xoshiro128** seeded through splitmix32 (the stream
 * comes from core/stats/rng.ts, shared with the bootstrap), plus uniform, normal and pick on top.
 * 32-bit state words keep it fast in JavaScript (no BigInt). Same seed, same stream, on every runtime.
 * Reference: Blackman & Vigna, "Scrambled linear pseudorandom number generators" (2018).
 */
import { createStatsRng } from '../../core/stats/rng.js'

export { splitmix32 } from '../../core/stats/rng.js'

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

export function createRng(seed: number): Rng {
  // The raw stream is core's xoshiro128** (the one implementation); this file adds the distributions.
  const { nextU32 } = createStatsRng(seed)
  let spare = 0
  let hasSpare = false

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

