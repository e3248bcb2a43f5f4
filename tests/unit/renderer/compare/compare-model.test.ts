import { describe, expect, it } from 'vitest'
import {
  alignTimelines,
  intervalBarGeometry,
  oldestFirst,
  ratioPosition,
  ratioScale,
  sharedLogHistograms,
  withBaselineFirst,
} from '../../../../renderer/src/features/compare/compare-model.js'

describe('baseline ordering', () => {
  it('moves the chosen baseline to the front and keeps the rest in order', () => {
    expect(withBaselineFirst(['a', 'b', 'c'], 'c')).toEqual(['c', 'a', 'b'])
    expect(withBaselineFirst(['a', 'b'], 'z')).toEqual(['a', 'b'])
  })
  it('sorts runs oldest first, ids breaking ties', () => {
    const runs = [
      { id: 'b', createdAt: '2026-01-02' },
      { id: 'a', createdAt: '2026-01-02' },
      { id: 'c', createdAt: '2026-01-01' },
    ]
    expect(oldestFirst(runs).map((r) => r.id)).toEqual(['c', 'a', 'b'])
  })
})

describe('interval bars', () => {
  it('puts 1.0 in the middle of a symmetric scale and holds the noise band', () => {
    const scale = ratioScale([], 0.02)
    expect(ratioPosition(1, scale)).toBeCloseTo(0.5, 2)
    const g = intervalBarGeometry({ ratio: 1, ciLow: 0.99, ciHigh: 1.01 }, 0.02, scale)
    expect(g.noiseFrom).toBeLessThan(g.ci!.from)
    expect(g.noiseTo).toBeGreaterThan(g.ci!.to)
  })
  it('widens the scale to every ratio and interval, clamped to 1/64..64', () => {
    const scale = ratioScale(
      [
        { ratio: 24, ciLow: 22, ciHigh: 26 },
        { ratio: 0.04, ciLow: 0.03, ciHigh: 0.05 },
      ],
      0.02,
    )
    expect(scale.lo).toBeLessThan(0.03)
    expect(scale.hi).toBeGreaterThan(26)
    expect(ratioScale([{ ratio: 1000, ciLow: null, ciHigh: null }], 0.02).hi).toBe(64)
  })
  it('has no interval without bounds and no point without a ratio', () => {
    const g = intervalBarGeometry({ ratio: null, ciLow: null, ciHigh: null }, 0.02, ratioScale([], 0.02))
    expect(g.ci).toBeNull()
    expect(g.point).toBeNull()
  })
  it('marks an interval cut at the scale edge', () => {
    const g = intervalBarGeometry({ ratio: 100, ciLow: 90, ciHigh: 110 }, 0.02, { lo: 0.5, hi: 64 })
    expect(g.ci!.clippedHigh).toBe(true)
    expect(g.ci!.to).toBe(1)
  })
})

describe('shared histograms', () => {
  it('bins every run on the same edges, as shares of each run', () => {
    const h = sharedLogHistograms([[100, 100, 1000], [1000, 10_000], undefined], 4)
    expect(h.edges[0]).toBeCloseTo(100)
    expect(h.edges[h.edges.length - 1]).toBeCloseTo(10_000)
    expect(h.totals).toEqual([3, 2, 0])
    expect(h.shares[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1)
    expect(h.shares[1]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1)
    expect(h.shares[2]!.every((s) => s === 0)).toBe(true)
  })
  it('is empty without samples', () => {
    expect(sharedLogHistograms([undefined, []]).edges).toEqual([])
  })
})

describe('aligned timelines', () => {
  it('unions sample times and leaves gaps as null', () => {
    const [x, a, b] = alignTimelines(
      [
        [
          { tMs: 0, rssBytes: 10 },
          { tMs: 500, rssBytes: 20 },
        ],
        [
          { tMs: 250, rssBytes: 5 },
          { tMs: 500, rssBytes: 0 },
        ],
      ],
      'rssBytes',
    )
    expect(x).toEqual([0, 0.25, 0.5])
    expect(a).toEqual([10, null, 20])
    expect(b).toEqual([null, 5, null])
  })
  it('adds user and system CPU', () => {
    const [, a] = alignTimelines([[{ tMs: 100, cpuUserPct: 80, cpuSystemPct: 15 }]], 'cpuPct')
    expect(a).toEqual([95])
  })
})
