import { describe, expect, it } from 'vitest'
import { type ParamValues, workloadDescriptorSchema } from '../../../core/model/workload.js'
import { digestAnswer } from '../../../workloads/data/digest.js'
import { createRng } from '../../../workloads/data/prng.js'
import { createProcessor, planBatch } from '../../../workloads/event-stream/engine.js'
import { KIND_ASK, KIND_BID, KIND_TRADE, RECORD_BYTES, type WireEvent, encodeEvent } from '../../../workloads/event-stream/format.js'
import { type EventStream, generateEventStream } from '../../../workloads/event-stream/generate.js'
import { descriptor, workload } from '../../../workloads/event-stream/index.js'
import { LevelMap } from '../../../workloads/event-stream/level-map.js'
import type { Candle, EventStreamAnswer, StreamSnapshot } from '../../../workloads/event-stream/processor.js'

function params(overrides: ParamValues = {}): ParamValues {
  const out: ParamValues = {}
  for (const [name, spec] of Object.entries(descriptor.params)) out[name] = spec.default
  return { ...out, ...overrides }
}

const SMALL = { events: 30_000, batchEvents: 7_000, symbols: 7, gaps: 12, eventsPerSecond: 500 }

async function answerOf(variant: string, seed: number, overrides: ParamValues = SMALL): Promise<EventStreamAnswer> {
  const inst = await workload.create({ variant, params: params(overrides), seed })
  try {
    return (await inst.answer()) as EventStreamAnswer
  } finally {
    await inst.close?.()
  }
}

/** Decodes record i by the documented layout, independently of the workload's readers. */
function decodeRecord(bytes: Uint8Array, i: number): WireEvent {
  const b = (k: number): number => bytes[i * 20 + k]!
  const u32 = (k: number): number => (b(k) | (b(k + 1) << 8) | (b(k + 2) << 16) | (b(k + 3) << 24)) >>> 0
  return { seq: u32(0), symbol: b(4) | (b(5) << 8), kind: b(6), side: b(7), priceTicks: u32(8), qty: u32(12), timeMs: u32(16) }
}

/** Brute force over the whole stream: books by replaying deltas, candles by grouping trades by (symbol, second). */
function bruteForce(stream: EventStream): {
  books: Map<number, { bids: Map<number, number>; asks: Map<number, number> }>
  candles: Map<number, Candle[]>
} {
  const events = Array.from({ length: stream.events }, (_, i) => decodeRecord(stream.bytes, i))
  const books = new Map<number, { bids: Map<number, number>; asks: Map<number, number> }>()
  const trades = new Map<string, WireEvent[]>()
  let expected = 1
  for (const ev of events) {
    if (ev.seq < expected) continue
    expected = ev.seq + 1
    if (ev.kind === KIND_TRADE) {
      const key = `${ev.symbol}:${Math.floor(ev.timeMs / 1000)}`
      trades.set(key, [...(trades.get(key) ?? []), ev])
      continue
    }
    const book = books.get(ev.symbol) ?? { bids: new Map(), asks: new Map() }
    books.set(ev.symbol, book)
    const side = ev.kind === KIND_BID ? book.bids : book.asks
    if (ev.qty === 0) side.delete(ev.priceTicks)
    else side.set(ev.priceTicks, ev.qty)
  }
  const candles = new Map<number, Candle[]>()
  for (const [key, list] of trades) {
    const [symbol, second] = key.split(':').map(Number) as [number, number]
    const prices = list.map((t) => t.priceTicks)
    const candle: Candle = [
      second,
      prices[0]!,
      Math.max(...prices),
      Math.min(...prices),
      prices[prices.length - 1]!,
      list.reduce((a, t) => a + t.qty, 0),
      list.length,
    ]
    candles.set(symbol, [...(candles.get(symbol) ?? []), candle])
  }
  for (const list of candles.values()) list.sort((a, b) => a[0] - b[0])
  return { books, candles }
}

function snapshotOf(
  variant: 'naive' | 'optimized',
  stream: EventStream,
  ranges: Array<[number, number]> = [[0, stream.events]],
): StreamSnapshot {
  const p = createProcessor(variant, stream, { index: 0, count: 1 })
  for (const [from, to] of ranges) p.process(from, to)
  return p.snapshot()
}

/** A hand-written stream: encodes `events` as given. */
function handmade(events: WireEvent[], tickers = ['AAA', 'AAB']): EventStream {
  const bytes = new Uint8Array(events.length * RECORD_BYTES)
  const view = new DataView(bytes.buffer)
  events.forEach((ev, i) => encodeEvent(view, i, ev))
  return { bytes, events: events.length, tickers, plantedGaps: [] }
}

