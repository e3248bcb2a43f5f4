/**
 * order-validation: pre-trade risk checks (symbol allowlist, price bands, max order notional, position
 * limits, fat-finger size versus ADV) over seeded orders with planted violations. Linear scans or indices.
 */
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { fnv1a64 } from '../data/digest.js'
import { createRng } from '../data/prng.js'
import { type WorkloadContext, type WorkloadInstance, type WorkloadModule, intParam, numberParam } from '../types.js'
import { NO_COMPONENTS } from '../harness/components.js'
import { validateBatchNaive, validateOrderNaiveTimed } from './naive.js'
import { buildRiskIndex, reasonsOf, validateBatchIndexed, validateOrderIndexedTimed } from './optimized.js'
import {
  REASONS,
  RULE_COMPONENTS,
  type RejectReason,
  type RiskOrder,
  type ValidationAnswer,
  generatePlantedOrders,
  generateUniverse,
} from './rules.js'

export const descriptor: WorkloadDescriptor = {
  id: 'order-validation',
  title: 'Pre-trade order validation',
  description:
    'Runs every pre-trade risk check on seeded orders: symbol allowlist, price band around the reference price, ' +
    'max order notional per account, position limit per account and symbol after the fill, and a fat-finger ' +
    'size limit of 5% of ADV. A fraction of the orders is planted to break known rules; each decision is ' +
    'accepted or the full list of reasons.',
  operation: 'one order validated against all rules',
  variants: [
    {
      id: 'naive',
      title: 'Linear scans',
      description: 'Reference data as arrays of objects; each order finds its symbol, account, limit and positions with find/filter.',
      role: 'naive',
    },
    {
      id: 'optimized',
      title: 'Indexed',
      description: 'Maps from names to dense indices, typed-array columns, one integer key per (account, symbol); decisions as bit masks.',
      role: 'optimized',
    },
  ],
  defaultVariant: 'naive',
  params: {
    orders: { type: 'int', description: 'Seeded orders the batches cycle through.', default: 10_000, min: 10, max: 1_000_000 },
    batch: { type: 'int', description: 'Orders validated per timed iteration.', default: 200, min: 1, max: 100_000 },
    symbols: { type: 'int', description: 'Symbols on the allowlist.', default: 1000, min: 50, max: 20_000 },
    accounts: { type: 'int', description: 'Trading accounts.', default: 100, min: 10, max: 10_000 },
    positionsPerAccount: { type: 'int', description: 'Open positions per account.', default: 20, min: 1, max: 1000 },
    violationRate: { type: 'number', description: 'Fraction of orders planted to break at least one rule.', default: 0.1, min: 0, max: 1 },
  },
  figureToBeat: '< 0.1 ms per order',
  unit: 'orders',
  openLoop: { request: 'a batch of orders (batch, 1 under --rate unless given)', batchParam: 'batch' },
  // Budgets split the figure to beat, < 0.1 ms = 100 µs per order: 30 µs to each rule that searches the
  // reference data (the account, the allowlist, the pair's position and limit) and 3 µs to each comparison
  // on what they found (price band, notional, fat finger), 99 µs in all.
  components: [
    { id: RULE_COMPONENTS['unknown-account'], title: 'find the account (unknown-account)', budgetNs: 30_000 },
    { id: RULE_COMPONENTS['symbol-not-allowed'], title: 'find the symbol on the allowlist (symbol-not-allowed)', budgetNs: 30_000 },
    { id: RULE_COMPONENTS['price-band'], title: 'price within the band around the reference (price-band)', budgetNs: 3_000 },
    { id: RULE_COMPONENTS['max-notional'], title: 'order notional within the account maximum (max-notional)', budgetNs: 3_000 },
    { id: RULE_COMPONENTS['position-limit'], title: 'position after the fill within the limit (position-limit)', budgetNs: 30_000 },
    { id: RULE_COMPONENTS['fat-finger'], title: 'quantity within 5% of ADV (fat-finger)', budgetNs: 3_000 },
  ],
  memoryEstimate: { baseBytes: 48 * 1024 ** 2, perParam: { orders: 400, symbols: 300, accounts: 200 } },
}

function summarizeDecisions(orders: readonly RiskOrder[], reasonsAt: (i: number) => readonly RejectReason[]): ValidationAnswer {
  const byReason = Object.fromEntries(REASONS.map((r) => [r, 0])) as Record<RejectReason, number>
  let accepted = 0
  const decisions: string[] = []
  for (let i = 0; i < orders.length; i++) {
    const reasons = reasonsAt(i)
    if (reasons.length === 0) accepted++
    for (const r of reasons) byReason[r]++
    decisions.push(reasons.length === 0 ? 'ok' : reasons.join('+'))
  }
  return { orders: orders.length, accepted, rejected: orders.length - accepted, byReason, decisionsDigest: fnv1a64(decisions.join(',')) }
}

