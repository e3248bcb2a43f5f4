/**
 * Health limits on the resource timeline: those given as assertions (eventLoopDelayP99, peakRss,
 * peakHeap with < or <=) and defaults for event-loop delay and RSS; and where a timeline crossed them.
 * Shared by the engine (saved crossing marks) and the UI (lines on the live and saved timelines).
 */
import type { AssertionOp, ThresholdCrossing } from '../model/load.js'
import type { TimelineSample } from '../model/run.js'

export type HealthSeries = 'eventLoopDelayMs' | 'rssBytes' | 'heapUsedBytes'

export interface HealthLimit {
  series: HealthSeries
  /** In the series' unit: ms for event-loop delay, bytes for memory. */
  limit: number
  /** The assertion's text, or "default". */
  source: string
}

export const DEFAULT_HEALTH_LIMITS: readonly HealthLimit[] = [
  { series: 'eventLoopDelayMs', limit: 100, source: 'default' },
  { series: 'rssBytes', limit: 2 * 1024 ** 3, source: 'default' },
]

/** The limits to draw and check: assertions' first, then the defaults for series no assertion names. */
export function healthLimits(assertions: readonly { metric: string; op: AssertionOp; threshold: number; expr: string }[]): HealthLimit[] {
  const out: HealthLimit[] = []
  for (const a of assertions) {
    if (a.op !== '<' && a.op !== '<=') continue
    if (a.metric === 'eventLoopDelayP99') out.push({ series: 'eventLoopDelayMs', limit: a.threshold / 1e6, source: a.expr })
    if (a.metric === 'peakRss') out.push({ series: 'rssBytes', limit: a.threshold, source: a.expr })
    if (a.metric === 'peakHeap') out.push({ series: 'heapUsedBytes', limit: a.threshold, source: a.expr })
  }
  for (const d of DEFAULT_HEALTH_LIMITS) if (!out.some((o) => o.series === d.series)) out.push(d)
  return out
}

/** Upward crossings of each limit (at most 100 per limit), in timeline order. */
export function findThresholdCrossings(timeline: readonly TimelineSample[], limits: readonly HealthLimit[]): ThresholdCrossing[] {
  const out: ThresholdCrossing[] = []
  for (const { series, limit, source } of limits) {
    let above = false
    let n = 0
    for (const s of timeline) {
      const v = s[series]
      if (typeof v !== 'number') continue
      if (v > limit && !above && n < 100) {
        out.push({ series, tMs: s.tMs, value: v, limit, source })
        n++
      }
      above = v > limit
    }
  }
  return out.sort((a, b) => a.tMs - b.tMs)
}