describe('event-stream readers against planted and brute-force answers', () => {
  it('detects exactly the planted gaps, for both variants and several seeds', () => {
    for (const seed of [1, 2, 3, 4]) {
      const stream = generateEventStream(seed, { events: 20_000, symbols: 5, gaps: 40, eventsPerSecond: 1000 })
      expect(stream.plantedGaps).toHaveLength(40)
      for (const variant of ['naive', 'optimized'] as const) {
        const snap = snapshotOf(variant, stream)
        expect(snap.gaps, `${variant} seed ${seed}`).toEqual(stream.plantedGaps)
        expect(snap.duplicates).toBe(0)
        expect(snap.events).toBe(20_000)
      }
    }
  })

  it('builds the same books and 1-second candles as a brute-force replay', () => {
    const stream = generateEventStream(9, { events: 40_000, symbols: 6, gaps: 5, eventsPerSecond: 300 })
    const ref = bruteForce(stream)
    for (const variant of ['naive', 'optimized'] as const) {
      const snap = snapshotOf(variant, stream)
      expect(snap.symbols.map((s) => s.symbol)).toEqual([0, 1, 2, 3, 4, 5])
      for (const s of snap.symbols) {
        const book = ref.books.get(s.symbol)!
        expect(s.bids, `${variant} bids ${s.ticker}`).toEqual([...book.bids].sort((a, b) => b[0] - a[0]))
        expect(s.asks, `${variant} asks ${s.ticker}`).toEqual([...book.asks].sort((a, b) => a[0] - b[0]))
        expect(s.candles, `${variant} candles ${s.ticker}`).toEqual(ref.candles.get(s.symbol))
        // ~50 trades per second spread over 6 symbols: most seconds have a candle with several trades.
        expect(s.candles.length).toBeGreaterThan(100)
      }
    }
  })

  it('gives the same state whether the events come in one range or many uneven ones', () => {
    const stream = generateEventStream(4, { events: 15_000, symbols: 3, gaps: 9, eventsPerSecond: 800 })
    const ranges: Array<[number, number]> = [
      [0, 1],
      [1, 4097],
      [4097, 4100],
      [4100, 12_001],
      [12_001, 15_000],
    ]
    for (const variant of ['naive', 'optimized'] as const) {
      expect(snapshotOf(variant, stream, ranges)).toEqual(snapshotOf(variant, stream))
    }
  })

  it('records a gap, skips a duplicate and applies removals on a hand-written feed', () => {
    const ev = (seq: number, symbol: number, kind: number, priceTicks: number, qty: number, timeMs: number): WireEvent => ({
      seq,
      symbol,
      kind,
      side: 0,
      priceTicks,
      qty,
      timeMs,
    })
    const stream = handmade([
      ev(1, 0, KIND_BID, 1000, 300, 0),
      ev(2, 0, KIND_ASK, 1002, 100, 10),
      ev(5, 0, KIND_BID, 999, 200, 20), // 3 and 4 missing
      ev(4, 0, KIND_BID, 1000, 0, 30), // late duplicate: must not remove the 1000 level
      ev(6, 1, KIND_TRADE, 500, 7, 999),
      ev(7, 1, KIND_TRADE, 510, 3, 1000),
      ev(8, 1, KIND_TRADE, 490, 5, 1500),
      ev(9, 0, KIND_ASK, 1002, 0, 1600),
    ])
    for (const variant of ['naive', 'optimized'] as const) {
      const snap = snapshotOf(variant, stream)
      expect(snap.gaps).toEqual([{ from: 3, to: 4 }])
      expect(snap.duplicates).toBe(1)
      expect(snap.symbols[0]!.bids).toEqual([
        [1000, 300],
        [999, 200],
      ])
      expect(snap.symbols[0]!.asks).toEqual([])
      expect(snap.symbols[1]!.candles).toEqual([
        [0, 500, 500, 500, 500, 7, 1],
        [1, 510, 510, 490, 490, 8, 2],
      ])
    }
  })
})

