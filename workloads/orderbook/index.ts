/**
 * orderbook: an L2 book replaying a seeded stream of level updates, reading the touch after each one and
 * walking a side with a market order every K updates. Binary heap with rebuilds, or sorted typed arrays.
 */
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { ASK, type BookScript, generateBookScript } from '../data/book-events.js'
import { fnv1a64 } from '../data/digest.js'
import { type WorkloadContext, type WorkloadInstance, type WorkloadModule, intParam } from '../types.js'
import { type BookSide, type L2Book, type WalkResult, roundSig } from './book.js'
import { HeapBook, type LevelUpdate } from './naive.js'
import { SortedBook } from './optimized.js'

export const descriptor: WorkloadDescriptor = {
  id: 'orderbook',
  title: 'L2 order book',
  description:
    'Replays a seeded, top-heavy stream of L2 level updates (set a level, size 0 deletes it) against a book ' +
    'of integer-tick prices, reads the best bid and ask after every update, and every K updates walks one side ' +
    '(alternating) with a market order, returning the average fill price, the filled and the unfilled size.',
  operation: 'one level update with a best bid/ask read (plus one book walk every walkEvery updates)',
  variants: [
    {
      id: 'naive',
      title: 'Binary heap, rebuilt on delete',
      description:
        'Map of level objects plus a binary heap per side; deleting a level re-heapifies the survivors and a walk pops a copy of the heap.',
      role: 'naive',
    },
    {
      id: 'optimized',
      title: 'Sorted typed arrays',
      description:
        'Keys and sizes in sorted Int32Array/Float64Array with the touch at the end, galloping search, copyWithin shifts; walks read in place.',
      role: 'optimized',
    },
  ],
  defaultVariant: 'naive',
  params: {
    levels: {
      type: 'int',
      description: 'Book depth per side the stream hovers around.',
      default: 1000,
      min: 10,
      max: 50_000,
      unit: 'levels',
    },
    updatesPerIteration: { type: 'int', description: 'Level updates applied per timed iteration.', default: 1000, min: 1, max: 100_000 },
    walkEvery: { type: 'int', description: 'Walk the book once every this many updates.', default: 10, min: 1, max: 100_000 },
    walkQty: {
      type: 'int',
      description: 'Size of each walking market order (levels average ~200 lots).',
      default: 5000,
      min: 1,
      max: 10_000_000,
      unit: 'lots',
    },
  },
  figureToBeat: 'update 30 µs p99, walk 5 µs',
  unit: 'updates',
  openLoop: { request: 'a batch of updatesPerIteration level updates', batchParam: 'updatesPerIteration' },
  // Measured: ~45 MB for the harness and the 32k-update script, then ~2 KB per level (both books, script depth).
  memoryEstimate: { baseBytes: 48 * 1024 ** 2, perParam: { levels: 2048 } },
}

/** Random updates in the stream before the closing ones; the replay cycles through all of them. */
export const STREAM_EVENTS = 1 << 15

/** The workload's answer: one full replay of the stream from the initial book. */
export interface OrderbookAnswer {
  updates: number
  walks: number
  /** Sums of the touch read after every update, in ticks (integers, exact). */
  bestBidSum: number
  bestAskSum: number
  filledSum: number
  unfilledSum: number
  avgPriceSum: number
  /** FNV-1a of every walk's average price, in order. */
  walkDigest: string
  /** Top five levels per side after the random part of the stream, before the closing updates. */
  topBids: Array<[number, number]>
  topAsks: Array<[number, number]>
  depthAfterRandom: [number, number]
  /** The book must be back to its initial state after the closing updates. */
  restored: boolean
}

function seedBook(book: L2Book, script: BookScript): void {
  for (const [p, s] of script.initialBids) book.applyUpdate('bid', p, s)
  for (const [p, s] of script.initialAsks) book.applyUpdate('ask', p, s)
}

/** One pass over the whole stream through the generic interface; identical for both variants. */
function replayForAnswer(book: L2Book, script: BookScript, walkEvery: number, walkQty: number): OrderbookAnswer {
  seedBook(book, script)
  let bestBidSum = 0
  let bestAskSum = 0
  let walks = 0
  let filledSum = 0
  let unfilledSum = 0
  let avgPriceSum = 0
  const prices: string[] = []
  let snapshot: Pick<OrderbookAnswer, 'topBids' | 'topAsks' | 'depthAfterRandom'> | undefined
  for (let i = 0; i < script.length; i++) {
    if (i === script.closingFrom) snapshot = takeSnapshot(book)
    book.applyUpdate(script.sides[i] === ASK ? 'ask' : 'bid', script.prices[i]!, script.sizes[i]!)
    bestBidSum += book.bestBid()
    bestAskSum += book.bestAsk()
    if ((i + 1) % walkEvery === 0) {
      const w = book.walkBook(walks % 2 === 0 ? 'bid' : 'ask', walkQty)
      walks++
      filledSum += w.filled
      unfilledSum += w.unfilled
      avgPriceSum += w.avgPrice
      prices.push(String(w.avgPrice))
    }
  }
  const restored =
    JSON.stringify(book.levels('bid')) === JSON.stringify(script.initialBids) &&
    JSON.stringify(book.levels('ask')) === JSON.stringify(script.initialAsks)
  return {
    updates: script.length,
    walks,
    bestBidSum,
    bestAskSum,
    filledSum,
    unfilledSum,
    avgPriceSum: roundSig(avgPriceSum),
    walkDigest: fnv1a64(prices.join(',')),
    ...(snapshot ?? takeSnapshot(book)),
    restored,
  }
}

