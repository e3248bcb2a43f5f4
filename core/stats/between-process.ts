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
import { studentTQuantile } from './significance.js'

export type ProcessIntervalMethod = 'welch-t' | 'paired-t' | 'pooled-t'

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

/**
 * The single-process noise floor: with one process per side there is no evidence about between-process
 * noise, so a change counts only when it exceeds what identical code did on this machine. Measured here
 * (`npm run bench`, section "verdicts": single-process A/A comparisons of orderbook/optimized, 1 s each,
 * on the shared 2-core machine with the other sessions running): the 95th percentile of |ratio − 1| of
 * opsPerSec was 13.6% over 20 pairs (the issue's own 12 runs gave ratios up to 1.19). 20% leaves margin
 * for tail metrics, which vary more than throughput.
 */
export const SINGLE_PROCESS_NOISE_FLOOR = 0.2
