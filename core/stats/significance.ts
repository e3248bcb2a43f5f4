/**
 * The one home of significance statistics in Hotpath: the normal and Student-t distributions, the
 * regularized incomplete beta function they rest on, Welch's t-test and Benjamini–Hochberg adjustment.
 * Bootstrap intervals (bootstrap.ts), the profile diff (core/compare/call-tree-diff.ts) and the
 * between-process verdicts all take their distributions from here.
 *
 * Written here rather than taken from jstat or @stdlib: each function is a few lines of a published
 * algorithm with a stated error bound, tested against reference values (tests/unit/core/stats/
 * significance.test.ts), and core/ must stay dependency-light and free of node:* for the renderer.
 */
import { mean, sampleStddev } from './summarize.js'

/**
 * Standard normal CDF Φ(x) through erfc, with the Chebyshev fit of Numerical Recipes (Press et al.,
 * 3rd ed., §6.2 "erfcc"): fractional error below 1.2e-7, far finer than a bootstrap's own noise.
 */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2
  const t = 1 / (1 + 0.5 * z)
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    )
  return x >= 0 ? 1 - erfc / 2 : erfc / 2
}

/**
 * Inverse standard normal CDF Φ⁻¹(p), p ∈ (0, 1): P. J. Acklam's rational approximation (relative
 * error below 1.15e-9). Returns ±Infinity at 0 and 1, NaN outside.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN
  if (p === 0) return Number.NEGATIVE_INFINITY
  if (p === 1) return Number.POSITIVE_INFINITY
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239]
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1]
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416]
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number]
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number]
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number]
  const [d0, d1, d2, d3] = d as [number, number, number, number]
  const low = 0.02425
  if (p < low) {
    const s = Math.sqrt(-2 * Math.log(p))
    return (((((c0 * s + c1) * s + c2) * s + c3) * s + c4) * s + c5) / ((((d0 * s + d1) * s + d2) * s + d3) * s + 1)
  }
  if (p > 1 - low) {
    const s = Math.sqrt(-2 * Math.log(1 - p))
    return -(((((c0 * s + c1) * s + c2) * s + c3) * s + c4) * s + c5) / ((((d0 * s + d1) * s + d2) * s + d3) * s + 1)
  }
  const s = p - 0.5
  const r = s * s
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * s) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
}

/** Result of Welch's unequal-variances t-test. */
export interface WelchResult {
  /** (mean(b) − mean(a)) / standard error. */
  t: number
  /** Welch–Satterthwaite degrees of freedom. */
  df: number
  /** Two-sided p-value. */
  p: number
}

/**
 * Welch's t-test (Welch 1947, "The generalization of 'Student's' problem when several different population
 * variances are involved", Biometrika 34) with Welch–Satterthwaite degrees of freedom. Each side needs two
 * values. When both variances are 0 the p-value is 0 if the means differ and 1 if they do not.
 */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchResult {
  if (a.length < 2 || b.length < 2) throw new Error('Welch t-test needs at least two values per side')
  const ma = mean(a)
  const mb = mean(b)
  const va = sampleStddev(a, ma) ** 2 / a.length
  const vb = sampleStddev(b, mb) ** 2 / b.length
  const se2 = va + vb
  if (se2 === 0)
    return ma === mb
      ? { t: 0, df: a.length + b.length - 2, p: 1 }
      : { t: mb > ma ? Infinity : -Infinity, df: a.length + b.length - 2, p: 0 }
  const t = (mb - ma) / Math.sqrt(se2)
  const df = (se2 * se2) / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1))
  return { t, df, p: studentTTwoSidedP(t, df) }
}

/**
 * Two-sided tail probability of Student's t distribution, P(|T| ≥ |t|) for `df` degrees of freedom (df may
 * be fractional): I_{df/(df+t²)}(df/2, 1/2), the regularized incomplete beta function
 * (Abramowitz & Stegun 26.7.1 with 26.5.27).
 */
export function studentTTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0
  if (!(df > 0)) return Number.NaN
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5)
}

/**
 * ln Γ(x) for x > 0 by the Lanczos approximation (Lanczos 1964, "A precision approximation of the gamma
 * function", SIAM J. Numer. Anal. B 1), with g = 7 and the nine coefficients of Godfrey (as in Numerical
 * Recipes 3rd ed. §6.1 and Boost); relative error below 1e-14.
 */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ]
  const z = x - 1
  let sum = c[0] as number
  for (let i = 1; i < 9; i++) sum += (c[i] as number) / (z + i)
  const t = z + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}

