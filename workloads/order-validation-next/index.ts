/**
 * order-validation: pre-trade risk checks (restricted list, price band, max notional, fat finger,
 * position limit) over a seeded order flow, with lookups by linear scan or through indices.
 */
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { fnv1a64, canonicalJson } from '../data/digest.js'
import { type WorkloadContext, type WorkloadInstance, type WorkloadModule, intParam, numberParam } from '../types.js'
import { type Order, type OrderFlow, REASONS, type Reason, type Universe, generateOrderFlow } from './flow.js'
import { createIndexedValidator } from './indexed.js'
import { createLinearValidator } from './linear.js'
import type { OrderValidator } from './validator.js'

export const descriptor: WorkloadDescriptor = {
  id: 'order-validation',
  title: 'Order validation',
  description:
    'Pre-trade risk checks on a seeded order stream: restricted symbols, price band around the reference price, ' +
    'maximum notional per order, fat finger (quantity over 1% of average daily volume) and position limit per ' +
    'account and symbol after the fill. Accepted orders fill at once, so each check sees the positions left by ' +
    'the orders before it. Violations of each rule are planted at known indices.',
  operation: 'validating one order',
  variants: [
    {
      id: 'linear',
      title: 'Linear scans',
      description: 'Symbols, band rules, accounts, restrictions and positions in arrays of objects, found with Array.find per order.',
      role: 'naive',
    },
    {
      id: 'indexed',
      title: 'Indexed',
      description: 'Maps from symbol and account to dense indices, limits in typed arrays, positions in one Float64Array, a Set of restrictions.',
      role: 'optimized',
    },
  ],
  defaultVariant: 'linear',
  params: {
    symbols: { type: 'int', description: 'Symbols in the universe (2% restricted).', default: 500, min: 10, max: 5000 },
    accounts: { type: 'int', description: 'Trading accounts, each with its own notional and position limits.', default: 50, min: 1, max: 500 },
    orders: { type: 'int', description: 'Length of the seeded order stream, replayed from the start when exhausted.', default: 20_000, min: 100, max: 1_000_000 },
    rejectRate: { type: 'number', description: 'Share of orders planted to break exactly one rule.', default: 0.05, min: 0, max: 0.5 },
  },
  figureToBeat: '< 0.1 ms per order',
}

const OPS_PER_ITERATION = 1000
/** How many rejections the answer lists one by one; all are counted. */
const LISTED_REJECTIONS = 100

export interface OrderValidationAnswer {
  orders: number
  accepted: number
  rejected: number
  byReason: Record<Reason, number>
  firstRejections: { index: number; reasons: Reason[] }[]
  positions: { count: number; netQty: number; digest: string }
}

export function createValidator(variant: string, universe: Universe): OrderValidator {
  if (variant === 'linear') return createLinearValidator(universe)
  if (variant === 'indexed') return createIndexedValidator(universe)
  throw new Error(`unknown variant ${variant} of order-validation (expected ${descriptor.variants.map((v) => v.id).join(', ')})`)
}

/** Runs the whole stream through a validator from the starting positions. */
export function validateStream(validator: OrderValidator, orders: readonly Order[]): OrderValidationAnswer {
  validator.reset()
  const byReason = Object.fromEntries(REASONS.map((r) => [r, 0])) as Record<Reason, number>
  const firstRejections: OrderValidationAnswer['firstRejections'] = []
  let accepted = 0
  for (let i = 0; i < orders.length; i++) {
    const reasons = validator.validate(orders[i]!)
    if (reasons.length === 0) {
      accepted++
      continue
    }
    for (const r of reasons) byReason[r]++
    if (firstRejections.length < LISTED_REJECTIONS) firstRejections.push({ index: i, reasons: [...reasons] })
  }
  const positions = validator.positions()
  return {
    orders: orders.length,
    accepted,
    rejected: orders.length - accepted,
    byReason,
    firstRejections,
    positions: { count: positions.length, netQty: positions.reduce((s, p) => s + p[2], 0), digest: fnv1a64(canonicalJson(positions)) },
  }
}

export function generateFlowFor(ctx: WorkloadContext): OrderFlow {
  const p = ctx.params
  return generateOrderFlow(ctx.seed, intParam(p, 'symbols'), intParam(p, 'accounts'), intParam(p, 'orders'), numberParam(p, 'rejectRate'))
}

export function createOrderValidation(ctx: WorkloadContext): WorkloadInstance & { readonly flow: OrderFlow; acceptedSoFar(): number } {
  const flow = generateFlowFor(ctx)
  const validator = createValidator(ctx.variant, flow.universe)
  const orders = flow.orders
  let cursor = 0
  let acceptedSink = 0
  return {
    opsPerIteration: OPS_PER_ITERATION,
    flow,
    iterate() {
      for (let k = 0; k < OPS_PER_ITERATION; k++) {
        // Replaying the stream from the starting positions keeps every pass the same work.
        if (cursor === orders.length) {
          cursor = 0
          validator.reset()
        }
        if (validator.validate(orders[cursor++]!).length === 0) acceptedSink++
      }
    },
    acceptedSoFar: () => acceptedSink,
    answer: () => validateStream(createValidator(ctx.variant, flow.universe), orders),
  }
}

export const workload: WorkloadModule = { descriptor, create: createOrderValidation }
