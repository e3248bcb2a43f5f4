/**
 * `getTrend`: a workload's history with change points, over the store's run summaries (the derived index
 * makes that one file read at 100,000 runs), plus the named baseline's value for the chart's baseline line.
 */
import { buildTrend, isTrendMetric, TREND_METRIC_NAMES, TREND_METRICS } from '../core/analysis/trend.js'
import { ApiValidationError } from '../core/api/contract.js'
import type { TrendRequest, TrendWithBaseline } from '../core/api/schemas.js'
import type { RunStore } from '../store/run-store.js'
import { readBaseline } from './baselines.js'

export async function computeTrend(store: RunStore, request: TrendRequest): Promise<TrendWithBaseline> {
  const metric = request.metric ?? 'opsPerSec'
  if (!isTrendMetric(metric)) throw new ApiValidationError(`Unknown trend metric "${metric}"; use one of ${TREND_METRIC_NAMES.join(', ')}.`, [`metric: one of ${TREND_METRIC_NAMES.join(', ')}`])
  const runs = await store.list({ workload: request.workload, status: 'ok', ...(request.branch ? { branch: request.branch } : {}) })
  const trend = buildTrend(runs, {
    workload: request.workload,
    metric,
    ...(request.variant ? { variant: request.variant } : {}),
    ...(request.branch ? { branch: request.branch } : {}),
  })
  if (!request.baseline) return trend
  const baseline = await readBaseline(store, request.baseline)
  const member = baseline.members.find((m) => m.workload === trend.workload && m.variant === trend.variant)
  if (!member) return { ...trend, notes: [...trend.notes, `baseline ${baseline.name} has no member ${trend.workload}/${trend.variant}`] }
  const byId = new Map(runs.map((r) => [r.id, r]))
  const values = member.runIds.map((id) => byId.get(id)).filter((r) => r !== undefined).map((r) => TREND_METRICS[metric].value(r)).filter((v): v is number => v !== undefined)
  if (values.length === 0) return trend
  values.sort((a, b) => a - b)
  const mid = values.length >> 1
  const value = values.length % 2 ? (values[mid] as number) : ((values[mid - 1] as number) + (values[mid] as number)) / 2
  return { ...trend, baseline: { name: baseline.name, value, runIds: member.runIds } }
}

