/**
 * Runs one backtest variant over a range of pairs: what the calling thread (workers = 1) and each worker
 * thread (workers > 1) execute, so splitting pairs across threads cannot change a pair's result.
 */
import { backtestPairNaive, pairToRows, type PairBar } from './naive.js'
import { backtestPairOptimized, createBacktestScratch } from './optimized.js'
import type { PairColumns } from './pairs.js'
import type { PairResult, StrategyConfig } from './strategy.js'

export const BACKTEST_VARIANTS = ['naive', 'optimized'] as const
export type BacktestVariant = (typeof BACKTEST_VARIANTS)[number]

export function isBacktestVariant(v: string): v is BacktestVariant {
  return (BACKTEST_VARIANTS as readonly string[]).includes(v)
}

/** Backtests a fixed range of pairs, as many times as asked. */
export interface BacktestEngine {
  runPairs(): PairResult[]
}

/** Prepares the variant's input for pairs [from, to): row objects for naive, pooled scratch for optimized. */
export function createBacktestEngine(
  variant: BacktestVariant,
  cols: PairColumns,
  config: StrategyConfig,
  from: number,
  to: number,
): BacktestEngine {
  if (variant === 'naive') {
    const rowsByPair: PairBar[][] = []
    for (let p = from; p < to; p++) rowsByPair.push(pairToRows(cols, p))
    return { runPairs: () => rowsByPair.map((rows, k) => backtestPairNaive(from + k, rows, config)) }
  }
  const scratch = createBacktestScratch(cols.bars)
  return {
    runPairs(): PairResult[] {
      const results: PairResult[] = []
      for (let p = from; p < to; p++) results.push(backtestPairOptimized(cols, p, config, scratch))
      return results
    },
  }
}
