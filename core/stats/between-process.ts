/**
 * Intervals of a ratio candidate / baseline that rest on the spread *between processes*, not on the
 * iterations of one process. On a shared machine one process differs from the next by several percent
 * (JIT decisions, memory layout, CPU frequency, neighbours); iterations inside a process share all of
 * that, so an interval bootstrapped from them is far too narrow (11 A/A comparisons gave 7 "improved").
 *
 * Estimator (chosen over a hierarchical bootstrap): a Student-t interval on log values, one value per
 * process. Logs because run-to-run noise is multiplicative (a slower CPU slows every iteration by a
 * factor) and a ratio is then a difference; one value per process because processes are the independent
 * units, and iterations within one are not. With 3–20 processes per side (what fits in seconds) a
 * bootstrap over processes has too few distinct resamples to reach its nominal coverage (with n = 5 it
 * covers ≈ 85% at "95%"), while the t-interval is exact for normal log values and close to it for the
 * mildly skewed ones seen here; its coverage is tested in simulation (tests/unit/core/stats/
 * between-process.test.ts), including heavy-tailed process effects.
 *
 * - Unpaired (two runs made apart): Welch's interval on mean(log y) − mean(log x), Welch–Satterthwaite df.
 *   When one side has a single process its variance is unknown: the other side's is used for both (a
 *   pooled assumption the result warns about).
 * - Paired (both sides measured in the same process, or in adjacent processes of one interleaved
 *   session): a one-sample t-interval on the per-process log-ratios d_i, df = n − 1. The verdict rests on
 *   how d varies from process to process, so a bias inside one process cannot pass for a change.
 */
import { mean, sampleStddev } from './summarize.js'
import { normalQuantile, studentTQuantile } from './significance.js'

export type ProcessIntervalMethod = 'welch-t' | 'paired-t' | 'pooled-t' | 'signed-rank'

/** An interval of a ratio from per-process values. Ratios are candidate / baseline. */
export interface ProcessRatioInterval {
  /** exp(mean log-difference): the geometric-mean ratio. */
  estimate: number
  low: number
  high: number
  confidence: number
  /** Standard error of the log-ratio. */
  seLog: number
  df: number
  method: ProcessIntervalMethod
  /** Processes per side (for paired, both are the number of pairs). */
  baselineProcesses: number
  candidateProcesses: number
  /**
   * Minimum detectable effect, as a fraction: the smallest true change (in either direction) that this
   * design reports with probability `power` at this confidence, given the noise band: it must clear the
   * band by (t_{1−α/2} + t_{power}) standard errors. "could detect changes ≥ mde".
   */
  mde: number
  power: number
}

export const DEFAULT_POWER = 0.8

function logs(values: readonly number[]): number[] {
  return values.map((v) => Math.log(v))
}

/** Minimum detectable effect of a design with this standard error (fraction; Infinity when unknown). */
export function minimumDetectableEffect(seLog: number, df: number, noise: number, confidence = 0.95, power = DEFAULT_POWER): number {
  if (!(seLog >= 0) || !(df > 0)) return Number.POSITIVE_INFINITY
  const k = studentTQuantile(1 - (1 - confidence) / 2, df) + studentTQuantile(power, df)
  return Math.exp(Math.log1p(noise) + k * seLog) - 1
}

function finish(
  d: number,
  se: number,
  df: number,
  method: ProcessIntervalMethod,
  nb: number,
  nc: number,
  confidence: number,
  noise: number,
): ProcessRatioInterval {
  const t = studentTQuantile(1 - (1 - confidence) / 2, df)
  return {
    estimate: Math.exp(d),
    low: Math.exp(d - t * se),
    high: Math.exp(d + t * se),
    confidence,
    seLog: se,
    df,
    method,
    baselineProcesses: nb,
    candidateProcesses: nc,
    mde: minimumDetectableEffect(se, df, noise, confidence),
    power: DEFAULT_POWER,
  }
}

