/**
 * orderbook: an L2 book fed a seeded stream of level updates, with top-of-book reads and periodic
 * walks of one side for a quantity; a heap rebuilt per update against sorted typed arrays.
 */
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { type WorkloadContext, type WorkloadInstance, type WorkloadModule, intParam } from '../types.js'
import type { L2Book, WalkResult } from './book.js'
import { ASK, BID, type UpdateStream, generateUpdateStream } from './generate.js'
import { HeapBook } from './naive.js'
import { SortedBook } from './sorted.js'

export const descriptor: WorkloadDescriptor = {
  id: 'orderbook',
  title: 'L2 order book',
  description:
    'Applies a seeded stream of L2 level updates (price in ticks, size in lots, size 0 deletes the level) ' +
    'around a random-walking mid, reads the best bid and ask after each, and every `walkEvery` updates ' +
    'walks one side for `walkQty` lots (average fill price, filled, unfilled).',
  operation: 'one L2 level update (plus its share of the periodic book walks)',
  variants: [
    {
      id: 'naive',
      title: 'Rebuilt heap',
      description:
        'A Map of sizes per side and a binary heap of prices heapified again from the Map after every update; walks pop from a copy of the heap.',
      role: 'naive',
    },
    {
      id: 'sorted',
      title: 'Sorted typed arrays',
      description: 'Sorted Int32Array/Float64Array levels per side, best level last; binary-search insert and delete, walks scan in order.',
      role: 'optimized',
    },
  ],
  defaultVariant: 'naive',
  params: {
    levels: { type: 'int', description: 'Initial depth of each side.', default: 200, min: 10, max: 5000, unit: 'levels' },
    updatesPerIteration: { type: 'int', description: 'Level updates applied by one iteration.', default: 1000, min: 1, max: 1_000_000 },
    walkEvery: {
      type: 'int',
      description: 'A book walk after every this many updates (alternating sides).',
      default: 50,
      min: 1,
      max: 1_000_000,
    },
    walkQty: { type: 'int', description: 'Quantity each walk tries to fill.', default: 5000, min: 1, max: 100_000_000, unit: 'lots' },
  },
  figureToBeat: 'update 30 µs p99, walk 5 µs',
}

/** Random updates in the stream before the closing ones: enough to wander well away from the start. */
export function streamEvents(levels: number): number {
  return Math.max(20_000, 10 * levels)
}

export function createBook(variant: string, stream: UpdateStream): L2Book {
  switch (variant) {
    case 'naive':
      return new HeapBook(stream.initialBids, stream.initialAsks)
    case 'sorted':
      return new SortedBook(stream.initialBids, stream.initialAsks)
    default:
      throw new Error(`unknown variant ${variant} of orderbook (expected ${descriptor.variants.map((v) => v.id).join(', ')})`)
  }
}

const CHECKPOINTS = 16

function roundWalk(w: WalkResult): WalkResult {
  return { avgPrice: Math.round(w.avgPrice * 1e9) / 1e9, filled: w.filled, unfilled: w.unfilled }
}

/** Replays the whole stream once on a fresh book, walking both sides at evenly spaced checkpoints. */
export function replayAnswer(variant: string, stream: UpdateStream, walkQty: number): unknown {
  const book = createBook(variant, stream)
  const step = Math.max(1, Math.floor(stream.length / CHECKPOINTS))
  const checkpoints: unknown[] = []
  for (let i = 0; i < stream.length; i++) {
    book.update(stream.sides[i] as 0 | 1, stream.prices[i]!, stream.sizes[i]!)
    if ((i + 1) % step === 0) {
      checkpoints.push({
        update: i + 1,
        bestBid: book.bestBid(),
        bestAsk: book.bestAsk(),
        bidLevels: book.levelCount(BID),
        askLevels: book.levelCount(ASK),
        sellWalk: roundWalk(book.walkBook(BID, walkQty)),
        buyWalk: roundWalk(book.walkBook(ASK, walkQty)),
      })
    }
  }
  return {
    updates: stream.length,
    bestBid: book.bestBid(),
    bestAsk: book.bestAsk(),
    bidLevels: book.levelCount(BID),
    askLevels: book.levelCount(ASK),
    checkpoints,
  }
}

export function createOrderbook(ctx: WorkloadContext): WorkloadInstance {
  const levels = intParam(ctx.params, 'levels')
  const updatesPerIteration = intParam(ctx.params, 'updatesPerIteration')
  const walkEvery = intParam(ctx.params, 'walkEvery')
  const walkQty = intParam(ctx.params, 'walkQty')
  const stream = generateUpdateStream(ctx.seed, levels, streamEvents(levels))
  const book = createBook(ctx.variant, stream)
  const { sides, prices, sizes, length } = stream
  let cursor = 0
  let applied = 0
  let sink = 0

  return {
    opsPerIteration: updatesPerIteration,
    iterate(): void {
      for (let k = 0; k < updatesPerIteration; k++) {
        book.update(sides[cursor] as 0 | 1, prices[cursor]!, sizes[cursor]!)
        // The stream closes back on the initial book, so wrapping around keeps it consistent.
        if (++cursor === length) cursor = 0
        // A consumer reads the touch after every update.
        sink += book.bestAsk() - book.bestBid()
        if (++applied % walkEvery === 0) {
          const w = book.walkBook((applied / walkEvery) % 2 === 0 ? BID : ASK, walkQty)
          sink += w.avgPrice + w.unfilled
        }
      }
      if (sink === Number.POSITIVE_INFINITY) throw new Error('orderbook: impossible sink value')
    },
    answer: () => replayAnswer(ctx.variant, stream, walkQty),
  }
}

export const workload: WorkloadModule = { descriptor, create: (ctx) => createOrderbook(ctx) }
