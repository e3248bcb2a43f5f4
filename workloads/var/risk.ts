/**
 * Definitions shared by both VaR variants: how paths are cut into PRNG chunks (so the losses do not depend
 * on how many threads simulate them), which order statistic is the VaR, and the answer's shape.
 */

/** Paths per PRNG stream: chunk c uses `createRng(seed).fork(c)`, whichever thread simulates it. */
export const PATHS_PER_CHUNK = 1024

/** Confidence levels reported, in percent. */
export const CONFIDENCE_LEVELS = [95, 99] as const

export function chunkCount(paths: number): number {
  return Math.ceil(paths / PATHS_PER_CHUNK)
}

/**
 * Number of worst losses in the tail at `level` percent: ⌈n·(100 − level)/100⌉, in integer arithmetic so
 * that 10,000 paths give exactly 500 at 95% (0.05 · 10000 in floating point is 500.0000000000001).
 */
export function tailCount(paths: number, level: number): number {
  return Math.max(1, Math.ceil((paths * (100 - level)) / 100))
}

/**
 * The estimate. With the losses sorted ascending and m = tailCount: VaR is the smallest of the m worst
 * losses (index n − m), CVaR (expected shortfall) their mean. Currency units, rounded to cents.
 */
export interface VarEstimate {
  paths: number
  var95: number
  cvar95: number
  var99: number
  cvar99: number
}

export function roundCents(x: number): number {
  return Math.round(x * 100) / 100
}
