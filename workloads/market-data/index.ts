/**
 * market-data: daily OHLCV bars for M symbols over N years, and for every symbol its returns, SMA-20,
 * EMA-20, 20-day volatility, RSI-14 and Bollinger bands; row objects with windows recomputed per bar,
 * or Float64Array columns with sliding windows. Splits symbols across worker threads when asked.
 */
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { TRADING_DAYS_PER_YEAR, generateBars } from '../data/bars.js'
import { createWorkerPool, siblingModuleUrl, splitRange } from '../harness/worker-pool.js'
import { type WorkloadContext, type WorkloadInstance, type WorkloadModule, intParam } from '../types.js'
import { createMarketDataEngine, isMarketDataVariant } from './engine.js'
import type { SymbolSummary } from './indicators.js'
import type { tasks } from './worker-tasks.js'

export const descriptor: WorkloadDescriptor = {
  id: 'market-data',
  title: 'Market data indicators',
  description:
    'Seeded daily OHLCV bars (geometric Brownian motion) for every symbol, then simple returns, SMA-20, EMA-20, ' +
    '20-day rolling volatility, Wilder RSI-14 and Bollinger bands (20, 2σ) for every bar. The answer is, per ' +
    'symbol, each indicator on the last bar and its mean (price levels to 6 decimals, the rest to 7 significant digits).',
  operation: 'computing all indicators for all symbols over the whole period',
  variants: [
    {
      id: 'naive',
      title: 'Row objects, windows from scratch',
      description:
        'Each symbol is an array of bar objects; every indicator value slices and sums its own window, and the EMA ' +
        'and RSI recursions are replayed from the first bar for every bar (quadratic in the period).',
      role: 'naive',
    },
    {
      id: 'optimized',
      title: 'Float64Array columns, sliding windows',
      description:
        'One pass per symbol over the close column with sliding sums (re-anchored every 64 bars), EMA and RSI carried ' +
        'forward, output columns pooled across symbols and iterations.',
      role: 'optimized',
    },
  ],
  defaultVariant: 'naive',
  params: {
    years: { type: 'int', description: 'Years of daily bars (252 trading days each).', default: 1, min: 1, max: 10, unit: 'years' },
    symbols: { type: 'int', description: 'Symbols, each with its own bars.', default: 20, min: 1, max: 500 },
    workers: {
      type: 'int',
      description: 'Worker threads sharing the symbols of each operation; 1 computes in the calling thread.',
      default: 1,
      min: 1,
      max: 16,
    },
  },
  figureToBeat: '1 year daily 180 ms; SMA-20 on 1,000 points 10 ms',
}

/** The workload's answer. */
export interface MarketDataAnswer {
  days: number
  symbols: SymbolSummary[]
}

export async function createMarketData(ctx: WorkloadContext): Promise<WorkloadInstance> {
  const { variant } = ctx
  if (!isMarketDataVariant(variant)) {
    throw new Error(`unknown variant ${variant} of market-data (expected ${descriptor.variants.map((v) => v.id).join(', ')})`)
  }
  const years = intParam(ctx.params, 'years')
  const symbols = intParam(ctx.params, 'symbols')
  const workers = intParam(ctx.params, 'workers')
  const days = years * TRADING_DAYS_PER_YEAR
  const bars = generateBars(ctx.seed, { symbols, days, shared: workers > 1 })

  let computeAll: () => SymbolSummary[] | Promise<SymbolSummary[]>
  let close: (() => Promise<void>) | undefined
  if (workers === 1) {
    const engine = createMarketDataEngine(variant, bars, 0, symbols)
    computeAll = () => engine.computeSummaries()
  } else {
    const pool = await createWorkerPool<typeof tasks>({
      size: workers,
      tasksUrl: siblingModuleUrl(import.meta.url, 'worker-tasks'),
      name: 'market-data',
    })
    close = () => pool.close()
    try {
      const ranges = splitRange(symbols, workers)
      await pool.runOnEach('setup', (i) => ({ variant, bars, from: ranges[i]![0], to: ranges[i]![1] }))
    } catch (err) {
      await pool.close()
      throw err
    }
    computeAll = async () => (await pool.runOnEach('compute', () => undefined)).flat()
  }

  // Keeps the latest result reachable so the computation cannot be optimized away.
  let latest: SymbolSummary[] = []
  const check = (summaries: SymbolSummary[]): void => {
    if (summaries.length !== symbols) throw new Error(`market-data computed ${summaries.length} summaries for ${symbols} symbols`)
    latest = summaries
  }
  function iterateInThread(): void {
    check(computeAll() as SymbolSummary[])
  }
  async function iterateOnWorkers(): Promise<void> {
    check(await computeAll())
  }
  return {
    opsPerIteration: 1,
    iterate: workers === 1 ? iterateInThread : iterateOnWorkers,
    async answer(): Promise<MarketDataAnswer> {
      check(await computeAll())
      return { days, symbols: latest }
    },
    ...(close ? { close } : {}),
  }
}

export const workload: WorkloadModule = { descriptor, create: createMarketData }
