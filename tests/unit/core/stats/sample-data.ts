/**
 * Deterministic latency samples for the statistics tests: normal and log-normal draws from the
 * seeded stats PRNG, so every test sees the same numbers on every machine.
 */
import { createStatsRng } from '../../../../core/stats/rng.js'

/** Standard normal draws (Box–Muller) from a seed. */
export function standardNormals(n: number, seed: number): number[] {
  const rng = createStatsRng(seed)
  const out: number[] = []
  while (out.length < n) {
    const u = 1 - rng.next()
    const v = rng.next()
    const r = Math.sqrt(-2 * Math.log(u))
    out.push(r * Math.cos(2 * Math.PI * v))
    if (out.length < n) out.push(r * Math.sin(2 * Math.PI * v))
  }
  return out
}

/** Normal latencies around `mean` with coefficient of variation `cv`, rounded to whole ns (as the harness records). */
export function normalSamples(n: number, mean: number, cv: number, seed: number): number[] {
  return standardNormals(n, seed).map((z) => Math.max(1, Math.round(mean * (1 + cv * z))))
}

/** Right-skewed latencies: median `median`, log-scale spread `sigma` (log-normal). */
export function logNormalSamples(n: number, median: number, sigma: number, seed: number): number[] {
  return standardNormals(n, seed).map((z) => median * Math.exp(sigma * z))
}
