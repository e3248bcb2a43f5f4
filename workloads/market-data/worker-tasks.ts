/**
 * Task module of market-data's worker threads: `setup` receives the shared bars and this worker's symbol
 * range once; `compute` then runs one operation's share and returns the summaries.
 */
import type { BarColumns } from '../data/bars.js'
import type { WorkerTaskContext } from '../harness/worker-pool.js'
import { type MarketDataEngine, type MarketDataVariant, createMarketDataEngine } from './engine.js'
import type { SymbolSummary } from './indicators.js'

let engine: MarketDataEngine | undefined

export const tasks = {
  setup(payload: { variant: MarketDataVariant; bars: BarColumns; from: number; to: number }, _ctx: WorkerTaskContext): void {
    engine = createMarketDataEngine(payload.variant, payload.bars, payload.from, payload.to)
  },
  compute(_payload: undefined, _ctx: WorkerTaskContext): SymbolSummary[] {
    if (!engine) throw new Error('market-data worker: compute before setup')
    return engine.computeSummaries()
  },
}
