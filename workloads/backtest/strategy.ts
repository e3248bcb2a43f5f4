/**
 * The pairs-trading rules both backtest variants implement, and the shapes of their results. Written
 * once so the variants differ only in how they get the rolling mean and deviation of the spread.
 */
import { TRADING_DAYS_PER_YEAR } from '../data/bars.js'

/** Rules of one backtest run. */
export interface StrategyConfig {
  /** Bars of the formation period: the hedge ratio is fitted on them, trading starts after them. */
  formationBars: number
  /** Rolling window of the spread's z-score, in bars. */
  window: number
  /** Open when |z| exceeds this. */
  entryZ: number
  /** Close when |z| falls below this. */
  exitZ: number
  /** Cost of each entry and each exit, in basis points of the gross notional traded. */
  costBps: number
  /** Bars per trading day (annualizes the Sharpe ratio). */
  barsPerDay: number
}

/** Gross notional of the Y leg at entry, in currency units; also the capital the Sharpe ratio is computed on. */
export const NOTIONAL = 100_000

/** One round trip. z-scores are rounded to 6 decimals, PnL (after costs) to cents. */
export interface Trade {
  /** long = long Y, short β·X (entered on z < −entry); short = the opposite. */
  side: 'long' | 'short'
  entryBar: number
  exitBar: number
  entryZ: number
  exitZ: number
  /** Why it closed: the z-score came back inside ±exit, or the data ended. */
  reason: 'signal' | 'end'
  pnl: number
}

/** One pair's backtest. */
export interface PairResult {
  pair: number
  /** β of log Y on log X over the formation bars (ordinary least squares), 9 significant digits. */
  hedgeRatio: number
  trades: Trade[]
  /** Total PnL after costs, in currency units (cents). */
  pnl: number
  /** Annualized Sharpe ratio of per-bar PnL over NOTIONAL, from the first trading bar; 6 decimals. */
  sharpe: number
  /** Largest fall of cumulative PnL from its running peak, in currency units (cents). */
  maxDrawdown: number
}

/** First bar on which the strategy may act: after formation, and once a full window of spreads exists. */
export function firstTradingBar(config: StrategyConfig, bars: number): number {
  return Math.min(bars - 1, Math.max(config.formationBars, config.window - 1))
}

export function annualizationFactor(config: StrategyConfig): number {
  return Math.sqrt(TRADING_DAYS_PER_YEAR * config.barsPerDay)
}

export function roundCents(x: number): number {
  return Math.round(x * 100) / 100
}

export function roundDecimals(x: number, decimals: number): number {
  const f = 10 ** decimals
  return Math.round(x * f) / f
}

export function roundSignificant(x: number, digits: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(digits))
}

/** What the strategy does on a bar, given its position and the bar's z-score. */
export type Action = 'hold' | 'open-long' | 'open-short' | 'close'

/**
 * The entry/exit rule: flat → open short when z > entry, long when z < −entry (never on the last bar);
 * in a position → close when |z| < exit, or on the last bar whatever z is.
 */
export function decideAction(side: -1 | 0 | 1, z: number, isLastBar: boolean, config: StrategyConfig): Action {
  if (side === 0) {
    if (isLastBar) return 'hold'
    if (z > config.entryZ) return 'open-short'
    if (z < -config.entryZ) return 'open-long'
    return 'hold'
  }
  return isLastBar || Math.abs(z) < config.exitZ ? 'close' : 'hold'
}
