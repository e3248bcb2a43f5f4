/**
 * `hotpath sweep <w> --rate 1k,10k,100k`: one open-loop run per offered rate, and the latency-under-load
 * table (rate, achieved, p50, p99, p99.9, max) with the saturation point marked: the first rate the
 * workload did not keep up with.
 */
import type { RunRecord } from '../core/model/run.js'
import { formatDuration } from '../core/format/duration.js'
import { formatCompact } from '../core/format/number.js'
import { UsageError } from './context.js'
import { parseRate } from './load-flags.js'
import { formatTable } from './shared.js'

export interface LoadRow {
  id: string
  status: RunRecord['status']
  offeredOpsPerSec: number
  achievedOpsPerSec?: number
  p50Ns?: number
  p99Ns?: number
  p999Ns?: number
  maxNs?: number
  keptUp?: boolean
  /** The first rate that was not kept up. */
  saturated: boolean
}

/** "1k,10k,50k" → rates in ascending order as given; at least two, at most 50. */
export function expandRates(text: string): number[] {
  const rates = text.split(',').map((t) => t.trim()).filter(Boolean).map(parseRate)
  if (rates.length < 2) throw new UsageError('a rate sweep needs at least two rates, e.g. --rate 1k,10k,100k')
  if (rates.length > 50) throw new UsageError(`the sweep would make ${rates.length} runs; at most 50`)
  return rates
}

export function latencyUnderLoadRows(runs: readonly RunRecord[], rates: readonly number[]): LoadRow[] {
  let marked = false
  return runs.map((run, i) => {
    const l = run.load
    const row: LoadRow = { id: run.id, status: run.status, offeredOpsPerSec: l?.offeredOpsPerSec ?? rates[i] ?? 0, saturated: false }
    if (l) {
      row.achievedOpsPerSec = l.achievedOpsPerSec
      row.keptUp = l.keptUp
    }
    if (run.metrics) {
      row.p50Ns = run.metrics.latencyNs.p50
      row.p99Ns = run.metrics.latencyNs.p99
      row.p999Ns = run.metrics.latencyNs.p999
      row.maxNs = run.metrics.latencyNs.max
    }
    if (!marked && l && !l.keptUp) {
      row.saturated = true
      marked = true
    }
    return row
  })
}

/** One line naming the saturation point, or saying none was reached. */
export function describeSaturation(rows: readonly LoadRow[]): string {
  const at = rows.findIndex((r) => r.saturated)
  if (at < 0) return `kept up with every offered rate (up to ${formatCompact(rows[rows.length - 1]?.offeredOpsPerSec ?? 0)}/s): no saturation reached`
  const row = rows[at]!
  const before = rows[at - 1]
  const achieved = row.achievedOpsPerSec !== undefined ? formatCompact(row.achievedOpsPerSec) : '?'
  return `saturation: ${before ? `kept up at ${formatCompact(before.offeredOpsPerSec)}/s, ` : ''}did not keep up at ${formatCompact(row.offeredOpsPerSec)}/s (achieved ${achieved}/s); capacity is about ${achieved}/s`
}

export function formatLatencyUnderLoad(rows: readonly LoadRow[]): string {
  const d = (ns: number | undefined): string => (ns !== undefined ? formatDuration(ns) : '-')
  return formatTable(
    ['RATE', 'ACHIEVED', 'P50', 'P99', 'P99.9', 'MAX', 'KEPT UP', '', 'RUN'],
    rows.map((r) => [
      `${formatCompact(r.offeredOpsPerSec)}/s`,
      r.achievedOpsPerSec !== undefined ? `${formatCompact(r.achievedOpsPerSec)}/s` : '-',
      d(r.p50Ns),
      d(r.p99Ns),
      d(r.p999Ns),
      d(r.maxNs),
      r.keptUp === undefined ? r.status : r.keptUp ? 'yes' : 'no',
      r.saturated ? '<- saturation' : '',
      r.id,
    ]),
    ['r', 'r', 'r', 'r', 'r', 'r', 'l', 'l', 'l'],
  )
}
