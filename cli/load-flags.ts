/**
 * The load, soak, assertion and budget flags of `hotpath run` and `hotpath sweep`: parsed into RunRequest
 * fields, and the text that shows their results (assertions first, then load, soak and the budget table).
 */
import type { RunRequest } from '../core/api/schemas.js'
import { formatQuantity, isAssertionProblem, parseAssertion, parseBudgets } from '../core/assert/assertion.js'
import { describeValidMetrics } from '../core/assert/metrics.js'
import { isQuantityError, parseQuantity } from '../core/assert/units.js'
import type { RunRecord } from '../core/model/run.js'
import { formatBytes } from '../core/format/bytes.js'
import { formatDuration } from '../core/format/duration.js'
import { describeComponentLatency } from '../core/export/phrases.js'
import { formatCompact, formatSignificant } from '../core/format/number.js'
import { UsageError } from './context.js'
import { formatTable, parseDurationMs } from './shared.js'

export const loadFlagOptions = {
  rate: { type: 'string' },
  arrivals: { type: 'string' },
  soak: { type: 'string' },
  assert: { type: 'string', multiple: true },
  budget: { type: 'string', multiple: true },
} as const

export const loadUsage = `  --rate 10k/s             open-loop load: requests arrive at this many operations per second whatever the
                           workload does; latency counts from each request's intended start
  --arrivals constant|poisson   arrival process under --rate (default constant)
  --soak 60s               measure this long while sampling the post-GC heap and RSS; reports heapGrowth
  --assert EXPR            fail the run (exit 1, the run is saved) unless EXPR holds, e.g. 'p99<30us',
                           'eventsPerSec>=100k', 'heapGrowth<10%', 'fn:rebuildHeap.self<10%',
                           'component:parse.p99<5us' (repeatable)
  --budget NAME=5us        latency budget of a component for the budget table (repeatable)`

export interface LoadFlagValues {
  rate?: string | undefined
  arrivals?: string | undefined
  soak?: string | undefined
  assert?: string[] | undefined
  budget?: string[] | undefined
}

/** Offered rate in operations per second from "10k/s", "10k", "1.5M". */
export function parseRate(text: string): number {
  const q = parseQuantity('rate', text)
  if (isQuantityError(q)) throw new UsageError(`--rate "${text}": ${q.error}`)
  if (!(q.value > 0)) throw new UsageError(`--rate "${text}" must be above zero`)
  return q.value
}

/** Adds the load fields to a request; bad expressions are usage errors that list the valid metrics. */
export function applyLoadFlags(request: RunRequest, values: LoadFlagValues): RunRequest {
  if (values.rate !== undefined) request.rate = parseRate(values.rate)
  if (values.arrivals !== undefined) {
    if (values.arrivals !== 'constant' && values.arrivals !== 'poisson') throw new UsageError(`--arrivals "${values.arrivals}": use constant or poisson`)
    request.arrivals = values.arrivals
  }
  if (values.soak !== undefined) request.soakMs = parseDurationMs('soak', values.soak)
  if (values.assert?.length) {
    for (const text of values.assert) {
      const a = parseAssertion(text)
      if (isAssertionProblem(a)) throw new UsageError(`--assert: ${a.message}${a.validMetrics ? `\nValid metrics:\n${indent(describeValidMetrics())}` : ''}`)
    }
    request.assert = values.assert
  }
  if (values.budget?.length) {
    const b = parseBudgets(values.budget)
    if (!b.ok) throw new UsageError(`--budget: ${b.problems.join('; ')}`)
    request.budgetsNs = b.budgets
  }
  return request
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')
}

/** True when the run has an assertion that failed (the CLI then exits 1). */
export function assertionsFailed(run: RunRecord): boolean {
  return (run.assertions ?? []).some((a) => !a.pass)
}

/** The assertions, one per line, to print before everything else. */
export function describeAssertionLines(run: RunRecord): string[] {
  return (run.assertions ?? []).map((a) => `  ${a.pass ? 'PASS' : 'FAIL'}  ${a.expr.padEnd(28)} ${a.message}`)
}

