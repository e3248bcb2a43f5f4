/**
 * A suite against its baseline: for each member, the ratio candidate / baseline of one metric from one
 * value per process (the unit of evidence between processes), and the suite score, the geometric mean of
 * the members' ratios (as SPEC and Geekbench summarise), each with a 95% interval.
 *
 * Estimator: ratio of geometric means of the per-process values (log scale, where process-to-process noise
 * is additive); interval by a percentile bootstrap over processes, resampling each side of each member
 * independently (the score resamples every member at once, so its interval carries every member's noise).
 * Coverage and the gate's false-alarm rate are measured in simulation in tests/unit/core/compare/suite.test.ts.
 * When core/stats gains the between-process t-interval (helper "verdicts"), members with few processes
 * should move to it; the score's combination stays the same.
 */
import type { ReportInput } from '../export/index.js'
import type { Baseline } from '../model/suite.js'
import { createStatsRng } from '../stats/rng.js'
import type { FunctionChange } from './comparison.js'
import type { MetricName } from './metrics.js'

export interface ProcessGroupRatio {
  /** exp(mean log candidate − mean log baseline). */
  ratio: number
  low: number | null
  high: number | null
  baselineProcesses: number
  candidateProcesses: number
}

export type SuiteVerdict = 'improved' | 'regressed' | 'no-change' | 'inconclusive'

export interface SuiteCompareOptions {
  better: 'higher' | 'lower'
  /** Half-width of the no-change band (fraction, default 0.02). */
  noise?: number
  /** Gate threshold (fraction): trips when a member regressed and its estimate is beyond it. */
  maxRegression?: number
  confidence?: number
  resamples?: number
  seed?: number
}

const meanLog = (v: readonly number[]): number => v.reduce((a, x) => a + Math.log(x), 0) / v.length

function resampleMeanLog(logs: Float64Array, rng: ReturnType<typeof createStatsRng>): number {
  let s = 0
  for (let i = 0; i < logs.length; i++) s += logs[rng.below(logs.length)] as number
  return s / logs.length
}

function percentile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1)
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo)
}

/**
 * Ratios of every member and the score, with bootstrap intervals. Members whose sides have fewer than two
 * processes get no interval (one process says nothing about between-process noise).
 */
export function compareSuiteMembers(
  members: readonly { baseline: readonly number[]; candidate: readonly number[] }[],
  options: Pick<SuiteCompareOptions, 'confidence' | 'resamples' | 'seed'> = {},
): { members: ProcessGroupRatio[]; score: ProcessGroupRatio & { members: number } } {
  const confidence = options.confidence ?? 0.95
  const resamples = options.resamples ?? 2000
  const rng = createStatsRng(options.seed ?? 0x5017e)
  const valid = members.map((m) => m.baseline.length > 0 && m.candidate.length > 0 && [...m.baseline, ...m.candidate].every((v) => v > 0 && Number.isFinite(v)))
  const logs = members.map((m) => ({ b: Float64Array.from(m.baseline, Math.log), c: Float64Array.from(m.candidate, Math.log) }))
  const withSpread = members.map((m, i) => valid[i] && m.baseline.length >= 2 && m.candidate.length >= 2)
  const draws = members.map(() => new Float64Array(resamples))
  const scoreDraws = new Float64Array(resamples)
  const used = members.map((_, i) => i).filter((i) => valid[i])
  const scoreHasSpread = used.length > 0 && used.every((i) => withSpread[i])
  for (let r = 0; r < resamples; r++) {
    let sum = 0
    for (const i of used) {
      const l = logs[i] as { b: Float64Array; c: Float64Array }
      const d = withSpread[i] ? resampleMeanLog(l.c, rng) - resampleMeanLog(l.b, rng) : 0
      ;(draws[i] as Float64Array)[r] = d
      sum += d
    }
    scoreDraws[r] = used.length ? sum / used.length : 0
  }
  const a = (1 - confidence) / 2
  const out = members.map((m, i): ProcessGroupRatio => {
    const base = { baselineProcesses: m.baseline.length, candidateProcesses: m.candidate.length }
    if (!valid[i]) return { ratio: Number.NaN, low: null, high: null, ...base }
    const ratio = Math.exp(meanLog(m.candidate) - meanLog(m.baseline))
    if (!withSpread[i]) return { ratio, low: null, high: null, ...base }
    const sorted = (draws[i] as Float64Array).slice().sort()
    return { ratio, low: Math.exp(percentile(sorted, a)), high: Math.exp(percentile(sorted, 1 - a)), ...base }
  })
  const scoreRatio = used.length ? Math.exp(used.reduce((s, i) => s + Math.log((out[i] as ProcessGroupRatio).ratio), 0) / used.length) : Number.NaN
  const sortedScore = scoreDraws.slice().sort()
  const processes = (k: 'baselineProcesses' | 'candidateProcesses'): number => used.reduce((n, i) => n + (out[i] as ProcessGroupRatio)[k], 0)
  return {
    members: out,
    score: {
      ratio: scoreRatio,
      low: scoreHasSpread ? Math.exp(percentile(sortedScore, a)) : null,
      high: scoreHasSpread ? Math.exp(percentile(sortedScore, 1 - a)) : null,
      baselineProcesses: processes('baselineProcesses'),
      candidateProcesses: processes('candidateProcesses'),
      members: used.length,
    },
  }
}

