/**
 * The optimized backtest: Float64Array price and spread columns, the rolling mean and deviation of the
 * spread kept as running sums of deviations from an anchor (re-anchored and recomputed exactly every
 * RESYNC_EVERY bars, so drift cannot flip a decision), and pooled scratch buffers.
 */
import type { PairColumns } from './pairs.js'
import {
  NOTIONAL,
  type PairResult,
  type StrategyConfig,
  type Trade,
  annualizationFactor,
  decideAction,
  firstTradingBar,
  roundCents,
  roundDecimals,
  roundSignificant,
} from './strategy.js'

/** Bars between exact recomputations of the rolling sums. */
export const RESYNC_EVERY = 64

/** Reused buffers, sized for the longest pair. */
export interface BacktestScratch {
  spread: Float64Array
  pnl: Float64Array
}

export function createBacktestScratch(bars: number): BacktestScratch {
  return { spread: new Float64Array(bars), pnl: new Float64Array(bars) }
}

/** OLS of log Y on log X over the first `formationBars` bars of the pair at `offset`; same arithmetic order as the naive fit. */
export function fitHedgeRatio(x: Float64Array, y: Float64Array, offset: number, formationBars: number): { beta: number; alpha: number } {
  let sx = 0
  let sy = 0
  for (let t = 0; t < formationBars; t++) {
    sx += Math.log(x[offset + t]!)
    sy += Math.log(y[offset + t]!)
  }
  const mx = sx / formationBars
  const my = sy / formationBars
  let sxy = 0
  let sxx = 0
  for (let t = 0; t < formationBars; t++) {
    const dx = Math.log(x[offset + t]!) - mx
    sxy += dx * (Math.log(y[offset + t]!) - my)
    sxx += dx * dx
  }
  const beta = sxx > 0 ? sxy / sxx : 0
  return { beta, alpha: my - beta * mx }
}

/**
 * Rolling z-scores of `spread` for bars [start, end], streamed to `onBar`. Sums are of deviations from
 * `anchor` (a recent spread value), which keeps E[d²] − E[d]² well conditioned.
 */
function streamZScores(spread: Float64Array, start: number, end: number, window: number, onBar: (t: number, z: number) => void): void {
  let anchor = 0
  let devSum = 0
  let devSq = 0
  for (let t = start; t <= end; t++) {
    if ((t - start) % RESYNC_EVERY === 0) {
      anchor = spread[t]!
      devSum = 0
      devSq = 0
      for (let k = t - window + 1; k <= t; k++) {
        const d = spread[k]! - anchor
        devSum += d
        devSq += d * d
      }
    } else {
      const d = spread[t]! - anchor
      const old = spread[t - window]! - anchor
      devSum += d - old
      devSq += d * d - old * old
    }
    const meanDev = devSum / window
    const variance = devSq / window - meanDev * meanDev
    const sd = variance > 0 ? Math.sqrt(variance) : 0
    onBar(t, sd > 0 ? (spread[t]! - anchor - meanDev) / sd : 0)
  }
}

export function backtestPairOptimized(cols: PairColumns, pair: number, config: StrategyConfig, scratch: BacktestScratch): PairResult {
  const bars = cols.bars
  const offset = pair * bars
  const { x, y } = cols
  const { beta, alpha } = fitHedgeRatio(x, y, offset, config.formationBars)
  const spread = scratch.spread
  for (let t = 0; t < bars; t++) spread[t] = Math.log(y[offset + t]!) - beta * Math.log(x[offset + t]!) - alpha
  const pnl = scratch.pnl
  const costRate = config.costBps / 10_000
  const start = firstTradingBar(config, bars)
  const last = bars - 1
  const trades: Trade[] = []
  let side: -1 | 0 | 1 = 0
  let qY = 0
  let qX = 0
  let entryBar = 0
  let entryZ = 0
  let tradePnl = 0
  let equity = 0
  let peak = 0
  let maxDrawdown = 0

  function onBar(t: number, z: number): void {
    const py = y[offset + t]!
    const px = x[offset + t]!
    let barPnl = 0
    if (side !== 0 && t > start) {
      barPnl = qY * (py - y[offset + t - 1]!) + qX * (px - x[offset + t - 1]!)
      tradePnl += barPnl
    }
    const action = decideAction(side, z, t === last, config)
    if (action === 'open-long' || action === 'open-short') {
      side = action === 'open-long' ? 1 : -1
      qY = (side * NOTIONAL) / py
      qX = (-side * beta * NOTIONAL) / px
      const cost = costRate * (Math.abs(qY) * py + Math.abs(qX) * px)
      barPnl -= cost
      tradePnl = -cost
      entryBar = t
      entryZ = z
    } else if (action === 'close') {
      const cost = costRate * (Math.abs(qY) * py + Math.abs(qX) * px)
      barPnl -= cost
      tradePnl -= cost
      trades.push({
        side: side === 1 ? 'long' : 'short',
        entryBar,
        exitBar: t,
        entryZ: roundDecimals(entryZ, 6),
        exitZ: roundDecimals(z, 6),
        reason: t === last && Math.abs(z) >= config.exitZ ? 'end' : 'signal',
        pnl: roundCents(tradePnl),
      })
      side = 0
      qY = 0
      qX = 0
    }
    equity += barPnl
    if (equity > peak) peak = equity
    if (peak - equity > maxDrawdown) maxDrawdown = peak - equity
    pnl[t - start] = barPnl
  }
  streamZScores(spread, start, last, config.window, onBar)

  return {
    pair,
    hedgeRatio: roundSignificant(beta, 9),
    trades,
    pnl: roundCents(equity),
    sharpe: roundDecimals(sharpeOf(pnl, last - start + 1, config), 6),
    maxDrawdown: roundCents(maxDrawdown),
  }
}

function sharpeOf(pnl: Float64Array, count: number, config: StrategyConfig): number {
  if (count < 2) return 0
  let total = 0
  for (let i = 0; i < count; i++) total += pnl[i]! / NOTIONAL
  const mean = total / count
  let squares = 0
  for (let i = 0; i < count; i++) {
    const d = pnl[i]! / NOTIONAL - mean
    squares += d * d
  }
  const variance = squares / (count - 1)
  return variance > 0 ? (mean / Math.sqrt(variance)) * annualizationFactor(config) : 0
}