/** Load, soak, leak, throughput and budget lines of a run (empty when it has none). */
export function describeLoadLines(run: RunRecord): string[] {
  const lines: string[] = []
  if (run.throughput) lines.push(`  ${run.throughput.unit.padEnd(10)} ${formatCompact(run.throughput.perSec)} ${run.throughput.unit}/s (${formatSignificant(run.throughput.perOperation)} per operation)`)
  const l = run.load
  if (l) {
    lines.push(
      `  open loop  ${l.arrivals} arrivals, offered ${formatCompact(l.offeredOpsPerSec)}/s, achieved ${formatCompact(l.achievedOpsPerSec)}/s (${l.completed} of ${l.arrived} requests of ${l.opsPerRequest} ops), ${l.keptUp ? 'kept up' : `DID NOT KEEP UP: ${l.backlogAtEnd} still queued`}; max backlog ${l.maxBacklog}`,
    )
    lines.push(`             latency from intended start above; service time p50 ${formatDuration(l.serviceNs.p50)} p99 ${formatDuration(l.serviceNs.p99)} max ${formatDuration(l.serviceNs.max)}`)
  }
  const s = run.soak
  if (s) {
    const g = s.heapGrowth
    const r = s.rssGrowth
    const slope = g ? `${formatBytes(g.slopePerSec)}/s${g.slopeLowPerSec !== undefined && g.slopeHighPerSec !== undefined ? ` (95% CI ${formatBytes(g.slopeLowPerSec)} to ${formatBytes(g.slopeHighPerSec)}/s)` : ''}` : 'n/a'
    lines.push(`  soak       ${formatDuration(s.durationMs * 1e6)}, ${s.samples.length} post-GC samples${s.reliable ? '' : ' (unreliable: too few)'}`)
    if (g) lines.push(`             heap ${formatBytes(g.firstQuarterMean)} → ${formatBytes(g.lastQuarterMean)} (growth ${formatQuantity('percent', g.growth)}), slope ${slope}`)
    if (r) lines.push(`             RSS  ${formatBytes(r.firstQuarterMean)} → ${formatBytes(r.lastQuarterMean)} (growth ${formatQuantity('percent', r.growth)})`)
  }
  if (run.leak) {
    lines.push(`  leak       heap comparison ${run.leak.startSnapshot ?? '?'} → ${run.leak.endSnapshot ?? '?'}; growing classes:`)
    for (const c of run.leak.growingClasses.slice(0, 5)) lines.push(`             ${c.className.padEnd(30)} ${c.countDelta >= 0 ? '+' : ''}${formatCompact(c.countDelta)} objects  +${formatBytes(c.sizeDeltaBytes)}`)
  }
  if (run.components?.length) {
    lines.push('  budget table (per operation):')
    const table = formatTable(
      ['COMPONENT', 'BUDGET', 'P50', 'P99', 'MAX', 'TIMED', 'RESULT'],
      run.components.map((c) => [
        c.id,
        c.budgetNs !== undefined ? formatDuration(c.budgetNs) : '-',
        describeComponentLatency(c, c.latencyNs.p50),
        describeComponentLatency(c, c.latencyNs.p99),
        describeComponentLatency(c, c.latencyNs.max),
        `${formatCompact(c.calls)} ${c.batched ? 'batches' : 'calls'}`,
        c.pass === undefined ? '-' : c.pass ? 'pass' : 'FAIL',
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
    )
    lines.push(...table.trimEnd().split('\n').map((t) => `    ${t}`))
  }
  if (run.thresholdCrossings?.length) {
    for (const c of run.thresholdCrossings.slice(0, 5)) lines.push(`  crossed    ${c.series} ${formatSignificant(c.value)} > ${formatSignificant(c.limit)} at ${formatDuration(c.tMs * 1e6)} (${c.source})`)
  }
  return lines
}