/**
 * The regularized incomplete beta function I_x(a, b), by its continued fraction evaluated with the
 * modified Lentz method (Numerical Recipes 3rd ed. §6.4, `betai`/`betacf`; Lentz 1976), using the symmetry
 * I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x))
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300
  const eps = 1e-15
  let c = 1
  let d = 1 - ((a + b) * x) / (a + 1)
  if (Math.abs(d) < tiny) d = tiny
  d = 1 / d
  let h = d
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + aa / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))
    d = 1 + aa * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + aa / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < eps) return h
  }
  return h
}

/**
 * Benjamini–Hochberg adjusted p-values (Benjamini & Hochberg 1995, "Controlling the false discovery rate",
 * JRSS B 57): p_(i) · m / i, made monotone from the largest down and capped at 1. Rejecting every adjusted
 * p-value below α controls the false discovery rate at α. NaN stays NaN and is not counted in m.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const idx = pValues.map((_, i) => i).filter((i) => !Number.isNaN(pValues[i]))
  const m = idx.length
  idx.sort((a, b) => (pValues[a] as number) - (pValues[b] as number))
  const out = pValues.map(() => Number.NaN)
  let running = 1
  for (let r = m - 1; r >= 0; r--) {
    const i = idx[r] as number
    running = Math.min(running, ((pValues[i] as number) * m) / (r + 1))
    out[i] = running
  }
  return out
}

/** P(T ≤ t) for Student's t distribution with `df` degrees of freedom (df may be fractional). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) return Number.NaN
  if (t === Number.POSITIVE_INFINITY) return 1
  if (t === Number.NEGATIVE_INFINITY) return 0
  const tail = regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5) / 2
  return t >= 0 ? 1 - tail : tail
}

/**
 * Inverse Student-t CDF: the t with P(T ≤ t) = p, for p ∈ (0, 1). Bisection on studentTCdf (monotone),
 * bracketed from the normal quantile outwards, to 1e-12 relative: about 60 CDF evaluations, cheap beside
 * anything that needs a quantile. ±Infinity at 0 and 1, NaN outside or for df ≤ 0.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return Number.NaN
  if (p === 0) return Number.NEGATIVE_INFINITY
  if (p === 1) return Number.POSITIVE_INFINITY
  if (p === 0.5) return 0
  if (p < 0.5) return -studentTQuantile(1 - p, df)
  let lo = 0
  let hi = Math.max(1, normalQuantile(p))
  while (studentTCdf(hi, df) < p) {
    lo = hi
    hi *= 2
    if (hi > 1e300) return Number.POSITIVE_INFINITY
  }
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2
    if (studentTCdf(mid, df) < p) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/** A binomial proportion with its interval. */
export interface ProportionInterval {
  successes: number
  trials: number
  /** successes / trials (NaN for no trials). */
  rate: number
  low: number
  high: number
  confidence: number
}

/**
 * Wilson score interval of a binomial proportion (Wilson 1927, JASA 22): unlike the normal ("Wald")
 * interval it stays inside [0, 1] and keeps close to its nominal coverage at 0 or n successes out of
 * 20, which is exactly where false-alarm rates live.
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): ProportionInterval {
  if (!(trials >= 0) || !(successes >= 0 && successes <= trials))
    throw new RangeError(`need 0 ≤ successes ≤ trials, got ${successes}/${trials}`)
  if (trials === 0) return { successes, trials, rate: Number.NaN, low: 0, high: 1, confidence }
  const z = normalQuantile(1 - (1 - confidence) / 2)
  const p = successes / trials
  const z2n = (z * z) / trials
  const centre = (p + z2n / 2) / (1 + z2n)
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials))
  return { successes, trials, rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half), confidence }
}

/** A median with a distribution-free interval from order statistics, and the coverage it actually has. */
export interface MedianInterval {
  median: number
  low: number
  high: number
  /** The interval's exact coverage (≥ the asked confidence, or the most that n values allow). */
  coverage: number
  n: number
}

/**
 * Median of `values` with the order-statistic interval [x(k), x(n−k+1)] (the sign-test interval; Hollander &
 * Wolfe, Nonparametric Statistical Methods, 3.6): the narrowest symmetric pair whose binomial(n, ½) coverage
 * is at least `confidence`. Five values cannot reach 95% (min–max covers 93.75%): then min–max, with that
 * coverage reported, so a caller prints what it has.
 */
export function medianInterval(values: readonly number[], confidence = 0.95): MedianInterval {
  const n = values.length
  if (n === 0) throw new RangeError('medianInterval needs at least one value')
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError('medianInterval needs finite values')
  const s = [...values].sort((a, b) => a - b)
  const m = n >> 1
  const median = n % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
  // P(X = i) for X ~ Binomial(n, 1/2); [x(k), x(n−k+1)] covers the median with 1 − 2·P(X ≤ k−1).
  const pmf: number[] = []
  let c = 1
  for (let i = 0; i <= n; i++) {
    pmf.push(c / 2 ** n)
    c = (c * (n - i)) / (i + 1)
  }
  const coverageAt = (k: number): number => 1 - 2 * pmf.slice(0, k).reduce((x, y) => x + y, 0)
  let k = 1
  while (k + 1 <= Math.ceil(n / 2) && coverageAt(k + 1) >= confidence) k++
  const coverage = coverageAt(k)
  return { median, low: s[k - 1] as number, high: s[n - k] as number, coverage, n }
}
