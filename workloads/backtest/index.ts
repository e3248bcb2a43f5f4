/**
 * backtest: pairs trading on seeded cointegrated pairs. Per pair: OLS hedge ratio on a formation period,
 * rolling z-score of the spread, entry/exit thresholds, trade list, PnL, Sharpe and max drawdown. The
 * naive variant recomputes each window; the optimized one keeps rolling sums. Pairs split across workers.
 */
import { type WorkloadDescriptor, checkParamRules } from '../../core/model/workload.js'
import { createWorkerPool, siblingModuleUrl, splitRange } from '../harness/worker-pool.js'
import { type WorkloadContext, type WorkloadInstance, type WorkloadModule, intParam, numberParam } from '../types.js'
import { createBacktestEngine, isBacktestVariant } from './engine.js'
import { generatePairs } from './pairs.js'
import { type PairResult, type StrategyConfig, roundCents } from './strategy.js'
import type { tasks } from './worker-tasks.js'

export const descriptor: WorkloadDescriptor = {
  id: 'backtest',
  title: 'Pairs-trading backtest',
  description:
    'Seeded cointegrated pairs (log Y = α + β·log X + OU spread) on intraday bars. Per pair: the hedge ratio by OLS of ' +
    'log Y on log X over the formation period, then on every later bar the z-score of the spread over a rolling ' +
    'window; open when |z| > entryZ, close when |z| < exitZ or at the end; costs in basis points. The answer is every ' +
    'trade of every pair, with PnL, Sharpe ratio and max drawdown; both variants give the identical trade list.',
  operation: 'one backtest of all pairs over the whole period',
  variants: [
    {
      id: 'naive',
      title: 'Recomputed windows',
      description:
        'Bars, spreads, positions and the equity curve as objects; every bar slices its window and recomputes mean and deviation.',
      role: 'naive',
    },
    {
      id: 'optimized',
      title: 'Incremental rolling stats',
      description: 'Float64Array columns; rolling sums updated per bar and recomputed exactly every 64 bars; pooled scratch buffers.',
      role: 'optimized',
    },
  ],
  defaultVariant: 'naive',
  params: {
    pairs: { type: 'int', description: 'Cointegrated pairs, each backtested independently.', default: 4, min: 1, max: 64 },
    days: { type: 'int', description: 'Trading days of data per pair.', default: 252, min: 5, max: 2520, unit: 'days' },
    barsPerDay: { type: 'int', description: 'Intraday bars per day (78 = 5-minute bars).', default: 78, min: 1, max: 390 },
    formationDays: {
      type: 'int',
      description: 'Days at the start used only to fit the hedge ratio.',
      default: 20,
      min: 1,
      max: 500,
      unit: 'days',
    },
    window: { type: 'int', description: 'Rolling window of the spread z-score.', default: 60, min: 2, max: 10_000, unit: 'bars' },
    entryZ: { type: 'number', description: 'Open a position when |z| exceeds this.', default: 2, min: 0.1, max: 10 },
    exitZ: {
      type: 'number',
      description: 'Close the position when |z| falls below this (below entryZ).',
      default: 0.5,
      min: 0,
      max: 10,
    },
    costBps: {
      type: 'number',
      description: 'Cost of each entry and exit, on the gross notional traded.',
      default: 1,
      min: 0,
      max: 100,
      unit: 'bps',
    },
    workers: {
      type: 'int',
      description: 'Worker threads sharing the pairs of each backtest; 1 runs in the calling thread.',
      default: 1,
      min: 1,
      max: 16,
    },
  },
  // Checked with the ranges, by the Launch form before sending and by the engine at launch (resolveParams).
  rules: [
    { left: ['exitZ'], op: '<', right: ['entryZ'], reason: 'a position closes at a smaller |z| than it opens at' },
    { left: ['formationDays'], op: '<', right: ['days'], reason: 'the formation period leaves days to trade' },
    { left: ['formationDays', 'barsPerDay'], op: '>=', right: [2], reason: 'the hedge-ratio fit needs two bars' },
    { left: ['window'], op: '<', right: ['days', 'barsPerDay'], reason: 'the rolling window fits in the data' },
  ],
  figureToBeat: '1 year 5.1 s, identical trades across variants',
}

