/**
 * Ratios between tools measured side by side, the way the profiles and heap-snapshot benches state their
 * goals: each round runs every tool once, each in a fresh process, so a round's ratio of two tools is one
 * between-process sample; the ratio is the geometric mean over rounds, with a paired Student-t 95%
 * interval (core/stats/between-process.ts pairedProcessInterval). A goal is judged on the interval, not on
 * the estimate: met only when the whole interval is on the right side of it.
 */
import { pairedProcessInterval } from '../core/stats/between-process.js'

/** One tool's measurement in one round (a fresh process). */
export interface RoundMeasurement {
  tool: string
  round?: number
  wallMs: number
  error?: string
}

/** A ratio of two tools' wall times with its 95% interval over rounds (paired by round, one process each). */
export interface ToolRatio {
  estimate: number
  low: number | null
  high: number | null
  /** Rounds (process pairs) it rests on. */
  pairs: number
}

/**
 * The ratio `numerator / denominator` of wall times over the rounds where both tools finished. The
 * numerator may name several tools: then each round's fastest of them (how "the fastest other parser" is
 * stated). Null when no round has both.
 */
export function pairedToolRatio(
  rows: readonly RoundMeasurement[],
  numerator: string | readonly string[],
  denominator: string,
): ToolRatio | null {
  const tops = typeof numerator === 'string' ? [numerator] : numerator
  const rounds = [...new Set(rows.map((r) => r.round).filter((r): r is number => r !== undefined))].sort((a, b) => a - b)
  const ok = (row: RoundMeasurement): boolean => !row.error && Number.isFinite(row.wallMs) && row.wallMs > 0
  const logRatios: number[] = []
  for (const r of rounds) {
    const inRound = rows.filter((row) => row.round === r && ok(row))
    const below = inRound.find((row) => row.tool === denominator)
    const above = inRound.filter((row) => tops.includes(row.tool))
    if (!below || above.length === 0) continue
    logRatios.push(Math.log(Math.min(...above.map((row) => row.wallMs)) / below.wallMs))
  }
  if (logRatios.length === 0) return null
  const iv = pairedProcessInterval(logRatios)
  const geo = Math.exp(logRatios.reduce((t, v) => t + v, 0) / logRatios.length)
  return { estimate: iv?.estimate ?? geo, low: iv?.low ?? null, high: iv?.high ?? null, pairs: logRatios.length }
}

/** "1.62x [1.48–1.77], 7 rounds": the estimate, its interval and how many rounds it rests on. */
export function formatToolRatio(r: ToolRatio | null): string {
  if (!r) return '-'
  const iv = r.low !== null && r.high !== null ? ` [${r.low.toFixed(2)}–${r.high.toFixed(2)}]` : ' (no interval)'
  return `${r.estimate.toFixed(2)}x${iv}, ${r.pairs} round${r.pairs === 1 ? '' : 's'}`
}

/** Whether a ratio meets a goal of `at most` or `at least` `goal`, judged on its interval. */
export type GoalVerdict = 'meets' | 'misses' | 'unresolved' | 'no interval'

export function goalVerdict(r: ToolRatio | null, goal: number, direction: 'at most' | 'at least'): GoalVerdict {
  if (!r || r.low === null || r.high === null) return 'no interval'
  const [good, bad] = direction === 'at most' ? [r.high <= goal, r.low > goal] : [r.low >= goal, r.high < goal]
  return good ? 'meets' : bad ? 'misses' : 'unresolved'
}

/** " → meets the goal" and the like, for a bench line. */
export function formatVerdict(verdict: GoalVerdict, goal: number): string {
  switch (verdict) {
    case 'meets':
      return ' → meets the goal'
    case 'misses':
      return ' → misses the goal'
    case 'unresolved':
      return ` → not resolved against the goal (interval spans ${goal})`
    case 'no interval':
      return ' → too few rounds to judge the goal (needs 2)'
  }
}
