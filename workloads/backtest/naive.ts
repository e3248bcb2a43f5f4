/**
 * The naive backtest: each pair is an array of bar objects, spreads are new objects, and the rolling mean
 * and standard deviation are recomputed from a fresh slice of the window on every bar; positions,
 * trades and the equity curve are objects too.
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

/** One bar of a pair as a row object: the naive variant's input. */
export interface PairBar {
  bar: number
  x: number
  y: number
}

interface SpreadRow extends PairBar {
  spread: number
}

interface OpenPosition {
  side: 'long' | 'short'
  entryBar: number
  entryZ: number
  qY: number
  qX: number
  pnl: number
}

interface EquityPoint {
  bar: number
  pnl: number
  equity: number
}

export function pairToRows(cols: PairColumns, p: number): PairBar[] {
  const rows: PairBar[] = []
  for (let t = 0; t < cols.bars; t++) rows.push({ bar: t, x: cols.x[p * cols.bars + t]!, y: cols.y[p * cols.bars + t]! })
  return rows
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0)
}

/** OLS of log Y on log X over the first `formationBars` rows. */
export function fitHedgeRatioNaive(rows: PairBar[], formationBars: number): { beta: number; alpha: number } {
  const sample = rows.slice(0, formationBars).map((r) => ({ lx: Math.log(r.x), ly: Math.log(r.y) }))
  const n = sample.length
  const mx = sum(sample.map((s) => s.lx)) / n
  const my = sum(sample.map((s) => s.ly)) / n
  const sxy = sum(sample.map((s) => (s.lx - mx) * (s.ly - my)))
  const sxx = sum(sample.map((s) => (s.lx - mx) * (s.lx - mx)))
  const beta = sxx > 0 ? sxy / sxx : 0
  return { beta, alpha: my - beta * mx }
}

/** z-score of the spread at bar t against the window ending at t, recomputed from scratch. */
export function rollingZScoreNaive(rows: SpreadRow[], t: number, window: number): number {
  const spreads = rows.slice(t - window + 1, t + 1).map((r) => r.spread)
  const mean = sum(spreads) / window
  const sd = Math.sqrt(sum(spreads.map((s) => (s - mean) * (s - mean))) / window)
  return sd > 0 ? (rows[t]!.spread - mean) / sd : 0
}

function sharpeNaive(curve: EquityPoint[], config: StrategyConfig): number {
  const returns = curve.map((p) => p.pnl / NOTIONAL)
  if (returns.length < 2) return 0
  const mean = sum(returns) / returns.length
  const variance = sum(returns.map((r) => (r - mean) * (r - mean))) / (returns.length - 1)
  return variance > 0 ? (mean / Math.sqrt(variance)) * annualizationFactor(config) : 0
}

function maxDrawdownNaive(curve: EquityPoint[]): number {
  let peak = 0
  let worst = 0
  for (const point of curve) {
    peak = Math.max(peak, point.equity)
    worst = Math.max(worst, peak - point.equity)
  }
  return worst
}

export function backtestPairNaive(pair: number, rows: PairBar[], config: StrategyConfig): PairResult {
  const { beta, alpha } = fitHedgeRatioNaive(rows, config.formationBars)
  const spreadRows: SpreadRow[] = rows.map((r) => ({ ...r, spread: Math.log(r.y) - beta * Math.log(r.x) - alpha }))
  const costRate = config.costBps / 10_000
  const start = firstTradingBar(config, rows.length)
  const last = rows.length - 1
  const trades: Trade[] = []
  const curve: EquityPoint[] = []
  let position: OpenPosition | null = null
  let equity = 0
  for (let t = start; t <= last; t++) {
    const row = spreadRows[t]!
    let barPnl = 0
    if (position && t > start) {
      const prev = spreadRows[t - 1]!
      barPnl = position.qY * (row.y - prev.y) + position.qX * (row.x - prev.x)
      position.pnl += barPnl
    }
    const z = rollingZScoreNaive(spreadRows, t, config.window)
    const action = decideAction(position === null ? 0 : position.side === 'long' ? 1 : -1, z, t === last, config)
    if (action === 'open-long' || action === 'open-short') {
      const dir = action === 'open-long' ? 1 : -1
      const qY = (dir * NOTIONAL) / row.y
      const qX = (-dir * beta * NOTIONAL) / row.x
      const cost = costRate * (Math.abs(qY) * row.y + Math.abs(qX) * row.x)
      barPnl -= cost
      position = { side: dir === 1 ? 'long' : 'short', entryBar: t, entryZ: z, qY, qX, pnl: -cost }
    } else if (action === 'close' && position) {
      const cost = costRate * (Math.abs(position.qY) * row.y + Math.abs(position.qX) * row.x)
      barPnl -= cost
      position.pnl -= cost
      trades.push({
        side: position.side,
        entryBar: position.entryBar,
        exitBar: t,
        entryZ: roundDecimals(position.entryZ, 6),
        exitZ: roundDecimals(z, 6),
        reason: t === last && Math.abs(z) >= config.exitZ ? 'end' : 'signal',
        pnl: roundCents(position.pnl),
      })
      position = null
    }
    equity += barPnl
    curve.push({ bar: t, pnl: barPnl, equity })
  }
  return {
    pair,
    hedgeRatio: roundSignificant(beta, 9),
    trades,
    pnl: roundCents(equity),
    sharpe: roundDecimals(sharpeNaive(curve, config), 6),
    maxDrawdown: roundCents(maxDrawdownNaive(curve)),
  }
}
