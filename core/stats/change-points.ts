/**
 * Change points in a benchmark history: E-divisive means (Matteson & James, "A Nonparametric Approach for
 * Multiple Change Point Analysis of Multivariate Data", JASA 2014), the method of MongoDB's Hunter/Otava,
 * applied to one value per point (per-commit medians of per-process values), with significance from a
 * permutation test.
 *
 * - The statistic of a split at τ is the energy distance between the left and right segments, scaled by
 *   their sizes: Q(τ) = (n_L n_R / n) · [2·mean|x−y| − mean|x−x'| − mean|y−y'|] (α = 1). It reacts to any
 *   change of distribution, is unchanged by the scale of the values, and is not thrown by one outlier the
 *   way a mean-shift test is.
 * - Noise: the best split's Q is compared with the best split's Q of random permutations of the same
 *   segment (the series with no order, i.e. no change); p = (1 + #{perm ≥ observed}) / (1 + permutations).
 *   A change point is kept when p ≤ alpha. On a flat series the first test fails with probability
 *   ≈ 1 − alpha, so the false change-point rate per series is ≈ alpha (measured in
 *   tests/unit/core/stats/change-points.test.ts).
 * - Several changes: binary segmentation; each accepted split's two sides are tested again.
 *
 * No well-kept npm implementation exists (searched npm for e-divisive, changepoint, PELT): this is ours.
 * Cost: O(n²) per test and permutation (a distance matrix and column prefix sums); longer series keep
 * their newest `maxPoints`.
 */
import { createStatsRng } from './rng.js'

export interface ChangePointOptions {
  /** Largest p-value of the permutation test for a change point to be reported (default 0.01). */
  alpha?: number
  /** Permutations per test (default 499). */
  permutations?: number
  /** Fewest points on each side of a change point (default 2). */
  minSegment?: number
  /** Seed of the permutations: the same series and seed give the same answer. */
  seed?: number
  /** Series longer than this keep their newest points (default 300 commits). */
  maxPoints?: number
}

export interface ChangePoint {
  /** Index of the first point after the change. */
  index: number
  /** Permutation p-value of the split. */
  pValue: number
  /** Median of the segment before and after (bounded by the neighbouring change points). */
  before: number
  after: number
  /** after / before. */
  ratio: number
}

export const DEFAULT_CHANGE_POINT_ALPHA = 0.01
export const DEFAULT_PERMUTATIONS = 499
/** Fewer points than this: no change points are claimed. */
export const MIN_TREND_POINTS = 4

/** Distance matrix |x_i − x_j| of a segment, row-major. */
function distances(values: readonly number[]): Float64Array {
  const n = values.length
  const d = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = Math.abs((values[i] as number) - (values[j] as number))
      d[i * n + j] = v
      d[j * n + i] = v
    }
  }
  return d
}

/**
 * The best split of a segment (under the order `order` of its points), as in Matteson & James: over a
 * left part X = [0, τ) and a right part Y = [τ, κ) that may end before the segment does (so a bump that
 * comes back down is found too), the largest Q(X, Y). O(n²) with column prefix sums.
 * `order[k]` is the index into the distance matrix of the k-th point.
 */
export function bestSplit(d: Float64Array, n: number, order: ArrayLike<number>, minSegment: number): { tau: number; q: number } {
  // prefix[j * (n + 1) + t] = Σ_{i<t} D(order i, order j)
  const stride = n + 1
  const prefix = new Float64Array(n * stride)
  for (let j = 0; j < n; j++) {
    const row = (order[j] as number) * n
    let acc = 0
    const base = j * stride
    for (let t = 0; t < n; t++) {
      prefix[base + t] = acc
      acc += d[row + (order[t] as number)] as number
    }
    prefix[base + n] = acc
  }
  let best = { tau: -1, q: Number.NEGATIVE_INFINITY }
  let withinLeft = 0 // Σ_{i<k<τ} D
  for (let tau = 1; tau < n; tau++) {
    withinLeft += prefix[(tau - 1) * stride + (tau - 1)] as number
    const nl = tau
    if (nl < minSegment) continue
    const meanLeft = nl > 1 ? withinLeft / ((nl * (nl - 1)) / 2) : 0
    let between = 0
    let withinRight = 0
    for (let kappa = tau + 1; kappa <= n; kappa++) {
      const j = kappa - 1 // the point joining Y
      const base = j * stride
      between += prefix[base + tau] as number
      withinRight += (prefix[base + j] as number) - (prefix[base + tau] as number)
      const nr = kappa - tau
      if (nr < minSegment) continue
      const meanRight = nr > 1 ? withinRight / ((nr * (nr - 1)) / 2) : 0
      const q = ((nl * nr) / (nl + nr)) * ((2 * between) / (nl * nr) - meanLeft - meanRight)
      if (q > best.q) best = { tau, q }
    }
  }
  return best
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

/** Finds the change points of a series (oldest first); none for fewer than MIN_TREND_POINTS points. */
export function detectChangePoints(series: readonly number[], options: ChangePointOptions = {}): ChangePoint[] {
  const alpha = options.alpha ?? DEFAULT_CHANGE_POINT_ALPHA
  const permutations = options.permutations ?? DEFAULT_PERMUTATIONS
  const minSegment = Math.max(1, options.minSegment ?? 2)
  const maxPoints = options.maxPoints ?? 300
  const offset = Math.max(0, series.length - maxPoints)
  const values = series.slice(offset)
  if (values.length < MIN_TREND_POINTS || !values.every(Number.isFinite)) return []
  const rng = createStatsRng(options.seed ?? 0xc4a9)
  const found: { index: number; pValue: number }[] = []
  const pending: [number, number][] = [[0, values.length]]
  while (pending.length > 0) {
    const [start, end] = pending.pop() as [number, number]
    const n = end - start
    if (n < 2 * minSegment) continue
    const segment = values.slice(start, end)
    const d = distances(segment)
    const identity = Uint32Array.from({ length: n }, (_, i) => i)
    const observed = bestSplit(d, n, identity, minSegment)
    if (!(observed.q > 0) || observed.tau < 0) continue
    let atLeast = 0
    const perm = Uint32Array.from(identity)
    for (let p = 0; p < permutations; p++) {
      for (let i = n - 1; i > 0; i--) {
        const j = rng.below(i + 1)
        const t = perm[i] as number
        perm[i] = perm[j] as number
        perm[j] = t
      }
      if (bestSplit(d, n, perm, minSegment).q >= observed.q) atLeast++
      // Already too many permutations as extreme for p <= alpha: stop early (the usual case on a flat series).
      if ((1 + atLeast) / (1 + permutations) > alpha) break
    }
    const pValue = (1 + atLeast) / (1 + permutations)
    if (pValue > alpha) continue
    found.push({ index: start + observed.tau, pValue })
    pending.push([start, start + observed.tau], [start + observed.tau, end])
  }
  found.sort((a, b) => a.index - b.index)
  return found.map((f, k) => {
    const lo = k > 0 ? (found[k - 1] as { index: number }).index : 0
    const hi = k + 1 < found.length ? (found[k + 1] as { index: number }).index : values.length
    const before = median(values.slice(lo, f.index))
    const after = median(values.slice(f.index, hi))
    return { index: f.index + offset, pValue: f.pValue, before, after, ratio: before !== 0 ? after / before : Number.NaN }
  })
}
