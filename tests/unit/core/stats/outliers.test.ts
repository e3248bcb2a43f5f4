import { describe, expect, it } from 'vitest'
import { countOutliers, median, modifiedZScores, OUTLIER_THRESHOLD } from '../../../../core/stats/outliers.js'
import { normalSamples } from './sample-data.js'

describe('median', () => {
  it.each([
    [[], Number.NaN],
    [[5], 5],
    [[1, 3], 2],
    [[1, 2, 9], 2],
  ])('of %j is %s', (sorted, expected) => {
    expect(median(sorted)).toEqual(expected)
  })
})

describe('modifiedZScores (Iglewicz & Hoaglin)', () => {
  it('divides the distance from the median by the MAD', () => {
    // median 3, absolute deviations [2, 1, 0, 1, 2] → MAD 1.
    expect(Array.from(modifiedZScores([1, 2, 3, 4, 5]))).toEqual([-2, -1, 0, 1, 2])
  })

  it('scores equal samples 0 and any different one far beyond the threshold when the MAD is 0', () => {
    const z = modifiedZScores([10, 10, 10, 10, 11])
    expect(Array.from(z.slice(0, 4))).toEqual([0, 0, 0, 0])
    expect(z[4]).toBeGreaterThan(OUTLIER_THRESHOLD)
  })
})

describe('countOutliers', () => {
  const normal = normalSamples(1000, 2000, 0.03, 5)
  it.each([
    { name: 'too few samples to judge', samples: [1, 1000], expected: { low: 0, high: 0 } },
    { name: 'small clean sample', samples: [100, 101, 99, 102, 98, 100, 101], expected: { low: 0, high: 0 } },
    { name: 'normal samples (σ = 3%)', samples: normal, expected: { low: 0, high: 0 } },
    { name: 'normal plus three injected slow samples', samples: [...normal, 20_000, 25_000, 30_000], expected: { low: 0, high: 3 } },
    { name: 'normal plus one injected fast sample', samples: [...normal, 10], expected: { low: 1, high: 0 } },
    { name: 'all equal (MAD = 0)', samples: new Array(20).fill(500), expected: { low: 0, high: 0 } },
    { name: 'MAD = 0 with two different samples', samples: [...new Array(20).fill(500), 501, 499], expected: { low: 1, high: 1 } },
  ])('$name', ({ samples, expected }) => {
    expect(countOutliers(samples)).toEqual(expected)
  })

  it('uses hyperfine threshold 1.4826 × 10', () => {
    expect(OUTLIER_THRESHOLD).toBeCloseTo(14.826, 10)
    // MAD 1: a point at exactly 14 MADs is not an outlier, at 15 it is.
    expect(countOutliers([-1, 0, 0, 1, 1, -1, 0, 14])).toEqual({ low: 0, high: 0 })
    expect(countOutliers([-1, 0, 0, 1, 1, -1, 0, 15])).toEqual({ low: 0, high: 1 })
  })
})
