/**
 * Task module of the backtest's worker threads: `setup` receives the shared price columns, the rules and
 * this worker's pair range once; `run` backtests those pairs and returns their results.
 */
import type { WorkerTaskContext } from '../harness/worker-pool.js'
import { type BacktestEngine, type BacktestVariant, createBacktestEngine } from './engine.js'
import type { PairColumns } from './pairs.js'
import type { PairResult, StrategyConfig } from './strategy.js'

let engine: BacktestEngine | undefined

export const tasks = {
  setup(
    payload: { variant: BacktestVariant; cols: PairColumns; config: StrategyConfig; from: number; to: number },
    _ctx: WorkerTaskContext,
  ): void {
    engine = createBacktestEngine(payload.variant, payload.cols, payload.config, payload.from, payload.to)
  },
  run(_payload: undefined, _ctx: WorkerTaskContext): PairResult[] {
    if (!engine) throw new Error('backtest worker: run before setup')
    return engine.runPairs()
  },
}