export interface ProcessIntervalOptions {
  confidence?: number
  /** Noise band half-width (fraction) the MDE is measured beyond. Default 0. */
  noise?: number
}

/**
 * Interval of the ratio from independent per-process values of each side (all > 0). Needs two
 * processes on at least one side; returns undefined otherwise (no evidence about between-process noise).
 */
export function unpairedProcessInterval(
  baseline: readonly number[],
  candidate: readonly number[],
  options: ProcessIntervalOptions = {},
): ProcessRatioInterval | undefined {
  const confidence = options.confidence ?? 0.95
  const noise = options.noise ?? 0
  const nb = baseline.length
  const nc = candidate.length
  if (nb === 0 || nc === 0 || (nb < 2 && nc < 2)) return undefined
  if (![...baseline, ...candidate].every((v) => v > 0 && Number.isFinite(v))) return undefined
  const lb = logs(baseline)
  const lc = logs(candidate)
  const mb = mean(lb)
  const mc = mean(lc)
  const d = mc - mb
  if (nb < 2 || nc < 2) {
    // One side has a single process: its spread is unknown, so assume the other side's (pooled).
    const known = nb >= 2 ? lb : lc
    const s = sampleStddev(known)
    const se = s * Math.sqrt(1 / nb + 1 / nc)
    return finish(d, se, known.length - 1, 'pooled-t', nb, nc, confidence, noise)
  }
  const vb = sampleStddev(lb, mb) ** 2 / nb
  const vc = sampleStddev(lc, mc) ** 2 / nc
  const se2 = vb + vc
  const df = se2 > 0 ? (se2 * se2) / ((vb * vb) / (nb - 1) + (vc * vc) / (nc - 1)) : nb + nc - 2
  return finish(d, Math.sqrt(se2), df, 'welch-t', nb, nc, confidence, noise)
}

/**
 * Interval of the ratio from per-process log-ratios log(candidate / baseline), one per process (or per
 * adjacent pair of processes). Needs two; returns undefined otherwise.
 */
export function pairedProcessInterval(
  logRatios: readonly number[],
  options: ProcessIntervalOptions = {},
): ProcessRatioInterval | undefined {
  const confidence = options.confidence ?? 0.95
  const noise = options.noise ?? 0
  const n = logRatios.length
  if (n < 2 || !logRatios.every(Number.isFinite)) return undefined
  const d = mean(logRatios)
  const se = sampleStddev(logRatios, d) / Math.sqrt(n)
  return finish(d, se, n - 1, 'paired-t', n, n, confidence, noise)
}

/** Fewest pairs for which the signed-rank interval exists at 95% (2^−n must be below α/2: n ≥ 6). */
const MIN_SIGNED_RANK_PAIRS = 6
/** Above this many pairs the normal approximation of the signed-rank distribution is used (exact below). */
const EXACT_SIGNED_RANK_MAX = 200

/**
 * How many Walsh averages to drop from each end for a two-sided interval at `confidence`: the largest k
 * with P(W⁺ < k) ≤ α/2 under the null, W⁺ the Wilcoxon signed-rank statistic of n pairs (exact counts by
 * dynamic programming up to EXACT_SIGNED_RANK_MAX pairs, the normal approximation with continuity
 * correction above). The interval [w_(k+1), w_(M−k)] then covers the centre with probability ≥ confidence.
 */
export function signedRankCut(n: number, confidence: number): number {
  const alpha = 1 - confidence
  const total = (n * (n + 1)) / 2
  if (n > EXACT_SIGNED_RANK_MAX) {
    const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24)
    return Math.max(0, Math.floor(total / 2 - normalQuantile(1 - alpha / 2) * sd - 0.5) + 1)
  }
  // counts[s] = number of sign patterns with W⁺ = s, scaled by 2^−k as pairs are added (stays in range).
  let counts = new Float64Array(total + 1)
  counts[0] = 1
  for (let k = 1; k <= n; k++) {
    const next = new Float64Array(total + 1)
    for (let v = 0; v <= total; v++) {
      const c = counts[v] as number
      if (c === 0) continue
      next[v] = (next[v] as number) + c / 2
      if (v + k <= total) next[v + k] = (next[v + k] as number) + c / 2
    }
    counts = next
  }
  let cum = 0
  let k = 0
  while (k <= total && cum + (counts[k] as number) <= alpha / 2 + 1e-12) cum += counts[k++] as number
  return k
}

