/**
 * The timed loops of both order-book variants: replay the cyclic update stream, read the touch after every
 * update and walk a side every walkEvery updates; with components on, time a sampled subset of updates and walks.
 */
import { ASK, type BookScript } from '../data/book-events.js'
import { type ComponentRecorder, NO_COMPONENTS } from '../harness/components.js'
import type { BookSide, L2Book, WalkResult } from './book.js'
import { HeapBook, type LevelUpdate } from './naive.js'
import { SortedBook } from './optimized.js'

export function seedBook(book: L2Book, script: BookScript): void {
  for (const [p, s] of script.initialBids) book.applyUpdate('bid', p, s)
  for (const [p, s] of script.initialAsks) book.applyUpdate('ask', p, s)
}

/** Where a replay is in the cyclic stream, and the running sink its loop must produce. */
export interface ReplayState {
  cursor: number
  /** Updates since the last walk. */
  sinceWalk: number
  /** Walks so far; even walks sell into the bids, odd ones buy from the asks. */
  walks: number
  sink: number
  /** The next timed update is this many updates ahead (1 = the next one); components only. */
  untilTimedUpdate: number
}

/**
 * How often each variant times its components: one update in `update` and one walk in `walk`. Each
 * timed operation costs two performance.now() reads (30-55 ns each here) and a histogram record (~100 ns),
 * and more inside the loop than back to back (~0.3 µs in the sorted loop, ~1 µs in the heap book's,
 * as measured). The periods keep that under ~2% of the run. Measured on this 2-core machine by alternating
 * iterations of two instances in one process, components on in one (per update, walks included: sorted
 * book ~100 ns, heap book ~2 µs): sorted book +1.3% to +2.6% at 251/29, +5% at 127/13; heap book +0.8% to
 * +1.1% at 127/13, +4% to +5% at 31/3. That still times ~4 updates and ~3 walks per 1,000 updates in the
 * fast variant (tens of thousands of each a second) and ~3,700 of each a second in the slow one. Periods are prime so
 * they do not alias with the stream's length (a power of two plus the closing updates), and odd for walks
 * so that timed walks alternate sides as the walks do.
 */
export const SAMPLE_EVERY = {
  naive: { update: 127, walk: 13 },
  optimized: { update: 251, walk: 29 },
} as const

export type OrderbookVariant = keyof typeof SAMPLE_EVERY

export interface Replay {
  readonly state: ReplayState
  /** Applies the next `updatesPerIteration` updates: one timed iteration, and the workload's entry point in profiles. */
  readonly iterate: () => void
}

export interface ReplayOptions {
  updatesPerIteration: number
  walkEvery: number
  walkQty: number
  components?: ComponentRecorder | undefined
}

export function createReplay(variant: OrderbookVariant, script: BookScript, options: ReplayOptions): Replay {
  const components = options.components ?? NO_COMPONENTS
  const state: ReplayState = { cursor: 0, sinceWalk: 0, walks: 0, sink: 0, untilTimedUpdate: SAMPLE_EVERY[variant].update }
  const iterate = variant === 'naive' ? naiveReplay(script, state, options, components) : sortedReplay(script, state, options, components)
  return { state, iterate }
}

/*
 * With components on, an iteration runs its hot loop over the stretches between sampled operations and
 * applies each sampled update (or the update whose walk is sampled) outside it, timed: the loop stays the
 * code it is with components off, with no per-update check, and the timed copy of its body is small.
 */

/** Updates to apply untimed before the next sampled one, at most `left` (then none of them is sampled). */
function untimedStretch(state: ReplayState, left: number, walkEvery: number, every: SamplePeriods): number {
  const walksBeforeTimed = (every.walk - (state.walks % every.walk)) % every.walk
  // The update that triggers the next walk to time, counting the next update as 1.
  const toTimedWalk = walkEvery - state.sinceWalk + walksBeforeTimed * walkEvery
  const next = Math.min(state.untilTimedUpdate, toTimedWalk)
  return next > left ? left : next - 1
}

/** Whether the walk the next update triggers (if it triggers one) is to be timed. */
function isTimedWalkNext(state: ReplayState, walkEvery: number, every: SamplePeriods): boolean {
  return state.sinceWalk + 1 === walkEvery && state.walks % every.walk === 0
}

type SamplePeriods = (typeof SAMPLE_EVERY)[OrderbookVariant]