/** The workload's answer. */
export interface BacktestAnswer {
  bars: number
  pairs: PairResult[]
  totalTrades: number
  totalPnl: number
}

/** Reads and cross-checks the strategy parameters; throws a message naming the offending ones. */
export function strategyConfigFromParams(ctx: WorkloadContext): { config: StrategyConfig; bars: number } {
  const barsPerDay = intParam(ctx.params, 'barsPerDay')
  const days = intParam(ctx.params, 'days')
  const config: StrategyConfig = {
    formationBars: intParam(ctx.params, 'formationDays') * barsPerDay,
    window: intParam(ctx.params, 'window'),
    entryZ: numberParam(ctx.params, 'entryZ'),
    exitZ: numberParam(ctx.params, 'exitZ'),
    costBps: numberParam(ctx.params, 'costBps'),
    barsPerDay,
  }
  const bars = days * barsPerDay
  // The descriptor's rules, for callers that skip the engine's check (tests, the worker tasks).
  const broken = checkParamRules(descriptor, ctx.params)
  if (broken.length > 0) throw new Error(`backtest: ${broken.map((p) => p.message).join('; ')}`)
  return { config, bars }
}

export async function createBacktest(ctx: WorkloadContext): Promise<WorkloadInstance> {
  const { variant } = ctx
  if (!isBacktestVariant(variant)) {
    throw new Error(`unknown variant ${variant} of backtest (expected ${descriptor.variants.map((v) => v.id).join(', ')})`)
  }
  const { config, bars } = strategyConfigFromParams(ctx)
  const pairs = intParam(ctx.params, 'pairs')
  const workers = intParam(ctx.params, 'workers')
  const cols = generatePairs(ctx.seed, { pairs, bars, barsPerDay: config.barsPerDay, shared: workers > 1 })

  let runAll: () => PairResult[] | Promise<PairResult[]>
  let close: (() => Promise<void>) | undefined
  if (workers === 1) {
    const engine = createBacktestEngine(variant, cols, config, 0, pairs)
    runAll = () => engine.runPairs()
  } else {
    const pool = await createWorkerPool<typeof tasks>({
      size: workers,
      tasksUrl: siblingModuleUrl(import.meta.url, 'worker-tasks'),
      name: 'backtest',
    })
    close = () => pool.close()
    try {
      const ranges = splitRange(pairs, workers)
      await pool.runOnEach('setup', (i) => ({ variant, cols, config, from: ranges[i]![0], to: ranges[i]![1] }))
    } catch (err) {
      await pool.close()
      throw err
    }
    runAll = async () => (await pool.runOnEach('run', () => undefined)).flat()
  }

  // Keeps the latest results reachable so the backtest cannot be optimized away.
  let latest: PairResult[] = []
  const check = (results: PairResult[]): void => {
    if (results.length !== pairs) throw new Error(`backtest produced ${results.length} results for ${pairs} pairs`)
    latest = results
  }
  function iterateInThread(): void {
    check(runAll() as PairResult[])
  }
  async function iterateOnWorkers(): Promise<void> {
    check(await runAll())
  }
  return {
    opsPerIteration: 1,
    iterate: workers === 1 ? iterateInThread : iterateOnWorkers,
    async answer(): Promise<BacktestAnswer> {
      check(await runAll())
      let totalTrades = 0
      let totalPnl = 0
      for (const r of latest) {
        totalTrades += r.trades.length
        totalPnl += r.pnl
      }
      return { bars, pairs: latest, totalTrades, totalPnl: roundCents(totalPnl) }
    },
    ...(close ? { close } : {}),
  }
}

export const workload: WorkloadModule = { descriptor, create: createBacktest }
