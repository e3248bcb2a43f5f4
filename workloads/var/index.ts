/**
 * var: Monte Carlo Value at Risk and expected shortfall (CVaR) at 95% and 99% of a seeded portfolio of
 * correlated assets (Cholesky factor of the daily covariance), with full revaluation over the horizon.
 * Per-path allocation and a sorted copy, or pooled buffers and quickselect. Chunks split across workers.
 */
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { createWorkerPool, siblingModuleUrl, splitRange } from '../harness/worker-pool.js'
import { type WorkloadContext, type WorkloadInstance, type WorkloadModule, intParam } from '../types.js'
import { isVarVariant, type SimulationSpec } from './engine.js'
import { riskFromLossesNaive, simulateChunksNaive } from './naive.js'
import { flattenPortfolio, riskFromLossesInPlace, simulateChunksInto } from './optimized.js'
import { generatePortfolio } from './portfolio.js'
import { type VarEstimate, chunkCount } from './risk.js'
import type { tasks } from './worker-tasks.js'

export const descriptor: WorkloadDescriptor = {
  id: 'var',
  title: 'Monte Carlo VaR',
  description:
    'Value at Risk and expected shortfall (CVaR) at 95% and 99% of a seeded long portfolio of correlated assets. Each ' +
    'path draws daily standard normals, correlates them with the Cholesky factor of the daily covariance, adds up the ' +
    'log returns over the horizon and revalues every position. VaR is the smallest of the worst ⌈n·(1−level)⌉ losses, ' +
    'CVaR their mean. Paths are drawn in chunks of 1,024 with one PRNG stream each, so the answer does not depend on workers.',
  operation: 'one full VaR and CVaR estimate (all paths, both levels)',
  variants: [
    {
      id: 'naive',
      title: 'Allocate per path, sort',
      description: 'Shock, return and P&L arrays allocated for every path and day; losses in a JS array, sorted with a comparator.',
      role: 'naive',
    },
    {
      id: 'optimized',
      title: 'Pooled buffers, quickselect',
      description: 'Flat Float64Array model and scratch reused by every path; losses written in place; quickselect for both quantiles.',
      role: 'optimized',
    },
  ],
  defaultVariant: 'naive',
  params: {
    paths: { type: 'int', description: 'Monte Carlo paths per estimate.', default: 10_000, min: 100, max: 5_000_000 },
    assets: { type: 'int', description: 'Positions in the portfolio.', default: 10, min: 1, max: 200 },
    horizonDays: {
      type: 'int',
      description: 'Days simulated per path (each a correlated daily step).',
      default: 10,
      min: 1,
      max: 250,
      unit: 'days',
    },
    workers: {
      type: 'int',
      description: 'Worker threads sharing the path chunks of each estimate; 1 simulates in the calling thread.',
      default: 1,
      min: 1,
      max: 16,
    },
  },
  figureToBeat: '85 ms, 8 MB',
}

/** The workload's answer. */
export interface VarAnswer extends VarEstimate {
  assets: number
  horizonDays: number
  /** Sum of the position values, in currency units. */
  portfolioValue: number
}

export async function createValueAtRisk(ctx: WorkloadContext): Promise<WorkloadInstance> {
  const { variant, seed } = ctx
  if (!isVarVariant(variant))
    throw new Error(`unknown variant ${variant} of var (expected ${descriptor.variants.map((v) => v.id).join(', ')})`)
  const paths = intParam(ctx.params, 'paths')
  const assets = intParam(ctx.params, 'assets')
  const horizonDays = intParam(ctx.params, 'horizonDays')
  const workers = intParam(ctx.params, 'workers')
  const portfolio = generatePortfolio(seed, assets)
  const chunks = chunkCount(paths)

  let estimate: () => VarEstimate | Promise<VarEstimate>
  let close: (() => Promise<void>) | undefined
  if (workers === 1) {
    if (variant === 'naive') {
      estimate = () => riskFromLossesNaive(simulateChunksNaive(seed, portfolio, paths, horizonDays, 0, chunks))
    } else {
      const model = flattenPortfolio(portfolio)
      const losses = new Float64Array(paths)
      estimate = () => {
        simulateChunksInto(seed, model, paths, horizonDays, 0, chunks, losses)
        return riskFromLossesInPlace(losses)
      }
    }
  } else {
    // Workers write their chunks' losses straight into one shared buffer; the quantiles are taken here.
    const losses = new Float64Array(new SharedArrayBuffer(paths * Float64Array.BYTES_PER_ELEMENT))
    const spec: SimulationSpec = { seed, portfolio, paths, horizonDays }
    const pool = await createWorkerPool<typeof tasks>({
      size: workers,
      tasksUrl: siblingModuleUrl(import.meta.url, 'worker-tasks'),
      name: 'var',
    })
    close = () => pool.close()
    try {
      const ranges = splitRange(chunks, workers)
      await pool.runOnEach('setup', (i) => ({ variant, spec, chunkFrom: ranges[i]![0], chunkTo: ranges[i]![1], losses }))
    } catch (err) {
      await pool.close()
      throw err
    }
    estimate = async () => {
      await pool.runOnEach('simulate', () => undefined)
      return variant === 'naive' ? riskFromLossesNaive(Array.from(losses)) : riskFromLossesInPlace(losses)
    }
  }

  // Keeps the latest estimate reachable so the simulation cannot be optimized away.
  let latest: VarEstimate | undefined
  const check = (e: VarEstimate): void => {
    if (!(e.cvar99 >= e.var99 && e.cvar95 >= e.var95)) throw new Error(`var: inconsistent estimate ${JSON.stringify(e)}`)
    latest = e
  }
  function iterateInThread(): void {
    check(estimate() as VarEstimate)
  }
  async function iterateOnWorkers(): Promise<void> {
    check(await estimate())
  }
  return {
    opsPerIteration: 1,
    iterate: workers === 1 ? iterateInThread : iterateOnWorkers,
    async answer(): Promise<VarAnswer> {
      check(await estimate())
      const portfolioValue = portfolio.values.reduce((a, b) => a + b, 0)
      return { ...latest!, assets, horizonDays, portfolioValue }
    },
    ...(close ? { close } : {}),
  }
}

export const workload: WorkloadModule = { descriptor, create: createValueAtRisk }
