/**
 * The optimized market-data variant: Float64Array columns and one pass per symbol with sliding window
 * sums (re-anchored every RESYNC_EVERY bars so rounding error cannot build up), and the EMA and RSI
 * recursions carried forward. Output columns are pooled and reused across symbols and iterations.
 */
import type { BarColumns } from '../data/bars.js'
import {
  BOLLINGER_WIDTH,
  EMA_PERIOD,
  INDICATOR_NAMES,
  RSI_PERIOD,
  SMA_WINDOW,
  type SymbolSummary,
  VOL_WINDOW,
  roundIndicator,
} from './indicators.js'

/** Indicator columns of one symbol; NaN where the look-back is not long enough yet. */
export interface IndicatorColumns {
  ret: Float64Array
  sma: Float64Array
  ema: Float64Array
  vol: Float64Array
  rsi: Float64Array
  bbUpper: Float64Array
  bbLower: Float64Array
}

/**
 * How often the window sums are recomputed exactly. Between resyncs they are updated by adding the new
 * value and removing the oldest, whose rounding errors would otherwise accumulate over ten years of bars.
 */
export const RESYNC_EVERY = 64

export function createIndicatorColumns(days: number): IndicatorColumns {
  return {
    ret: new Float64Array(days),
    sma: new Float64Array(days),
    ema: new Float64Array(days),
    vol: new Float64Array(days),
    rsi: new Float64Array(days),
    bbUpper: new Float64Array(days),
    bbLower: new Float64Array(days),
  }
}

/**
 * Computes every indicator of the `days` closes starting at `close[offset]` into `out` (length >= days).
 * Window variances use sums of deviations from an anchor (the close at the last resync), which keeps the
 * E[x²] − E[x]² form away from catastrophic cancellation.
 */
export function computeIndicatorsInto(close: Float64Array, offset: number, days: number, out: IndicatorColumns): void {
  const n = SMA_WINDOW
  const alpha = 2 / (EMA_PERIOD + 1)
  let closeSum = 0
  let anchor = close[offset]!
  let devSum = 0
  let devSq = 0
  let retSum = 0
  let retSq = 0
  let ema = NaN
  let gainSum = 0
  let lossSum = 0
  let avgGain = NaN
  let avgLoss = NaN
  for (let t = 0; t < days; t++) {
    const c = close[offset + t]!
    const ret = t >= 1 ? c / close[offset + t - 1]! - 1 : NaN
    out.ret[t] = ret

    closeSum += c
    const d = c - anchor
    devSum += d
    devSq += d * d
    if (t >= n) {
      const old = close[offset + t - n]!
      closeSum -= old
      const od = old - anchor
      devSum -= od
      devSq -= od * od
    }
    if (t >= n - 1) {
      if ((t - (n - 1)) % RESYNC_EVERY === 0 && t > n - 1) {
        closeSum = 0
        anchor = c
        devSum = 0
        devSq = 0
        for (let k = t - n + 1; k <= t; k++) {
          const x = close[offset + k]!
          closeSum += x
          const dx = x - anchor
          devSum += dx
          devSq += dx * dx
        }
      }
      const sma = closeSum / n
      const meanDev = devSum / n
      const sd = Math.sqrt(Math.max(0, devSq / n - meanDev * meanDev))
      out.sma[t] = sma
      out.bbUpper[t] = sma + BOLLINGER_WIDTH * sd
      out.bbLower[t] = sma - BOLLINGER_WIDTH * sd
      // EMA_PERIOD equals SMA_WINDOW, so the EMA's seed is this window's SMA, summed in the naive order.
      ema = t === EMA_PERIOD - 1 ? sma : alpha * c + (1 - alpha) * ema
      out.ema[t] = ema
    } else {
      out.sma[t] = NaN
      out.bbUpper[t] = NaN
      out.bbLower[t] = NaN
      out.ema[t] = NaN
    }

    if (t >= 1) {
      retSum += ret
      retSq += ret * ret
      if (t > VOL_WINDOW) {
        const oldRet = out.ret[t - VOL_WINDOW]!
        retSum -= oldRet
        retSq -= oldRet * oldRet
      }
    }
    if (t >= VOL_WINDOW) {
      if ((t - VOL_WINDOW) % RESYNC_EVERY === 0 && t > VOL_WINDOW) {
        retSum = 0
        retSq = 0
        for (let k = t - VOL_WINDOW + 1; k <= t; k++) {
          const r = out.ret[k]!
          retSum += r
          retSq += r * r
        }
      }
      out.vol[t] = Math.sqrt(Math.max(0, (retSq - (retSum * retSum) / VOL_WINDOW) / (VOL_WINDOW - 1)))
    } else {
      out.vol[t] = NaN
    }

    if (t >= 1) {
      const change = c - close[offset + t - 1]!
      const gain = change > 0 ? change : 0
      const loss = change < 0 ? -change : 0
      if (t <= RSI_PERIOD) {
        gainSum += gain
        lossSum += loss
        if (t === RSI_PERIOD) {
          avgGain = gainSum / RSI_PERIOD
          avgLoss = lossSum / RSI_PERIOD
        }
      } else {
        avgGain = (avgGain * (RSI_PERIOD - 1) + gain) / RSI_PERIOD
        avgLoss = (avgLoss * (RSI_PERIOD - 1) + loss) / RSI_PERIOD
      }
    }
    out.rsi[t] = t < RSI_PERIOD ? NaN : avgLoss === 0 ? (avgGain === 0 ? 50 : 100) : 100 - 100 / (1 + avgGain / avgLoss)
  }
}

export function summarizeColumns(ticker: string, cols: IndicatorColumns, days: number): SymbolSummary {
  const summary: SymbolSummary = {
    ticker,
    bars: days,
    last: {} as SymbolSummary['last'],
    mean: {} as SymbolSummary['mean'],
    defined: {} as SymbolSummary['defined'],
  }
  for (const name of INDICATOR_NAMES) {
    const col = cols[name]
    let total = 0
    let count = 0
    for (let t = 0; t < days; t++) {
      const v = col[t]!
      if (v === v) {
        total += v
        count++
      }
    }
    const last = days > 0 ? col[days - 1]! : NaN
    summary.last[name] = Number.isNaN(last) ? null : roundIndicator(name, last)
    summary.mean[name] = count === 0 ? null : roundIndicator(name, total / count)
    summary.defined[name] = count
  }
  return summary
}

/** Indicators and summaries of symbols [from, to) of `bars`, reusing `pool` for the output columns. */
export function computeSummariesOptimized(bars: BarColumns, from: number, to: number, pool: IndicatorColumns): SymbolSummary[] {
  const out: SymbolSummary[] = []
  for (let s = from; s < to; s++) {
    computeIndicatorsInto(bars.close, s * bars.days, bars.days, pool)
    out.push(summarizeColumns(bars.tickers[s]!, pool, bars.days))
  }
  return out
}
