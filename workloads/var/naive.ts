/**
 * The naive VaR: every path allocates its shock, return and P&L arrays, the Cholesky product maps over
 * full rows, losses are collected in a plain array, and the quantiles come from a full sort with a comparator.
 */
import { createRng, type Rng } from '../data/prng.js'
import type { Portfolio } from './portfolio.js'
import { PATHS_PER_CHUNK, type VarEstimate, roundCents, tailCount } from './risk.js'

/** Loss (−P&L) of the portfolio over `horizonDays` days of correlated log returns, revalued in full. */
export function simulatePathLossNaive(rng: Rng, portfolio: Portfolio, horizonDays: number): number {
  let cumulative = portfolio.values.map(() => 0)
  for (let d = 0; d < horizonDays; d++) {
    const shocks = portfolio.values.map(() => rng.normal())
    const returns = portfolio.cholesky.map((row) => row.reduce((s, l, j) => s + l * shocks[j]!, 0))
    cumulative = cumulative.map((c, i) => c + returns[i]!)
  }
  const pnl = portfolio.values.map((v, i) => v * (Math.exp(cumulative[i]!) - 1))
  return -pnl.reduce((a, b) => a + b, 0)
}

/** Losses of the paths in chunks [chunkFrom, chunkTo), in path order. */
export function simulateChunksNaive(
  seed: number,
  portfolio: Portfolio,
  paths: number,
  horizonDays: number,
  chunkFrom: number,
  chunkTo: number,
): number[] {
  const losses: number[] = []
  for (let c = chunkFrom; c < chunkTo; c++) {
    const rng = createRng(seed).fork(c)
    const end = Math.min(paths, (c + 1) * PATHS_PER_CHUNK)
    for (let p = c * PATHS_PER_CHUNK; p < end; p++) losses.push(simulatePathLossNaive(rng, portfolio, horizonDays))
  }
  return losses
}

/** VaR and CVaR from a full sorted copy of the losses. */
export function riskFromLossesNaive(losses: number[]): VarEstimate {
  const sorted = [...losses].sort((a, b) => a - b)
  const n = sorted.length
  const at = (level: number): { v: number; cv: number } => {
    const tail = sorted.slice(n - tailCount(n, level))
    return { v: tail[0]!, cv: tail.reduce((a, b) => a + b, 0) / tail.length }
  }
  const r95 = at(95)
  const r99 = at(99)
  return { paths: n, var95: roundCents(r95.v), cvar95: roundCents(r95.cv), var99: roundCents(r99.v), cvar99: roundCents(r99.cv) }
}
