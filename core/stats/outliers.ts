/**
 * Outlier detection by median and MAD (modified z-score), as hyperfine does.
 * Iglewicz & Hoaglin (1993), "How to Detect and Handle Outliers".
 */

/** 1.4826 turns the MAD into a σ estimate for normal data; ×10 σ counts as an outlier (as in hyperfine). */
export const OUTLIER_THRESHOLD = 1.4826 * 10

export function median(sorted: ArrayLike<number>): number {
  const n = sorted.length
  if (n === 0) return Number.NaN
  const mid = n >> 1
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/**
 * Modified z-scores (x − median) / MAD. A MAD of 0 (over half the samples equal) is replaced by
 * the smallest positive float, so equal samples score 0 and any different one scores as an outlier.
 */
export function modifiedZScores(samples: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(samples as ArrayLike<number>).sort()
  const med = median(sorted)
  const deviations = Float64Array.from(sorted, (x) => Math.abs(x - med)).sort()
  const mad = median(deviations) || Number.EPSILON
  return Float64Array.from(samples as ArrayLike<number>, (x) => (x - med) / mad)
}

/** Counts samples below and above the threshold of modified z-scores. */
export function countOutliers(samples: ArrayLike<number>, threshold = OUTLIER_THRESHOLD): { low: number; high: number } {
  if (samples.length < 3) return { low: 0, high: 0 }
  let low = 0
  let high = 0
  for (const z of modifiedZScores(samples)) {
    if (z < -threshold) low++
    else if (z > threshold) high++
  }
  return { low, high }
}