function takeSnapshot(book: L2Book): Pick<OrderbookAnswer, 'topBids' | 'topAsks' | 'depthAfterRandom'> {
  return {
    topBids: book.levels('bid').slice(0, 5),
    topAsks: book.levels('ask').slice(0, 5),
    depthAfterRandom: [book.depth('bid'), book.depth('ask')],
  }
}

/** Both variants keep a cursor into the cyclic stream and a running sink the loop must produce. */
interface ReplayState {
  cursor: number
  sinceWalk: number
  walks: number
  sink: number
}

function checkSink(state: ReplayState): void {
  if (!Number.isFinite(state.sink)) throw new Error(`orderbook: book lost its touch (sink ${state.sink})`)
}

function createNaiveReplay(script: BookScript, updatesPerIteration: number, walkEvery: number, walkQty: number): () => void {
  const book = new HeapBook()
  seedBook(book, script)
  // The naive consumer gets one object per message, as from JSON.parse of a feed.
  const updates: LevelUpdate[] = Array.from({ length: script.length }, (_, i) => ({
    side: script.sides[i] === ASK ? 'ask' : 'bid',
    price: script.prices[i]!,
    size: script.sizes[i]!,
  }))
  const state: ReplayState = { cursor: 0, sinceWalk: 0, walks: 0, sink: 0 }
  return function applyUpdatesNaive(): void {
    for (let u = 0; u < updatesPerIteration; u++) {
      const update = updates[state.cursor]!
      book.applyUpdate(update.side, update.price, update.size)
      state.sink += book.bestAsk() - book.bestBid()
      if (++state.cursor === updates.length) state.cursor = 0
      if (++state.sinceWalk === walkEvery) {
        state.sinceWalk = 0
        const side: BookSide = state.walks++ % 2 === 0 ? 'bid' : 'ask'
        const w: WalkResult = book.walkBook(side, walkQty)
        state.sink += w.avgPrice + w.unfilled
      }
    }
    checkSink(state)
  }
}

function createSortedReplay(script: BookScript, updatesPerIteration: number, walkEvery: number, walkQty: number): () => void {
  const book = new SortedBook()
  seedBook(book, script)
  const { sides, prices, sizes, length } = script
  const state: ReplayState = { cursor: 0, sinceWalk: 0, walks: 0, sink: 0 }
  return function applyUpdatesSorted(): void {
    let cursor = state.cursor
    let sink = state.sink
    for (let u = 0; u < updatesPerIteration; u++) {
      book.applyLevel(sides[cursor]!, prices[cursor]!, sizes[cursor]!)
      sink += book.bestAsk() - book.bestBid()
      if (++cursor === length) cursor = 0
      if (++state.sinceWalk === walkEvery) {
        state.sinceWalk = 0
        const w = book.walkShared(state.walks++ % 2, walkQty)
        sink += w.avgPrice + w.unfilled
      }
    }
    state.cursor = cursor
    state.sink = sink
    checkSink(state)
  }
}

export function createOrderbook(ctx: WorkloadContext): WorkloadInstance {
  const levels = intParam(ctx.params, 'levels')
  const updatesPerIteration = intParam(ctx.params, 'updatesPerIteration')
  const walkEvery = intParam(ctx.params, 'walkEvery')
  const walkQty = intParam(ctx.params, 'walkQty')
  const makeBook: () => L2Book =
    ctx.variant === 'naive' ? () => new HeapBook() : ctx.variant === 'optimized' ? () => new SortedBook() : unknownVariant(ctx.variant)
  const script = generateBookScript(ctx.seed, { levels, events: STREAM_EVENTS })
  const iterate =
    ctx.variant === 'naive'
      ? createNaiveReplay(script, updatesPerIteration, walkEvery, walkQty)
      : createSortedReplay(script, updatesPerIteration, walkEvery, walkQty)
  return {
    opsPerIteration: updatesPerIteration,
    iterate,
    answer: () => replayForAnswer(makeBook(), script, walkEvery, walkQty),
  }
}

function unknownVariant(variant: string): never {
  throw new Error(`unknown variant ${variant} of orderbook (expected ${descriptor.variants.map((v) => v.id).join(', ')})`)
}

export const workload: WorkloadModule = { descriptor, create: createOrderbook }
