import { describe, expect, it } from 'vitest'
import { computeRelativeSpeeds } from '../../../../core/compare/relative-speed.js'

describe('computeRelativeSpeeds (hyperfine)', () => {
  const entries = [
    { id: 'slow', meanNs: 300, stddevNs: 30 },
    { id: 'fast', meanNs: 100, stddevNs: 5 },
    { id: 'mid', meanNs: 150 },
  ]

  it('takes the fastest as reference by default and propagates the stddev', () => {
    const [slow, fast, mid] = computeRelativeSpeeds(entries)
    expect(fast).toEqual({ id: 'fast', ratio: 1, ratioStddev: Math.SQRT2 * 0.05, isReference: true, isFastest: true })
    expect(slow!.ratio).toBe(3)
    // 3 · √(0.1² + 0.05²)
    expect(slow!.ratioStddev).toBeCloseTo(3 * Math.sqrt(0.01 + 0.0025), 12)
    expect(mid).toEqual({ id: 'mid', ratio: 1.5, isReference: false, isFastest: false })
  })

  it('accepts a named reference and sorts fastest first when asked', () => {
    const out = computeRelativeSpeeds(entries, { referenceId: 'slow', sort: 'fastest-first' })
    expect(out.map((r) => [r.id, r.ratio])).toEqual([
      ['fast', 1 / 3],
      ['mid', 0.5],
      ['slow', 1],
    ])
    expect(() => computeRelativeSpeeds(entries, { referenceId: 'nope' })).toThrow(/no run nope/)
  })

  it('handles a zero mean and no entries', () => {
    expect(computeRelativeSpeeds([])).toEqual([])
    const out = computeRelativeSpeeds([
      { id: 'zero', meanNs: 0 },
      { id: 'b', meanNs: 10 },
    ])
    expect(out.map((r) => r.ratio)).toEqual([1, Number.POSITIVE_INFINITY])
  })
})