function naiveReplay(script: BookScript, state: ReplayState, options: ReplayOptions, components: ComponentRecorder): () => void {
  const { updatesPerIteration, walkEvery, walkQty } = options
  const every = SAMPLE_EVERY.naive
  const book = new HeapBook()
  seedBook(book, script)
  // The naive consumer gets one object per message, as from JSON.parse of a feed.
  const updates: LevelUpdate[] = Array.from({ length: script.length }, (_, i) => ({
    side: script.sides[i] === ASK ? 'ask' : 'bid',
    price: script.prices[i]!,
    size: script.sizes[i]!,
  }))

  function applySampledUpdateNaive(): void {
    const timeUpdate = state.untilTimedUpdate === 1
    const timeWalk = isTimedWalkNext(state, walkEvery, every)
    const update = updates[state.cursor]!
    const t0 = timeUpdate ? components.now() : 0
    book.applyUpdate(update.side, update.price, update.size)
    state.sink += book.bestAsk() - book.bestBid()
    if (timeUpdate) components.record('update', (components.now() - t0) * 1e6, 1, every.update)
    state.untilTimedUpdate = timeUpdate ? every.update : state.untilTimedUpdate - 1
    if (++state.cursor === updates.length) state.cursor = 0
    if (++state.sinceWalk === walkEvery) {
      state.sinceWalk = 0
      const side: BookSide = state.walks++ % 2 === 0 ? 'bid' : 'ask'
      const w0 = timeWalk ? components.now() : 0
      const w: WalkResult = book.walkBook(side, walkQty)
      if (timeWalk) components.record('walk', (components.now() - w0) * 1e6, 1, every.walk)
      state.sink += w.avgPrice + w.unfilled
    }
  }

  return function applyUpdatesNaive(): void {
    // The harness switches the recorder on and off between iterations, never inside one.
    const timing = components.active
    let left = updatesPerIteration
    while (left > 0) {
      const plain = timing ? untimedStretch(state, left, walkEvery, every) : left
      for (let u = 0; u < plain; u++) {
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
      left -= plain
      if (timing) state.untilTimedUpdate -= plain
      if (left > 0) {
        applySampledUpdateNaive()
        left--
      }
    }
    checkSink(state)
  }
}

function sortedReplay(script: BookScript, state: ReplayState, options: ReplayOptions, components: ComponentRecorder): () => void {
  const { updatesPerIteration, walkEvery, walkQty } = options
  const every = SAMPLE_EVERY.optimized
  const book = new SortedBook()
  seedBook(book, script)
  const { sides, prices, sizes, length } = script

  function applySampledUpdateSorted(): void {
    const timeUpdate = state.untilTimedUpdate === 1
    const timeWalk = isTimedWalkNext(state, walkEvery, every)
    const c = state.cursor
    const t0 = timeUpdate ? components.now() : 0
    book.applyLevel(sides[c]!, prices[c]!, sizes[c]!)
    state.sink += book.bestAsk() - book.bestBid()
    if (timeUpdate) components.record('update', (components.now() - t0) * 1e6, 1, every.update)
    state.untilTimedUpdate = timeUpdate ? every.update : state.untilTimedUpdate - 1
    state.cursor = c + 1 === length ? 0 : c + 1
    if (++state.sinceWalk === walkEvery) {
      state.sinceWalk = 0
      const side = state.walks++ % 2
      const w0 = timeWalk ? components.now() : 0
      const w = book.walkShared(side, walkQty)
      if (timeWalk) components.record('walk', (components.now() - w0) * 1e6, 1, every.walk)
      state.sink += w.avgPrice + w.unfilled
    }
  }

  return function applyUpdatesSorted(): void {
    const timing = components.active
    let left = updatesPerIteration
    while (left > 0) {
      const plain = timing ? untimedStretch(state, left, walkEvery, every) : left
      let cursor = state.cursor
      let sink = state.sink
      for (let u = 0; u < plain; u++) {
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
      left -= plain
      if (timing) state.untilTimedUpdate -= plain
      if (left > 0) {
        applySampledUpdateSorted()
        left--
      }
    }
    checkSink(state)
  }
}

function checkSink(state: ReplayState): void {
  if (!Number.isFinite(state.sink)) throw new Error(`orderbook: book lost its touch (sink ${state.sink})`)
}
