/**
 * portfolio: risk analytics of a seeded long/short book (exposures, weights, betas, covariance,
 * volatility, risk contributions, Sharpe), on objects and maps or on typed arrays.
 */
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { type WorkloadContext, type WorkloadInstance, type WorkloadModule, intParam, numberParam } from '../types.js'
import { type PortfolioAnalytics, type PortfolioInput, generatePortfolio, roundAnalytics } from './data.js'
import { type PortfolioEngine, createObjectsEngine } from './objects.js'
import { createTypedEngine } from './typed.js'

export const descriptor: WorkloadDescriptor = {
  id: 'portfolio',
  title: 'Portfolio analytics',
  description:
    'For a seeded long/short portfolio with a daily return history: market values, weights, gross/net/long/short ' +
    'exposure, each position\'s beta to the index and the portfolio beta, the sample covariance matrix, portfolio ' +
    'volatility sqrt(wᵀΣw), per-position risk contributions (summing to the volatility) and the annualized Sharpe ratio.',
  operation: 'one full analytics computation',
  variants: [
    {
      id: 'objects',
      title: 'Objects and maps',
      description: 'Positions in a Map, the history as daily row objects, every covariance entry (both triangles) from its own means and a fresh product array summed with reduce.',
      role: 'naive',
    },
    {
      id: 'typed-arrays',
      title: 'Typed arrays',
      description: 'Row-major Float64Array returns demeaned once, covariance over the upper triangle, buffers reused, no allocation per run.',
      role: 'optimized',
    },
  ],
  defaultVariant: 'objects',
  params: {
    positions: { type: 'int', description: 'Positions in the portfolio (about 15% short).', default: 50, min: 10, max: 500 },
    historyDays: { type: 'int', description: 'Daily returns in the history.', default: 252, min: 20, max: 2520, unit: 'days' },
    riskFreeRate: { type: 'number', description: 'Annual risk-free rate for the Sharpe ratio.', default: 0.04, min: 0, max: 0.2 },
  },
  figureToBeat: '8 ms for 50 positions, 45 allocations',
}

export function createEngine(variant: string, input: PortfolioInput): PortfolioEngine {
  if (variant === 'objects') return createObjectsEngine(input)
  if (variant === 'typed-arrays') return createTypedEngine(input)
  throw new Error(`unknown variant ${variant} of portfolio (expected ${descriptor.variants.map((v) => v.id).join(', ')})`)
}

/** The analytics of an input by a variant, rounded as the answer is. */
export function analyzePortfolio(variant: string, input: PortfolioInput): PortfolioAnalytics {
  return roundAnalytics(createEngine(variant, input).result())
}

export function createPortfolio(ctx: WorkloadContext): WorkloadInstance & { readonly input: PortfolioInput; volatilitySum(): number } {
  const input = generatePortfolio(ctx.seed, intParam(ctx.params, 'positions'), intParam(ctx.params, 'historyDays'), numberParam(ctx.params, 'riskFreeRate'))
  const engine = createEngine(ctx.variant, input)
  let volatilitySum = 0
  return {
    opsPerIteration: 1,
    input,
    volatilitySum: () => volatilitySum,
    iterate() {
      volatilitySum += engine.run()
    },
    answer: () => analyzePortfolio(ctx.variant, input),
  }
}

export const workload: WorkloadModule = { descriptor, create: createPortfolio }
