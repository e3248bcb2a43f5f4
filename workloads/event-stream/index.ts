/**
 * event-stream: a seeded binary feed of order-book deltas and trades with planted sequence gaps, read
 * event by event: gap detection, per-symbol L2 books, 1-second OHLCV candles. Event objects or columnar
 * batches. With workers > 1 each worker is a symbol shard over the shared feed.
 */
import { type WorkloadDescriptor, checkParamRules } from '../../core/model/workload.js'
import { createWorkerPool, siblingModuleUrl } from '../harness/worker-pool.js'
import { type WorkloadContext, type WorkloadInstance, type WorkloadModule, intParam } from '../types.js'
import { createProcessor, isEventStreamVariant, planBatch, runPlan, snapshotWholeStream } from './engine.js'
import { generateEventStream } from './generate.js'
import { type EventStreamAnswer, summarizeSnapshots } from './processor.js'
import type { tasks } from './worker-tasks.js'

export const descriptor: WorkloadDescriptor = {
  id: 'event-stream',
  title: 'Order-book event stream',
  description:
    'A seeded feed of fixed 20-byte little-endian records (bid/ask level deltas and trades, with feed sequence numbers) ' +
    'and a planted set of sequence gaps. Each event is decoded, its sequence number checked (gaps recorded, duplicates ' +
    'skipped), deltas applied to per-symbol L2 books and trades rolled into 1-second OHLCV candles. The answer lists ' +
    'the gaps, and per symbol the top of book, level counts, sizes and a digest of its candles.',
  operation: 'one event (an iteration processes batchEvents events, wrapping to the start of the feed)',
  variants: [
    {
      id: 'naive',
      title: 'Event objects',
      description:
        'Each record decoded to an object (ticker string, float price); books keyed by price strings; candles in a Map keyed by "TICKER|second".',
      role: 'naive',
    },
    {
      id: 'optimized',
      title: 'Columnar batches',
      description:
        'Records decoded 4,096 at a time into typed-array columns, then sequence, book and candle passes; integer-tick keys; open candles in typed arrays; no per-event allocation.',
      role: 'optimized',
    },
  ],
  defaultVariant: 'naive',
  params: {
    events: { type: 'int', description: 'Events in the generated feed.', default: 500_000, min: 1_000, max: 20_000_000 },
    batchEvents: { type: 'int', description: 'Events processed per iteration.', default: 50_000, min: 100, max: 5_000_000 },
    symbols: { type: 'int', description: 'Symbols in the feed.', default: 20, min: 1, max: 10_000 },
    gaps: { type: 'int', description: 'Sequence gaps planted in the feed (each 1–8 missing numbers).', default: 25, min: 0, max: 100_000 },
    eventsPerSecond: {
      type: 'int',
      description: 'Mean event rate of the feed clock (sets trades per candle).',
      default: 2_000,
      min: 1,
      max: 10_000_000,
    },
    workers: {
      type: 'int',
      description: 'Worker threads, each owning the symbols with id % workers = its index; 1 reads in the calling thread.',
      default: 1,
      min: 1,
      max: 16,
    },
  },
  figureToBeat: '12.97 M events/s',
  unit: 'events',
  openLoop: { request: 'a batch of batchEvents events (100 under --rate unless given)', batchParam: 'batchEvents' },
  // Budgets split the figure to beat, 12.97 M events/s = 77 ns per event, over the four stages.
  components: [
    { id: 'parse', title: 'decode the 20-byte record', budgetNs: 25 },
    { id: 'gap', title: 'sequence-gap check', budgetNs: 10 },
    { id: 'apply', title: 'apply a delta to the L2 book', budgetNs: 30 },
    { id: 'candle', title: 'roll a trade into its 1-second candle', budgetNs: 12 },
  ],
  rules: [{ left: ['gaps'], op: '<', right: ['events'], reason: 'each gap skips a sequence number between two events' }],
  // The feed is 20 bytes per event; the naive variant's books and candles add ~100 bytes per event at most.
  memoryEstimate: { baseBytes: 48 * 1024 ** 2, perParam: { events: 128 } },
}

export async function createEventStream(ctx: WorkloadContext): Promise<WorkloadInstance> {
  const { variant } = ctx
  if (!isEventStreamVariant(variant)) {
    throw new Error(`unknown variant ${variant} of event-stream (expected ${descriptor.variants.map((v) => v.id).join(', ')})`)
  }
  const events = intParam(ctx.params, 'events')
  const batch = intParam(ctx.params, 'batchEvents')
  const symbols = intParam(ctx.params, 'symbols')
  const gaps = intParam(ctx.params, 'gaps')
  const eventsPerSecond = intParam(ctx.params, 'eventsPerSecond')
  const workers = intParam(ctx.params, 'workers')
  const broken = checkParamRules(descriptor, ctx.params)
  if (broken.length > 0) throw new Error(`event-stream: ${broken.map((p) => p.message).join('; ')}`)
  const stream = generateEventStream(ctx.seed, { events, symbols, gaps, eventsPerSecond, shared: workers > 1 })
  let cursor = 0

  if (workers === 1) {
    const processor = createProcessor(variant, stream, { index: 0, count: 1 }, ctx.components)
    return {
      opsPerIteration: batch,
      iterate(): void {
        const plan = planBatch(cursor, batch, events)
        runPlan(processor, plan.steps)
        cursor = plan.cursor
      },
      answer(): EventStreamAnswer {
        cursor = 0
        return summarizeSnapshots([snapshotWholeStream(processor, events)])
      },
    }
  }

  const pool = await createWorkerPool<typeof tasks>({
    size: workers,
    tasksUrl: siblingModuleUrl(import.meta.url, 'worker-tasks'),
    name: 'event-stream',
  })
  try {
    await pool.runOnEach('setup', () => ({ variant, stream }))
  } catch (err) {
    await pool.close()
    throw err
  }
  return {
    opsPerIteration: batch,
    async iterate(): Promise<void> {
      const plan = planBatch(cursor, batch, events)
      await pool.runOnEach('run', () => plan.steps)
      cursor = plan.cursor
    },
    async answer(): Promise<EventStreamAnswer> {
      cursor = 0
      return summarizeSnapshots(await pool.runOnEach('wholeStream', () => undefined))
    },
    close: () => pool.close(),
  }
}

export const workload: WorkloadModule = { descriptor, create: createEventStream }
