/**
 * Runs one variant over a range of symbols: the piece both the calling thread (workers = 1) and each
 * worker thread (workers > 1) execute, so the split cannot change what a symbol's summary is.
 */
import type { BarColumns } from '../data/bars.js'
import type { SymbolSummary } from './indicators.js'
import { type DailyBar, barsToRows, computeIndicatorsNaive, summarizeIndicatorsNaive } from './naive.js'
import { computeSummariesOptimized, createIndicatorColumns } from './optimized.js'

export const MARKET_DATA_VARIANTS = ['naive', 'optimized'] as const
export type MarketDataVariant = (typeof MARKET_DATA_VARIANTS)[number]

/** Computes the summaries of a fixed range of symbols, as many times as asked. */
export interface MarketDataEngine {
  computeSummaries(): SymbolSummary[]
}

export function isMarketDataVariant(v: string): v is MarketDataVariant {
  return (MARKET_DATA_VARIANTS as readonly string[]).includes(v)
}

function computeSummariesNaive(tickers: string[], rowsBySymbol: DailyBar[][]): SymbolSummary[] {
  return rowsBySymbol.map((rows, k) => summarizeIndicatorsNaive(tickers[k]!, computeIndicatorsNaive(rows)))
}

/** Prepares the variant's input for symbols [from, to): row objects for naive, a pooled output for optimized. */
export function createMarketDataEngine(variant: MarketDataVariant, bars: BarColumns, from: number, to: number): MarketDataEngine {
  if (variant === 'naive') {
    const rowsBySymbol: DailyBar[][] = []
    for (let s = from; s < to; s++) rowsBySymbol.push(barsToRows(bars, s))
    const tickers = bars.tickers.slice(from, to)
    return { computeSummaries: () => computeSummariesNaive(tickers, rowsBySymbol) }
  }
  const pool = createIndicatorColumns(bars.days)
  return { computeSummaries: () => computeSummariesOptimized(bars, from, to, pool) }
}
