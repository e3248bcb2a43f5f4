/**
 * The naive market-data variant: each symbol is an array of bar objects, and every indicator value is
 * computed on its own by looking back from its bar: windows are sliced and summed again for every
 * bar, and the EMA and RSI recursions are replayed from the start of the series each time.
 */
import type { BarColumns } from '../data/bars.js'
import {
  BOLLINGER_WIDTH,
  EMA_PERIOD,
  INDICATOR_NAMES,
  type IndicatorName,
  RSI_PERIOD,
  SMA_WINDOW,
  type SymbolSummary,
  VOL_WINDOW,
  roundIndicator,
} from './indicators.js'

/** One daily bar as a row object. */
export interface DailyBar {
  day: number
  open: number
  high: number
  low: number
  close: number
  volume: number
}

/** All indicators of one bar; null where the look-back is not long enough yet. */
export interface IndicatorRow {
  day: number
  ret: number | null
  sma: number | null
  ema: number | null
  vol: number | null
  rsi: number | null
  bbUpper: number | null
  bbMiddle: number | null
  bbLower: number | null
}

/** The rows of symbol `s`: the naive variant's input, built once when the workload is created. */
export function barsToRows(bars: BarColumns, s: number): DailyBar[] {
  const rows: DailyBar[] = []
  for (let t = 0; t < bars.days; t++) {
    const i = s * bars.days + t
    rows.push({ day: t, open: bars.open[i]!, high: bars.high[i]!, low: bars.low[i]!, close: bars.close[i]!, volume: bars.volume[i]! })
  }
  return rows
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0)
}

export function returnAt(rows: DailyBar[], t: number): number | null {
  if (t < 1) return null
  return rows[t]!.close / rows[t - 1]!.close - 1
}

export function smaAt(rows: DailyBar[], t: number, n: number): number | null {
  if (t < n - 1) return null
  const closes = rows.slice(t - n + 1, t + 1).map((r) => r.close)
  return sum(closes) / n
}

/** EMA replayed from its seed (the first full SMA window) up to bar t. */
export function emaAt(rows: DailyBar[], t: number, period: number): number | null {
  if (t < period - 1) return null
  const alpha = 2 / (period + 1)
  let ema = smaAt(rows, period - 1, period)!
  for (let k = period; k <= t; k++) ema = alpha * rows[k]!.close + (1 - alpha) * ema
  return ema
}

/** Sample standard deviation of the n daily returns ending at bar t. */
export function volatilityAt(rows: DailyBar[], t: number, n: number): number | null {
  if (t < n) return null
  const returns: number[] = []
  for (const [k, row] of rows.slice(t - n, t + 1).entries()) {
    if (k > 0) returns.push(row.close / rows[t - n + k - 1]!.close - 1)
  }
  const mean = sum(returns) / n
  const squares = returns.map((r) => (r - mean) * (r - mean))
  return Math.sqrt(sum(squares) / (n - 1))
}

/** Wilder's RSI at bar t, replaying the smoothing from the first period every time. */
export function rsiAt(rows: DailyBar[], t: number, period: number): number | null {
  if (t < period) return null
  const changes = rows.slice(1, t + 1).map((row, k) => row.close - rows[k]!.close)
  const gains = changes.map((c) => (c > 0 ? c : 0))
  const losses = changes.map((c) => (c < 0 ? -c : 0))
  let avgGain = sum(gains.slice(0, period)) / period
  let avgLoss = sum(losses.slice(0, period)) / period
  for (let k = period; k < changes.length; k++) {
    avgGain = (avgGain * (period - 1) + gains[k]!) / period
    avgLoss = (avgLoss * (period - 1) + losses[k]!) / period
  }
  if (avgLoss === 0) return avgGain === 0 ? 50 : 100
  return 100 - 100 / (1 + avgGain / avgLoss)
}

export function bollingerAt(rows: DailyBar[], t: number, n: number): { upper: number; middle: number; lower: number } | null {
  if (t < n - 1) return null
  const closes = rows.slice(t - n + 1, t + 1).map((r) => r.close)
  const middle = sum(closes) / n
  const sd = Math.sqrt(sum(closes.map((c) => (c - middle) * (c - middle))) / n)
  return { upper: middle + BOLLINGER_WIDTH * sd, middle, lower: middle - BOLLINGER_WIDTH * sd }
}

/** Every indicator for every bar of one symbol. */
export function computeIndicatorsNaive(rows: DailyBar[]): IndicatorRow[] {
  return rows.map((row, t) => {
    const bands = bollingerAt(rows, t, SMA_WINDOW)
    return {
      day: row.day,
      ret: returnAt(rows, t),
      sma: smaAt(rows, t, SMA_WINDOW),
      ema: emaAt(rows, t, EMA_PERIOD),
      vol: volatilityAt(rows, t, VOL_WINDOW),
      rsi: rsiAt(rows, t, RSI_PERIOD),
      bbUpper: bands?.upper ?? null,
      bbMiddle: bands?.middle ?? null,
      bbLower: bands?.lower ?? null,
    }
  })
}

export function summarizeIndicatorsNaive(ticker: string, rows: IndicatorRow[]): SymbolSummary {
  const pick = (name: IndicatorName): number[] => rows.map((r) => r[name]).filter((v): v is number => v !== null)
  const summary: SymbolSummary = {
    ticker,
    bars: rows.length,
    last: {} as SymbolSummary['last'],
    mean: {} as SymbolSummary['mean'],
    defined: {} as SymbolSummary['defined'],
  }
  for (const name of INDICATOR_NAMES) {
    const values = pick(name)
    const last = rows[rows.length - 1]?.[name] ?? null
    summary.last[name] = last === null ? null : roundIndicator(name, last)
    summary.mean[name] = values.length === 0 ? null : roundIndicator(name, sum(values) / values.length)
    summary.defined[name] = values.length
  }
  return summary
}