/**
 * With components on, one order in this many has each rule timed (11 clock reads and 6 histogram records,
 * ~1 µs back to back). Measured on this 2-core machine, ns per order with components on against off
 * (medians of 4-5 processes each): the naive validator (~11 µs per order) at 1 in 13 is within noise
 * (11.0 against 11.1 µs); the indexed one (~71 ns) was ~7% slower at 1 in 1,021, far more than ~1 µs per
 * timed order predicts, and +0.6% (71.2 against 70.8 ns) at 1 in 4,093, which still times ~3,000 orders a
 * second. Prime, so the timed orders walk through every seeded order as the batches cycle (default 10,000
 * orders) instead of repeating a few.
 */
export const SAMPLE_EVERY = { naive: 13, optimized: 4093 } as const

/** A countdown to the next timed order, carried across batches. */
interface Sampler {
  /** The next timed order is this many orders ahead (1 = the next one). */
  until: number
}

/**
 * Validates `count` orders from `cursor` (wrapping at `n`): in untimed stretches with `plain`, and every
 * sampler period-th order with `timed`, outside the stretches. Returns the rejections.
 */
function validateSampled(
  sampler: Sampler,
  every: number,
  cursor: number,
  count: number,
  n: number,
  plain: (from: number, count: number) => number,
  timed: (i: number) => boolean,
): number {
  let rejected = 0
  let at = cursor
  let left = count
  while (left > 0) {
    const stretch = Math.min(left, sampler.until - 1)
    if (stretch > 0) {
      rejected += plain(at, stretch)
      at = (at + stretch) % n
      left -= stretch
      sampler.until -= stretch
      if (left === 0) break
    }
    if (!timed(at)) rejected++
    at = (at + 1) % n
    left--
    sampler.until = every
  }
  return rejected
}

export function createOrderValidation(ctx: WorkloadContext): WorkloadInstance {
  const orderCount = intParam(ctx.params, 'orders')
  const batch = intParam(ctx.params, 'batch')
  const universe = generateUniverse(createRng(ctx.seed), {
    symbols: intParam(ctx.params, 'symbols'),
    accounts: intParam(ctx.params, 'accounts'),
    positionsPerAccount: intParam(ctx.params, 'positionsPerAccount'),
  })
  const { orders } = generatePlantedOrders(ctx.seed, universe, orderCount, numberParam(ctx.params, 'violationRate'))
  let cursor = 0
  // The loop's consumed result: rejections seen, which can never exceed the orders validated.
  let validated = 0
  let rejectedSeen = 0
  const consume = (rejected: number): void => {
    validated += batch
    rejectedSeen += rejected
    if (rejectedSeen > validated) throw new Error(`order-validation: ${rejectedSeen} rejections for ${validated} orders`)
  }

  const components = ctx.components ?? NO_COMPONENTS

  if (ctx.variant === 'naive') {
    const every = SAMPLE_EVERY.naive
    const sampler: Sampler = { until: every }
    const plain = (from: number, count: number): number => {
      let rejected = 0
      for (const r of validateBatchNaive(orders, universe, from, count)) if (!r.accepted) rejected++
      return rejected
    }
    const timed = (i: number): boolean => validateOrderNaiveTimed(orders[i]!, universe, components, every).accepted
    return {
      opsPerIteration: batch,
      iterate: function validateOrdersNaive(): void {
        // The harness switches the recorder on and off between iterations, never inside one.
        const rejected = components.active ? validateSampled(sampler, every, cursor, batch, orderCount, plain, timed) : plain(cursor, batch)
        cursor = (cursor + batch) % orderCount
        consume(rejected)
      },
      answer: () => {
        const results = validateBatchNaive(orders, universe, 0, orderCount)
        return summarizeDecisions(orders, (i) => results[i]!.reasons)
      },
    }
  }
  if (ctx.variant !== 'optimized') {
    throw new Error(`unknown variant ${ctx.variant} of order-validation (expected ${descriptor.variants.map((v) => v.id).join(', ')})`)
  }
  const index = buildRiskIndex(universe)
  const masks = new Uint8Array(orderCount)
  const every = SAMPLE_EVERY.optimized
  const sampler: Sampler = { until: every }
  const plain = (from: number, count: number): number => validateBatchIndexed(orders, index, from, count, masks)
  const timed = (i: number): boolean => (masks[i] = validateOrderIndexedTimed(orders[i]!, index, components, every)) === 0
  return {
    opsPerIteration: batch,
    iterate: function validateOrdersIndexed(): void {
      consume(components.active ? validateSampled(sampler, every, cursor, batch, orderCount, plain, timed) : plain(cursor, batch))
      cursor = (cursor + batch) % orderCount
    },
    answer: () => {
      const fresh = new Uint8Array(orderCount)
      validateBatchIndexed(orders, buildRiskIndex(universe), 0, orderCount, fresh)
      return summarizeDecisions(orders, (i) => reasonsOf(fresh[i]!))
    },
  }
}

export const workload: WorkloadModule = { descriptor, create: createOrderValidation }
