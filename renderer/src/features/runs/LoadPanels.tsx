/**
 * What a run says about load, soak and budgets: its assertions (listed before everything else), the
 * open-loop facts with the backlog over time, the soak's post-GC heap and RSS with their growth, the
 * component budget table, and the domain-unit throughput.
 */
import type { ReactNode } from 'react'
import { useMemo } from 'react'
import { formatQuantity } from '../../../../core/assert/assertion.js'
import { formatBytes } from '../../../../core/format/bytes.js'
import { formatDuration } from '../../../../core/format/duration.js'
import { describeComponentLatency } from '../../../../core/export/phrases.js'
import { formatCompact, formatInteger, formatSignificant } from '../../../../core/format/number.js'
import type { RunRecord, TimelineSample } from '../../../../core/model/run.js'
import { BYTE_INCREMENTS } from '../../components/charts/axis-format.js'
import { TimeSeriesChart } from '../../components/charts/TimeSeriesChart.js'
import { seriesFromTimeline } from '../../lib/series-buffer.js'

export function AssertionList({ record }: { record: RunRecord }): ReactNode {
  const list = record.assertions ?? []
  if (list.length === 0) return null
  const failed = list.filter((a) => !a.pass).length
  return (
    <section className={`panel assertions ${failed > 0 ? 'assertions-failed' : 'assertions-passed'}`} aria-labelledby="assert-title">
      <h2 id="assert-title" className="panel-title">
        Assertions · {failed > 0 ? `${failed} of ${list.length} failed` : `all ${list.length} passed`}
      </h2>
      <table className="kv-table assertion-table">
        <thead>
          <tr>
            <th>result</th>
            <th>assertion</th>
            <th>measured</th>
            <th>limit</th>
          </tr>
        </thead>
        <tbody>
          {list.map((a, i) => (
            <tr key={`${a.expr}-${i}`} data-pass={a.pass ? 'yes' : 'no'}>
              <td>
                <span className={`badge ${a.pass ? 'badge-ok' : 'badge-failed'}`}>{a.pass ? 'pass' : 'fail'}</span>
              </td>
              <td className="mono">{a.expr}</td>
              <td className="num">{a.measured !== undefined ? formatQuantity(a.kind, a.measured) : 'not measured'}</td>
              <td className="num">
                {a.op} {formatQuantity(a.kind, a.threshold)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

export function ThroughputNote({ record }: { record: RunRecord }): ReactNode {
  const t = record.throughput
  if (!t) return null
  return (
    <p className="section-note">
      Throughput in {t.unit}: <strong>{formatCompact(t.perSec)} {t.unit}/s</strong>
      {t.perOperation !== 1 ? ` (${formatSignificant(t.perOperation)} ${t.unit} per operation)` : ''}.
    </p>
  )
}

/** Backlog points as a timeline, so the shared chart draws them (queued requests in the ops column). */
function backlogTimeline(record: RunRecord): TimelineSample[] {
  return (record.load?.backlog ?? []).map((b) => ({ tMs: b.tMs, opsPerSec: b.queued }))
}

export function OpenLoopPanel({ record }: { record: RunRecord }): ReactNode {
  const l = record.load
  const backlog = useMemo(() => seriesFromTimeline(backlogTimeline(record)), [record])
  if (!l) return null
  return (
    <section className="panel" aria-labelledby="load-title">
      <h2 id="load-title" className="panel-title">
        Open-loop load · {l.keptUp ? <span className="ok-text">kept up</span> : <span className="danger-text">did not keep up</span>}
      </h2>
      <dl className="facts">
        <div className="fact">
          <dt>Offered</dt>
          <dd>
            {formatCompact(l.offeredOpsPerSec)}/s, {l.arrivals} arrivals, {formatInteger(l.opsPerRequest)} op{l.opsPerRequest === 1 ? '' : 's'} per request
          </dd>
        </div>
        <div className="fact">
          <dt>Achieved</dt>
          <dd>
            {formatCompact(l.achievedOpsPerSec)}/s ({formatInteger(l.completed)} of {formatInteger(l.arrived)} requests; {formatInteger(l.backlogAtEnd)} queued at the end, at most{' '}
            {formatInteger(l.maxBacklog)})
          </dd>
        </div>
        <div className="fact">
          <dt>Service time</dt>
          <dd>
            p50 {formatDuration(l.serviceNs.p50)} · p99 {formatDuration(l.serviceNs.p99)} · max {formatDuration(l.serviceNs.max)}{' '}
            <span className="muted">(latency above counts from each request&apos;s intended start)</span>
          </dd>
        </div>
      </dl>
      {backlog.length >= 2 ? (
        <TimeSeriesChart title="Backlog (queued requests)" source={backlog} series={[{ column: 'opsPerSec', label: 'queued', color: 'marker', fill: true }]} format={(v) => formatCompact(v)} yMin={0} height={120} />
      ) : null}
    </section>
  )
}

export function SoakPanel({ record }: { record: RunRecord }): ReactNode {
  const s = record.soak
  const series = useMemo(() => seriesFromTimeline((s?.samples ?? []).map((p) => ({ tMs: p.tMs, heapUsedBytes: p.heapBytes, rssBytes: p.rssBytes }))), [s])
  if (!s) return null
  const g = s.heapGrowth
  return (
    <section className="panel" aria-labelledby="soak-title">
      <h2 id="soak-title" className="panel-title">
        Soak · {formatDuration(s.durationMs * 1e6)} · {s.samples.length} post-GC samples{s.reliable ? '' : ' (too few: unreliable)'}
      </h2>
      {g ? (
        <p className="section-note">
          Live heap after GC {formatBytes(g.firstQuarterMean)} in the first quarter → {formatBytes(g.lastQuarterMean)} in the last: growth{' '}
          <strong>{formatQuantity('percent', g.growth)}</strong>; slope {formatBytes(g.slopePerSec)}/s
          {g.slopeLowPerSec !== undefined && g.slopeHighPerSec !== undefined ? ` (95% CI ${formatBytes(g.slopeLowPerSec)} to ${formatBytes(g.slopeHighPerSec)}/s)` : ''}
          {s.rssGrowth ? `; RSS growth ${formatQuantity('percent', s.rssGrowth.growth)}` : ''}.
        </p>
      ) : null}
      {series.length >= 2 ? (
        <TimeSeriesChart
          title="Post-GC memory"
          source={series}
          series={[
            { column: 'heapUsedBytes', label: 'live heap', color: 'heap', fill: true },
            { column: 'rssBytes', label: 'RSS', color: 'rss' },
          ]}
          format={formatBytes}
          yIncrements={BYTE_INCREMENTS}
          yMin={0}
          height={140}
        />
      ) : null}
      {record.leak ? (
        <p className="section-note">
          A leak assertion failed: the heap snapshots at the start and end of the soak were kept; the Heap tab compares them.
          {record.leak.growingClasses[0] ? (
            <>
              {' '}
              Growing most: <strong className="mono">{record.leak.growingClasses[0].className}</strong> (+{formatCompact(record.leak.growingClasses[0].countDelta)} objects, +
              {formatBytes(record.leak.growingClasses[0].sizeDeltaBytes)}).
            </>
          ) : null}
        </p>
      ) : null}
    </section>
  )
}

export function BudgetTable({ record }: { record: RunRecord }): ReactNode {
  const list = record.components ?? []
  if (list.length === 0) return null
  return (
    <section className="panel" aria-labelledby="budget-title">
      <h2 id="budget-title" className="panel-title">
        Component budgets <span className="muted">· latency per operation</span>
      </h2>
      <table className="kv-table num-table budget-table">
        <thead>
          <tr>
            <th>component</th>
            <th>budget</th>
            <th>p50</th>
            <th>p99</th>
            <th>max</th>
            <th>timed</th>
            <th>result</th>
          </tr>
        </thead>
        <tbody>
          {list.map((c) => (
            <tr key={c.id}>
              <td className="mono">{c.id}</td>
              <td>{c.budgetNs !== undefined ? formatDuration(c.budgetNs) : '–'}</td>
              <td>{describeComponentLatency(c, c.latencyNs.p50)}</td>
              <td>{describeComponentLatency(c, c.latencyNs.p99)}</td>
              <td>{describeComponentLatency(c, c.latencyNs.max)}</td>
              <td>
                {formatCompact(c.calls)} {c.batched ? 'batches' : 'calls'}
              </td>
              <td>{c.pass === undefined ? '–' : <span className={`badge ${c.pass ? 'badge-ok' : 'badge-failed'}`}>{c.pass ? 'within' : 'over'}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        {list.some((c) => c.batched)
          ? 'Columnar stages are timed per batch: each operation counts with its batch\'s per-operation mean.'
          : 'Stages are timed on a sample of operations, net of the clock\'s own cost.'}
      </p>
    </section>
  )
}
