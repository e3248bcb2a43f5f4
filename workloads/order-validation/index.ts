/**
 * order-validation: pre-trade risk checks (symbol allowlist, price bands, max order notional, position
 * limits, fat-finger size versus ADV) over seeded orders with planted violations. Linear scans or indices.
 */
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { fnv1a64 } from '../data/digest.js'
import { createRng } from '../data/prng.js'
import { type WorkloadContext, type WorkloadInstance, type WorkloadModule, intParam, numberParam } from '../types.js'
import { validateBatchNaive } from './naive.js'
import { buildRiskIndex, reasonsOf, validateBatchIndexed } from './optimized.js'
import { REASONS, type RejectReason, type RiskOrder, type ValidationAnswer, generatePlantedOrders, generateUniverse } from './rules.js'

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

  if (ctx.variant === 'naive') {
    return {
      opsPerIteration: batch,
      iterate: function validateOrdersNaive(): void {
        const results = validateBatchNaive(orders, universe, cursor, batch)
        cursor = (cursor + batch) % orderCount
        let rejected = 0
        for (const r of results) if (!r.accepted) rejected++
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
  return {
    opsPerIteration: batch,
    iterate: function validateOrdersIndexed(): void {
      consume(validateBatchIndexed(orders, index, cursor, batch, masks))
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