/**
 * Interval of the ratio from per-pair log-ratios that tolerates outlying pairs: the Hodges–Lehmann
 * estimate (median of the Walsh averages (d_i + d_j)/2, i ≤ j) with its distribution-free Wilcoxon
 * signed-rank interval (Tukey/Moses: drop `signedRankCut` Walsh averages from each end). Coverage needs
 * only that the pair log-ratios are independent and symmetric about the true change, which interleaved
 * processes give (AB and BA rounds alternate, so a neighbour's burst of load hits either side alike).
 *
 * Used for process-level ABBA, where a whole process is the unit: on a shared machine a process that
 * loses half its CPU to a neighbour makes one pair's log-ratio off by 0.5–1.5 while the others agree to
 * ±2% (measured here: 22 ABBA rounds with other builds running), and one such pair widens a t-interval
 * to ±18% where this one stays at ±8% around the right estimate. For normal data it is 95.5% as
 * efficient as the t-interval. Needs MIN_SIGNED_RANK_PAIRS pairs; with fewer, the t-interval is used.
 * `seLog` (for the minimum detectable effect) is the interval's half-width over the t quantile.
 */
export function pairedRankInterval(logRatios: readonly number[], options: ProcessIntervalOptions = {}): ProcessRatioInterval | undefined {
  const confidence = options.confidence ?? 0.95
  const noise = options.noise ?? 0
  const n = logRatios.length
  if (n < 2 || !logRatios.every(Number.isFinite)) return undefined
  const k = signedRankCut(n, confidence)
  if (n < MIN_SIGNED_RANK_PAIRS || k < 1) return pairedProcessInterval(logRatios, options)
  const walsh = new Float64Array((n * (n + 1)) / 2)
  let w = 0
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh[w++] = ((logRatios[i] as number) + (logRatios[j] as number)) / 2
  walsh.sort()
  const m = walsh.length
  const centre = m % 2 === 1 ? (walsh[(m - 1) / 2] as number) : ((walsh[m / 2 - 1] as number) + (walsh[m / 2] as number)) / 2
  // Drop k − 1 averages from each end: [w_(k), w_(M−k+1)] in 1-based order (k from signedRankCut is the
  // count of null W⁺ values with tail mass ≤ α/2).
  const low = walsh[k - 1] as number
  const high = walsh[m - k] as number
  const df = n - 1
  const t = studentTQuantile(1 - (1 - confidence) / 2, df)
  const se = (high - low) / (2 * t)
  return {
    estimate: Math.exp(centre),
    low: Math.exp(low),
    high: Math.exp(high),
    confidence,
    seLog: se,
    df,
    method: 'signed-rank',
    baselineProcesses: n,
    candidateProcesses: n,
    mde: minimumDetectableEffect(se, df, noise, confidence),
    power: DEFAULT_POWER,
  }
}

/**
 * The single-process noise floor: with one process per side there is no evidence about between-process
 * noise, so a change counts only when it exceeds what identical code did on this machine. Measured here
 * (`npm run bench`, section "verdicts": single-process A/A comparisons of orderbook/optimized, 1 s each,
 * on the shared 2-core machine with the other sessions running): the 95th percentile of |ratio − 1| of
 * opsPerSec was 13.6% over 20 pairs (the issue's own 12 runs gave ratios up to 1.19). 20% leaves margin
 * for tail metrics, which vary more than throughput.
 */
export const SINGLE_PROCESS_NOISE_FLOOR = 0.2