/** The verdict of one ratio: a change counts only when the whole interval is outside the noise band. */
export function suiteVerdict(r: ProcessGroupRatio, better: 'higher' | 'lower', noise = 0.02): SuiteVerdict {
  if (r.low === null || r.high === null || !Number.isFinite(r.ratio)) return 'inconclusive'
  const worseAbove = better === 'lower'
  if (r.low > 1 + noise) return worseAbove ? 'regressed' : 'improved'
  if (r.high < 1 - noise) return worseAbove ? 'improved' : 'regressed'
  if (r.low >= 1 - noise && r.high <= 1 + noise) return 'no-change'
  return 'inconclusive'
}

/**
 * The gate on one member, as `compare --fail-on-regression` (core/compare/comparison.ts evaluateGate):
 * the member regressed (its whole interval beyond the noise band on the bad side) and its estimate is
 * beyond the threshold.
 */
export function suiteGateTripped(r: ProcessGroupRatio, better: 'higher' | 'lower', maxRegression: number, noise = 0.02): boolean {
  if (suiteVerdict(r, better, noise) !== 'regressed') return false
  return better === 'higher' ? r.ratio < 1 - maxRegression : r.ratio > 1 + maxRegression
}

/** What `hotpath suite` produced: members, their comparison with the baseline, the score and the gate. */
export interface SuiteMemberResult {
  key: string
  workload: string
  variant: string
  params: Record<string, number | string | boolean>
  file?: string
  runIds: string[]
  failures: { runId: string; error: string }[]
  comparison?: {
    baselineRunIds: string[]
    /** Geometric means of the per-process values of each side. */
    baselineValue: number
    candidateValue: number
    ratio: ProcessGroupRatio
    verdict: SuiteVerdict
    gateTripped: boolean
    /** Functions whose self time grew or shrank most (CPU profiles of one baseline and one candidate process). */
    functionChanges?: readonly FunctionChange[]
    /** The full comparison of one baseline and one candidate process, for the detailed report. */
    report?: ReportInput
  }
  note?: string
}

export interface SuiteResult {
  group: string
  name: string
  metric: MetricName
  better: 'higher' | 'lower'
  repeat: number
  members: SuiteMemberResult[]
  baseline?: { name: string; createdAt: string; git?: Baseline['git'] }
  /** The git state the candidate was measured at (the suite's folder), for the report. */
  candidateGit?: Baseline['git']
  score?: ProcessGroupRatio & { members: number }
  savedBaseline?: { name: string; file: string }
  gate: { threshold?: number; tripped: boolean; reasons: string[] }
  failed: boolean
  warnings: string[]
}