describe('event-stream building blocks', () => {
  it('LevelMap behaves like a Map under random sets, removals and growth', () => {
    const rng = createRng(3)
    const map = new LevelMap(8)
    const ref = new Map<number, number>()
    const mismatches: string[] = []
    for (let op = 0; op < 50_000; op++) {
      // Keys cluster (as prices do) so probe runs collide and wrap around the table.
      const key = rng.int(0, op < 25_000 ? 40 : 400) * 7 + 1_000
      const size = rng.next() < 0.3 ? 0 : rng.int(1, 10_000)
      map.set(key, size)
      if (size === 0) ref.delete(key)
      else ref.set(key, size)
      if (op % 997 === 0) {
        expect(map.count).toBe(ref.size)
        expect(map.entries().sort((a, b) => a[0] - b[0])).toEqual([...ref].sort((a, b) => a[0] - b[0]))
      }
      if (map.get(key) !== (ref.get(key) ?? 0)) mismatches.push(`op ${op}: get(${key}) = ${map.get(key)}, expected ${ref.get(key) ?? 0}`)
    }
    expect(mismatches.slice(0, 5)).toEqual([])
    map.clear()
    expect(map.entries()).toEqual([])
  })

  it('LevelMap keeps every level reachable when removals shift probe runs that wrap around the table', () => {
    // At most 4 levels in 8 slots: the table never grows, and runs often cross from the last slot to the first.
    const rng = createRng(11)
    const map = new LevelMap(8)
    const ref = new Map<number, number>()
    const mismatches: string[] = []
    for (let op = 0; op < 20_000; op++) {
      if (ref.size >= 4 || (ref.size > 0 && rng.next() < 0.4)) {
        const victim = [...ref.keys()][rng.int(0, ref.size - 1)]!
        map.set(victim, 0)
        ref.delete(victim)
      } else {
        const key = rng.int(1, 5_000)
        const size = rng.int(1, 99)
        map.set(key, size)
        ref.set(key, size)
      }
      for (const [k, v] of ref) if (map.get(k) !== v) mismatches.push(`op ${op}: get(${k}) = ${map.get(k)}, expected ${v}`)
      if (map.count !== ref.size) mismatches.push(`op ${op}: count ${map.count}, expected ${ref.size}`)
    }
    expect(mismatches.slice(0, 5)).toEqual([])
  })

  it('plans batches that wrap around the end of the feed with a reset', () => {
    expect(planBatch(0, 4, 10)).toEqual({ steps: [{ from: 0, to: 4, resetAfter: false }], cursor: 4 })
    expect(planBatch(8, 4, 10)).toEqual({
      steps: [
        { from: 8, to: 10, resetAfter: true },
        { from: 0, to: 2, resetAfter: false },
      ],
      cursor: 2,
    })
    // A batch longer than the feed goes round it more than once.
    expect(planBatch(5, 25, 10)).toEqual({
      steps: [
        { from: 5, to: 10, resetAfter: true },
        { from: 0, to: 10, resetAfter: true },
        { from: 0, to: 10, resetAfter: true },
      ],
      cursor: 0,
    })
  })
})

describe('event-stream workload', () => {
  it('has a valid descriptor whose default variant is the naive one', () => {
    expect(() => workloadDescriptorSchema.parse(descriptor)).not.toThrow()
    expect(descriptor.variants.find((v) => v.id === descriptor.defaultVariant)?.role).toBe('naive')
  })

  it('gives the same answer from both variants for several seeds, and another for another seed', async () => {
    const digests: string[] = []
    for (const seed of [1, 2, 3]) {
      const naive = await answerOf('naive', seed)
      expect(naive.gaps).toHaveLength(12)
      expect(digestAnswer(await answerOf('optimized', seed)), `seed ${seed}`).toBe(digestAnswer(naive))
      digests.push(digestAnswer(naive))
    }
    expect(new Set(digests).size).toBe(3)
    expect(digestAnswer(await answerOf('optimized', 1))).toBe(digests[0])
  })

  it('iterates every variant through a wrap of the feed and still answers the same', async () => {
    for (const v of descriptor.variants) {
      const inst = await workload.create({ variant: v.id, params: params(SMALL), seed: 2 })
      expect(inst.opsPerIteration).toBe(7_000)
      const before = digestAnswer(await inst.answer())
      // 5 × 7,000 events cross the end of the 30,000-event feed once.
      for (let i = 0; i < 5; i++) await inst.iterate()
      expect(digestAnswer(await inst.answer())).toBe(before)
      await inst.close?.()
    }
  })

  it('gives the same answer with 2 symbol-shard workers as in-thread, for both variants', async () => {
    for (const variant of ['naive', 'optimized']) {
      const inst = await workload.create({ variant, params: params({ ...SMALL, workers: 2 }), seed: 8 })
      try {
        for (let i = 0; i < 5; i++) await inst.iterate()
        expect(digestAnswer(await inst.answer()), variant).toBe(digestAnswer(await answerOf(variant, 8)))
      } finally {
        await inst.close?.()
      }
    }
  })
})
