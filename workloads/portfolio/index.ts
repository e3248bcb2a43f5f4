/**
 * portfolio: full analytics of a seeded portfolio on one snapshot day: market value, weights, gross and
 * net exposure, betas against an index, the sample covariance of the return window, risk contributions
 * w_i·(Σw)_i/σ_p and the Sharpe ratio. Objects and Maps rebuilt per call, or preallocated typed arrays.
 */
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { type WorkloadContext, type WorkloadInstance, type WorkloadModule, intParam, numberParam } from '../types.js'
import { type PortfolioSummary, generatePortfolio } from './generate.js'
import { analyzePortfolioNaive, buildNaivePortfolio, summarizeNaive } from './naive.js'
import { PortfolioAnalyzer } from './optimized.js'

export const descriptor: WorkloadDescriptor = {
  id: 'portfolio',
  title: 'Portfolio analytics',
  description:
    'For a seeded portfolio (mostly long, some shorts, some cash) on one of 16 consecutive snapshot days: market ' +
    "values, weights of NAV, gross and net exposure, each position's beta to the index and the portfolio beta, the " +
    'sample covariance matrix of the trailing daily returns, portfolio volatility sqrt(wᵀΣw), risk contributions ' +
    "w_i·(Σw)_i/σ_p (they add up to σ_p), and the annualized Sharpe ratio of the portfolio's daily returns.",
  operation: 'one full analytics computation of the portfolio on one snapshot day',
  variants: [
    {
      id: 'naive',
      title: 'Objects and Maps, recompute with allocation',
      description:
        'Map of position objects; every call slices windows, builds weight and beta Maps and an array-of-arrays covariance whose entries each recompute both means.',
      role: 'naive',
    },
    {
      id: 'optimized',
      title: 'Typed arrays, preallocated',
      description:
        'Float64Array history and scratch sized once; windows demeaned once per call, upper-triangle covariance, no allocation per call.',
      role: 'optimized',
    },
  ],
  defaultVariant: 'naive',
  params: {
    positions: { type: 'int', description: 'Positions in the portfolio.', default: 50, min: 10, max: 500 },
    historyDays: {
      type: 'int',
      description: 'Trailing daily returns used for covariance, beta and Sharpe.',
      default: 252,
      min: 20,
      max: 2520,
      unit: 'days',
    },
    riskFreeRate: { type: 'number', description: 'Annual risk-free rate for the Sharpe ratio.', default: 0.02, min: 0, max: 0.2 },
  },
  figureToBeat: '8 ms for 50 positions, 45 allocations',
}

export function createPortfolio(ctx: WorkloadContext): WorkloadInstance {
  const input = generatePortfolio(
    ctx.seed,
    intParam(ctx.params, 'positions'),
    intParam(ctx.params, 'historyDays'),
    numberParam(ctx.params, 'riskFreeRate'),
  )
  let snapshot = 0
  let sink = 0
  const consume = (volatility: number, sharpe: number): void => {
    sink += volatility + sharpe
    if (!Number.isFinite(sink)) throw new Error(`portfolio: non-finite analytics (σ ${volatility}, Sharpe ${sharpe})`)
  }
  const advance = (): number => {
    const k = snapshot
    snapshot = (snapshot + 1) % input.snapshots
    return k
  }

  if (ctx.variant === 'naive') {
    const portfolio = buildNaivePortfolio(input)
    return {
      opsPerIteration: 1,
      iterate: function analyzeNaive(): void {
        const a = analyzePortfolioNaive(portfolio, advance())
        consume(a.volatilityDaily, a.sharpe)
      },
      answer: (): PortfolioSummary[] => {
        const fresh = buildNaivePortfolio(input)
        return Array.from({ length: input.snapshots }, (_, k) => summarizeNaive(analyzePortfolioNaive(fresh, k)))
      },
    }
  }
  if (ctx.variant !== 'optimized') {
    throw new Error(`unknown variant ${ctx.variant} of portfolio (expected ${descriptor.variants.map((v) => v.id).join(', ')})`)
  }
  const analyzer = new PortfolioAnalyzer(input)
  return {
    opsPerIteration: 1,
    iterate: function analyzeTyped(): void {
      analyzer.analyze(advance())
      consume(analyzer.volatilityDaily, analyzer.sharpe)
    },
    answer: (): PortfolioSummary[] => {
      const fresh = new PortfolioAnalyzer(input)
      return Array.from({ length: input.snapshots }, (_, k) => {
        fresh.analyze(k)
        return fresh.summarize()
      })
    },
  }
}

export const workload: WorkloadModule = { descriptor, create: createPortfolio }
