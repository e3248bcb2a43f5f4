import { describe, expect, it } from 'vitest'
import { binCenters, computeLogHistogram } from '../../../../renderer/src/lib/histogram.js'

describe('computeLogHistogram', () => {
  it('spaces bins evenly in log10 between min and max', () => {
    const h = computeLogHistogram([1000, 10_000, 100_000], { binsPerDecade: 2 })
    expect(h.counts.length).toBe(4)
    const ratios = Array.from(h.edges.slice(1), (e, i) => e / (h.edges[i] as number))
    for (const r of ratios) expect(r).toBeCloseTo(Math.sqrt(10), 9)
    expect(h.edges[0]).toBeCloseTo(1000, 6)
    expect(h.edges[4]).toBeCloseTo(100_000, 3)
  })

  it('counts every finite sample once, the max in the last bin', () => {
    const samples = [1000, 1500, 2000, 9999, 10_000, 100_000, Number.NaN, Infinity]
    const h = computeLogHistogram(samples, { binsPerDecade: 2 })
    expect(h.total).toBe(6)
    expect(Array.from(h.counts).reduce((a, b) => a + b, 0)).toBe(6)
    expect(h.counts[h.counts.length - 1]).toBe(1)
    // 1000, 1500 and 2000 are below 10^3.5 ≈ 3162.
    expect(h.counts[0]).toBe(3)
  })

  it('puts a 1,000x tail in its own bins rather than squashing the body', () => {
    const body = Array.from({ length: 990 }, (_, i) => 2000 + (i % 10) * 10)
    const tail = Array.from({ length: 10 }, () => 2_000_000)
    const h = computeLogHistogram([...body, ...tail], { binsPerDecade: 10 })
    expect(h.counts.length).toBe(30)
    expect(h.counts[0]).toBe(990)
    expect(h.counts[29]).toBe(10)
  })

  it('draws one value as one narrow bin around it', () => {
    const h = computeLogHistogram([500, 500, 500])
    expect(h.counts.length).toBe(1)
    expect(h.counts[0]).toBe(3)
    expect(h.edges[0]).toBeLessThan(500)
    expect(h.edges[1]).toBeGreaterThan(500)
  })

  it('caps the number of bins', () => {
    const h = computeLogHistogram([1, 1e15], { binsPerDecade: 100, maxBins: 50 })
    expect(h.counts.length).toBe(50)
  })

  it('is empty for no samples', () => {
    expect(computeLogHistogram([]).total).toBe(0)
    expect(computeLogHistogram([]).counts.length).toBe(0)
  })

  it('puts bar centres at the geometric middle of each bin', () => {
    const h = computeLogHistogram([100, 10_000], { binsPerDecade: 1 })
    expect(binCenters(h).map((c) => Math.round(c))).toEqual([316, 3162])
  })
})
