/**
 * The optimized VaR: the portfolio as flat Float64Arrays, one pooled shock and one pooled return buffer
 * reused by every path, losses written in place into a preallocated Float64Array, and the two quantiles
 * found by quickselect (O(n)) instead of a full sort.
 */
import { createRng } from '../data/prng.js'
import type { Portfolio } from './portfolio.js'
import { PATHS_PER_CHUNK, type VarEstimate, roundCents, tailCount } from './risk.js'

/** The portfolio as the optimized kernel reads it, plus its scratch buffers. */
export interface FlatModel {
  n: number
  values: Float64Array
  /** Row-major n×n lower-triangular Cholesky factor. */
  cholesky: Float64Array
  shocks: Float64Array
  cumulative: Float64Array
}

export function flattenPortfolio(portfolio: Portfolio): FlatModel {
  const n = portfolio.assets
  const cholesky = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) cholesky[i * n + j] = portfolio.cholesky[i]![j]!
  return { n, values: Float64Array.from(portfolio.values), cholesky, shocks: new Float64Array(n), cumulative: new Float64Array(n) }
}

/**
 * Writes the losses of the paths in chunks [chunkFrom, chunkTo) into `losses` at their path index. The
 * arithmetic is in the naive variant's order (row sums from j = 0, P&L summed from asset 0), so each path's
 * loss is bit-for-bit the same in both variants.
 */
export function simulateChunksInto(
  seed: number,
  model: FlatModel,
  paths: number,
  horizonDays: number,
  chunkFrom: number,
  chunkTo: number,
  losses: Float64Array,
): void {
  const { n, values, cholesky, shocks, cumulative } = model
  for (let c = chunkFrom; c < chunkTo; c++) {
    const rng = createRng(seed).fork(c)
    const end = Math.min(paths, (c + 1) * PATHS_PER_CHUNK)
    for (let p = c * PATHS_PER_CHUNK; p < end; p++) {
      cumulative.fill(0)
      for (let d = 0; d < horizonDays; d++) {
        for (let i = 0; i < n; i++) shocks[i] = rng.normal()
        for (let i = 0; i < n; i++) {
          let s = 0
          const row = i * n
          for (let j = 0; j <= i; j++) s += cholesky[row + j]! * shocks[j]!
          cumulative[i] = cumulative[i]! + s
        }
      }
      let pnl = 0
      for (let i = 0; i < n; i++) pnl += values[i]! * (Math.exp(cumulative[i]!) - 1)
      losses[p] = -pnl
    }
  }
}

/** Rearranges a[lo..hi] so that a[k] holds the value it would have sorted, smaller ones before, larger after. */
export function quickselect(a: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    // Median of three as the pivot: sorted or constant inputs stay O(n).
    const mid = lo + ((hi - lo) >> 1)
    if (a[mid]! < a[lo]!) swap(a, mid, lo)
    if (a[hi]! < a[lo]!) swap(a, hi, lo)
    if (a[hi]! < a[mid]!) swap(a, hi, mid)
    const pivot = a[mid]!
    let i = lo
    let j = hi
    while (i <= j) {
      while (a[i]! < pivot) i++
      while (a[j]! > pivot) j--
      if (i <= j) {
        swap(a, i, j)
        i++
        j--
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!
  a[i] = a[j]!
  a[j] = t
}

function tailMean(a: Float64Array, from: number, to: number): number {
  let s = 0
  for (let i = from; i < to; i++) s += a[i]!
  return s / (to - from)
}

/** VaR and CVaR at 95% and 99%; reorders `losses` in place. */
export function riskFromLossesInPlace(losses: Float64Array): VarEstimate {
  const n = losses.length
  const k95 = n - tailCount(n, 95)
  const k99 = n - tailCount(n, 99)
  quickselect(losses, k95, 0, n - 1)
  const var95 = losses[k95]!
  const cvar95 = tailMean(losses, k95, n)
  // The 99% tail lies inside the 95% one, so the second selection only looks there.
  quickselect(losses, k99, k95, n - 1)
  const var99 = losses[k99]!
  const cvar99 = tailMean(losses, k99, n)
  return { paths: n, var95: roundCents(var95), cvar95: roundCents(cvar95), var99: roundCents(var99), cvar99: roundCents(cvar99) }
}
