/**
 * What market-data computes, shared by both variants: indicator windows, the per-symbol summary that is
 * the workload's answer, and the rounding that makes summaries from different summation orders equal.
 */

/** Window of the simple moving average and of the Bollinger bands, in bars. */
export const SMA_WINDOW = 20
/** Period of the EMA (α = 2 / (period + 1)); seeded with the SMA of its first window. */
export const EMA_PERIOD = 20
/** Window of the rolling volatility: sample standard deviation of the last 20 daily returns. */
export const VOL_WINDOW = 20
/** Period of Wilder's RSI. */
export const RSI_PERIOD = 14
/** Bollinger band half-width in population standard deviations of the close. */
export const BOLLINGER_WIDTH = 2

/** Indicators reported per symbol, in answer order. */
export const INDICATOR_NAMES = ['ret', 'sma', 'ema', 'vol', 'rsi', 'bbUpper', 'bbLower'] as const
export type IndicatorName = (typeof INDICATOR_NAMES)[number]

/** One symbol's indicators condensed: value on the last bar, mean over the bars where defined, and how many. */
export interface SymbolSummary {
  ticker: string
  bars: number
  /** Value on the last bar; null when the series is too short for the indicator. */
  last: Record<IndicatorName, number | null>
  /** Mean over the bars where the indicator is defined; null when it never is. */
  mean: Record<IndicatorName, number | null>
  /** Bars where the indicator is defined. */
  defined: Record<IndicatorName, number>
}

/**
 * Rounding of summary values, chosen so that the two variants' results (which differ by ~1e-12 from
 * sliding versus recomputed sums) round alike. Price-level indicators keep 6 decimals: an SMA of cent
 * prices is a multiple of 0.0005 exactly, so it never sits on a 6-decimal rounding boundary, whereas
 * significant-digit rounding put such SMAs above 1,000 exactly on a boundary (7 digits = 3 decimals)
 * and split the variants. Unitless indicators (returns, volatility, RSI) keep 7 significant digits.
 */
export const PRICE_DECIMALS = 6
export const UNITLESS_DIGITS = 7

const PRICE_LEVEL: ReadonlySet<IndicatorName> = new Set(['sma', 'ema', 'bbUpper', 'bbLower'])

export function roundIndicator(name: IndicatorName, x: number): number {
  if (PRICE_LEVEL.has(name)) return Math.round(x * 10 ** PRICE_DECIMALS) / 10 ** PRICE_DECIMALS
  return x === 0 ? 0 : Number(x.toPrecision(UNITLESS_DIGITS))
}
