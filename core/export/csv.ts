/**
 * CSV of run metrics, one row per run (baseline first), for spreadsheets. RFC 4180: comma-separated,
 * CRLF line ends, fields with commas, quotes or line breaks quoted, quotes doubled. Column names are
 * the run.json field paths, so units are in them (`metrics.latencyNs.p99`).
 */
import { getMetric } from '../compare/comparison.js'
import type { RunRecord } from '../model/run.js'
import type { Exporter, ReportInput } from './index.js'

type Cell = string | number | boolean | null | undefined

/**
 * Quotes one field per RFC 4180 §2. Text cells starting with = + - @ or a tab are prefixed with an
 * apostrophe so spreadsheets do not run them as formulas (OWASP "CSV injection"); numbers are never touched.
 */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Joins rows into RFC 4180 text (CRLF after every record, including the last). */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('')
}

const RUN_COLUMNS: readonly [string, (r: RunRecord) => Cell][] = [
  ['id', (r) => r.id],
  ['label', (r) => r.label],
  ['workload.id', (r) => r.workload.id],
  ['workload.variant', (r) => r.workload.variant],
  ['workload.params', (r) => Object.entries(r.workload.params).map(([k, v]) => `${k}=${String(v)}`).join(';')],
  ['workload.seed', (r) => r.workload.seed],
  ['status', (r) => r.status],
  ['createdAt', (r) => r.createdAt],
  ['runtime.node', (r) => r.runtime.node],
  ['env.cpu.brand', (r) => r.env.cpu.brand],
  ['env.cpu.cores', (r) => r.env.cpu.cores],
  ['metrics.iterations', (r) => r.metrics?.iterations],
  ['metrics.operations', (r) => r.metrics?.operations],
  ['metrics.opsPerIteration', (r) => r.metrics?.opsPerIteration],
  ['metrics.batched', (r) => r.metrics?.batched],
  ['metrics.measuredMs', (r) => r.metrics?.measuredMs],
  ['metrics.opsPerSec', (r) => r.metrics?.opsPerSec],
  ['metrics.latencyNs.mean', (r) => r.metrics?.latencyNs.mean],
  ['metrics.latencyNs.stddev', (r) => r.metrics?.latencyNs.stddev],
  ['metrics.latencyNs.min', (r) => r.metrics?.latencyNs.min],
  ['metrics.latencyNs.p50', (r) => r.metrics?.latencyNs.p50],
  ['metrics.latencyNs.p90', (r) => r.metrics?.latencyNs.p90],
  ['metrics.latencyNs.p95', (r) => r.metrics?.latencyNs.p95],
  ['metrics.latencyNs.p99', (r) => r.metrics?.latencyNs.p99],
  ['metrics.latencyNs.p999', (r) => r.metrics?.latencyNs.p999],
  ['metrics.latencyNs.max', (r) => r.metrics?.latencyNs.max],
  ['metrics.outliers.low', (r) => r.metrics?.outliers.low],
  ['metrics.outliers.high', (r) => r.metrics?.outliers.high],
  ['metrics.gc.count', (r) => r.metrics?.gc.count],
  ['metrics.gc.pauseMs', (r) => r.metrics?.gc.pauseMs],
  ['metrics.peakRssBytes', (r) => r.metrics?.peakRssBytes],
  ['metrics.peakHeapUsedBytes', (r) => r.metrics?.peakHeapUsedBytes],
  ['metrics.cpu.userMs', (r) => r.metrics?.cpu.userMs],
  ['metrics.cpu.systemMs', (r) => r.metrics?.cpu.systemMs],
]

/** Rows of the CSV: a header, then one row per run; the headline metric against the baseline at the end. */
export function comparisonCsvRows(input: ReportInput): Cell[][] {
  const { comparison, runs } = input
  const metric = comparison.settings.headlineMetric
  const header: Cell[] = [
    ...RUN_COLUMNS.map(([name]) => name),
    'vsBaseline.metric',
    'vsBaseline.ratio',
    'vsBaseline.ciLow',
    'vsBaseline.ciHigh',
    'vsBaseline.verdict',
  ]
  const rows = runs.map((run): Cell[] => {
    const candidate = comparison.candidates.find((c) => c.id === run.id)
    const m = candidate ? getMetric(candidate, metric) : undefined
    const vs: Cell[] =
      run.id === comparison.baseline ? [metric, 1, null, null, 'baseline'] : m ? [metric, m.ratio, m.ciLow, m.ciHigh, m.verdict] : [metric, null, null, null, null]
    return [...RUN_COLUMNS.map(([, get]) => get(run)), ...vs]
  })
  return [header, ...rows]
}

export const csvExporter: Exporter = {
  format: 'csv',
  extension: 'csv',
  mediaType: 'text/csv',
  serialize: (input) => toCsv(comparisonCsvRows(input)),
}
