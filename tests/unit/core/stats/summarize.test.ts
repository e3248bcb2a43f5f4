import { describe, expect, it } from 'vitest'
import { mean, quantileSorted, sampleStddev, summarizeSamples, toLatencyNs } from '../../../../core/stats/summarize.js'
import { latencyNsSchema } from '../../../../core/model/run.js'
import { normalSamples } from './sample-data.js'

describe('quantileSorted (Hyndman & Fan type 7)', () => {
  const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
  it.each([
    [0, 1],
    [0.5, 5.5],
    [0.9, 9.1],
    [0.95, 9.55],
    [0.99, 9.91],
    [1, 10],
  ])('q = %s of 1..10 is %s (as R quantile(type = 7) and NumPy)', (q, expected) => {
    expect(quantileSorted(oneToTen, q)).toBeCloseTo(expected, 10)
  })

  it('handles one value and no values', () => {
    expect(quantileSorted([42], 0.99)).toBe(42)
    expect(quantileSorted([], 0.5)).toBeNaN()
  })
})

describe('summarizeSamples', () => {
  it('gives the known answers for 1..10 in any order', () => {
    const s = summarizeSamples([7, 3, 10, 1, 5, 9, 2, 8, 4, 6])
    expect(s.count).toBe(10)
    expect(s.mean).toBe(5.5)
    // Sample stddev (n − 1): sqrt(82.5 / 9).
    expect(s.stddev).toBeCloseTo(Math.sqrt(82.5 / 9), 12)
    expect(s.min).toBe(1)
    expect(s.max).toBe(10)
    expect(s.p50).toBe(5.5)
    expect(s.p90).toBeCloseTo(9.1, 10)
    expect(s.p999).toBeCloseTo(9.991, 10)
    expect(s.cv).toBeCloseTo(Math.sqrt(82.5 / 9) / 5.5, 12)
    expect(s.outliers).toEqual({ low: 0, high: 0 })
  })

  it('summarizes equal samples as zero spread', () => {
    const s = summarizeSamples(new Array(50).fill(1000))
    expect(s).toMatchObject({ mean: 1000, stddev: 0, cv: 0, min: 1000, p99: 1000, max: 1000 })
  })

  it('recovers mean and CV of a large normal sample', () => {
    const s = summarizeSamples(normalSamples(20_000, 5000, 0.05, 1))
    expect(s.mean).toBeGreaterThan(4990)
    expect(s.mean).toBeLessThan(5010)
    expect(s.cv).toBeGreaterThan(0.048)
    expect(s.cv).toBeLessThan(0.052)
    // For a normal distribution, p95 ≈ mean + 1.645 σ.
    expect(s.p95 / (5000 * (1 + 1.645 * 0.05))).toBeCloseTo(1, 2)
  })

  it('counts injected outliers on each side', () => {
    const samples = [...normalSamples(200, 1000, 0.01, 2), 100_000, 100_000, 1]
    expect(summarizeSamples(samples).outliers).toEqual({ low: 1, high: 2 })
  })

  it('does not change its input and throws on no samples', () => {
    const input = [3, 1, 2]
    summarizeSamples(input)
    expect(input).toEqual([3, 1, 2])
    expect(() => summarizeSamples([])).toThrow(RangeError)
  })

  it('produces a valid latencyNs record', () => {
    expect(latencyNsSchema.parse(toLatencyNs(summarizeSamples([1, 2, 3])))).toEqual({
      mean: 2,
      stddev: 1,
      min: 1,
      p50: 2,
      p90: 2.8,
      p95: 2.9,
      p99: 2.98,
      p999: 2.998,
      max: 3,
    })
  })

  it('keeps precision for large values with tiny spread (two-pass variance)', () => {
    // The naive E[x²] − E[x]² formula loses every digit here.
    const base = 1e12
    expect(sampleStddev([base + 1, base + 2, base + 3])).toBeCloseTo(1, 6)
    expect(mean([base + 1, base + 3])).toBe(base + 2)
  })
})
