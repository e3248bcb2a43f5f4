/**
 * One run in full: what ran and how it ended (exit code, signal, stderr tail for failures), summary
 * metrics, the latency histogram, resource timelines, parameters, environment facts and artifacts
 * with downloads. The record is loaded on demand and cached in the runs slice.
 */
import { type ReactNode, useEffect, useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { formatBytes } from '../../../../core/format/bytes.js'
import { formatDuration, formatDurationMs } from '../../../../core/format/duration.js'
import { formatCompact, formatInteger, formatOpsPerSec, formatPct } from '../../../../core/format/number.js'
import { describeProfilerOverhead } from '../../../../core/export/phrases.js'
import type { EnvironmentSnapshot } from '../../../../core/model/environment.js'
import type { Artifact, RunId, RunRecord } from '../../../../core/model/run.js'
import { LatencyHistogram } from '../../components/charts/LatencyHistogram.js'
import { BYTE_INCREMENTS, formatPercentValue } from '../../components/charts/axis-format.js'
import { TimeSeriesChart } from '../../components/charts/TimeSeriesChart.js'
import { ConfirmDialog } from '../../components/Dialog.js'
import { BackToRuns } from '../../components/BackToRuns.js'
import { Icon } from '../../components/Icon.js'
import { ErrorBox, StatusBadge, Tags } from '../../components/StatusBadge.js'
import { baseName, downloadBytes, exportFileName } from '../../lib/download.js'
import { errorMessage } from '../../lib/errors.js'
import { formatRunDate } from '../../lib/progress.js'
import { hasValues, seriesFromTimeline } from '../../lib/series-buffer.js'
import { useApi, useWorkbench } from '../../state/store.js'
import { EditRunDialog } from './EditRunDialog.js'
import { environmentFacts } from './run-facts.js'
import { formatHash } from '../../lib/route.js'
import { WarningsPanel } from '../../components/WarningsPanel.js'
import { storedRunWarnings } from '../../../../core/stats/warnings.js'
import { RunProfiles } from './RunProfiles.js'
import { AssertionList, BudgetTable, OpenLoopPanel, SoakPanel, ThroughputNote } from './LoadPanels.js'
import { healthLimits } from '../../../../core/assert/health.js'
import type { ChartThreshold } from '../../components/charts/TimeSeriesChart.js'
import { TimeRangeBar, useTimelineRange } from './TimelineRange.js'
import { describeTimelinePeak, peakRssOf } from '../../../../core/analysis/peak-rss.js'
import { describeHeapLimit } from '../../../../core/model/heap-limit.js'

export function RunDetail({ runId }: { runId: RunId }): ReactNode {
  const { entry, loadRun } = useWorkbench(useShallow((s) => ({ entry: s.runDetails[runId], loadRun: s.loadRun })))
  // Renamed or retagged elsewhere (another window, the CLI): the list reloads on runsChanged, and a
  // summary that no longer matches the loaded record means the record is stale.
  const summaryKey = useWorkbench((s) => {
    const r = s.runs.find((x) => x.id === runId)
    return r ? `${r.label}\u0000${r.tags.join('\u0000')}` : null
  })
  const recordKey = entry?.record ? `${entry.record.label}\u0000${entry.record.tags.join('\u0000')}` : null
  useEffect(() => {
    void loadRun(runId)
  }, [runId, loadRun])
  useEffect(() => {
    if (summaryKey !== null && recordKey !== null && summaryKey !== recordKey && entry?.status === 'ready')
      void loadRun(runId, { force: true })
  }, [summaryKey, recordKey, entry?.status, runId, loadRun])

  const back = <BackToRuns />
  const record = entry?.record
  if (!record) {
    return (
      <section className="view">
        <header className="view-header">
          <div>
            {back}
            <h1 className="mono">{runId}</h1>
          </div>
        </header>
        <div className="view-body">
          {entry?.status === 'error' ? (
            <ErrorBox title="Could not load this run" onRetry={() => void loadRun(runId, { force: true })}>
              {entry.error}
            </ErrorBox>
          ) : (
            <p className="muted">Loading run…</p>
          )}
        </div>
      </section>
    )
  }
  return <RunDetailLoaded record={record} back={back} />
}

function RunDetailLoaded({ record, back }: { record: RunRecord; back: ReactNode }): ReactNode {
  const { navigate, deleteRuns, exportRuns, showNotice } = useWorkbench(
    useShallow((s) => ({ navigate: s.navigate, deleteRuns: s.deleteRuns, exportRuns: s.exportRuns, showNotice: s.showNotice })),
  )
  const [editing, setEditing] = useState(false)
  const [deleting, setDeleting] = useState(false)
  const [deleteError, setDeleteError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const m = record.metrics
  const peakRss = useMemo(() => peakRssOf(record), [record])
  const timelinePeak = peakRss ? describeTimelinePeak(peakRss) : undefined

  const doExport = async (): Promise<void> => {
    try {
      downloadBytes(
        await exportRuns([record.id]),
        exportFileName(`hotpath-${record.workload.id}-${record.workload.variant}`, 'tgz'),
        'application/gzip',
      )
    } catch (err) {
      showNotice({ kind: 'error', text: `Export failed: ${errorMessage(err)}` })
    }
  }
  const doDelete = async (): Promise<void> => {
    setBusy(true)
    const outcome = await deleteRuns([record.id])
    setBusy(false)
    if (outcome.failed.length > 0) {
      setDeleteError(outcome.failed[0]?.message ?? 'unknown error')
      return
    }
    setDeleting(false)
    showNotice({ kind: 'success', text: `Deleted ${record.label || record.id}.` })
    navigate({ view: 'runs' })
  }

  return (
    <section className="view view-detail" aria-labelledby="detail-title">
      <header className="view-header detail-header">
        <div className="detail-heading">
          {back}
          <div className="detail-title-row">
            <h1 id="detail-title">{record.label || record.id}</h1>
            <StatusBadge status={record.status} />
            <Tags tags={record.tags} />
          </div>
          <p className="view-subtitle">
            <strong>{record.workload.id}</strong> · {record.workload.variant} · seed {record.workload.seed} ·{' '}
            {formatRunDate(record.createdAt)} · <span className="mono">{record.id}</span>
          </p>
        </div>
        <div className="view-actions">
          {record.kind === 'workload' ? (
            <button
              type="button"
              className="btn"
              onClick={() =>
                navigate({ view: 'trend', workload: record.workload.id, variant: record.workload.variant, metric: '', branch: record.provenance?.git?.branch ?? '' })
              }
            >
              <Icon name="trend" /> Trend of this workload
            </button>
          ) : null}
          <button type="button" className="btn" onClick={() => setEditing(true)}>
            <Icon name="edit" /> Edit
          </button>
          <button type="button" className="btn" onClick={() => void doExport()}>
            <Icon name="download" /> Export bundle
          </button>
          <button type="button" className="btn btn-danger-ghost" onClick={() => setDeleting(true)}>
            <Icon name="trash" /> Delete
          </button>
        </div>
      </header>

      <div className="view-body detail-body">
        {record.status !== 'ok' ? <FailurePanel record={record} /> : null}

        <AssertionList record={record} />
        {/* A failed leak check opens on its evidence: the heap comparison with the growing class first. */}
        {record.leak ? <RunProfiles record={record} /> : null}

        <WarningsPanel items={storedRunWarnings(record)} />

        {m ? (
          <>
            <div className="kpis">
              <Kpi label="Throughput" value={formatOpsPerSec(m.opsPerSec)} />
              <Kpi
                label="Mean ± stddev"
                value={formatDuration(m.latencyNs.mean)}
                note={`± ${formatDuration(m.latencyNs.stddev)}${m.latencyNs.mean > 0 ? ` · CV ${formatPct(m.latencyNs.stddev / m.latencyNs.mean)}` : ''}`}
              />
              <Kpi label="p50" value={formatDuration(m.latencyNs.p50)} />
              <Kpi label="p99" value={formatDuration(m.latencyNs.p99)} />
              <Kpi
                label="Peak RSS"
                value={formatBytes(m.peakRssBytes)}
                note={
                  <span data-testid="peak-rss-note">
                    <span className="nowrap">{peakRss?.pass}</span> · <span className="nowrap">heap {formatBytes(m.peakHeapUsedBytes)}</span>
                    {timelinePeak ? (
                      <span className="block kpi-note-strong" title="The memory chart's highest RSS sample, and the phase it fell in">
                        {timelinePeak}
                      </span>
                    ) : null}
                  </span>
                }
              />
            </div>
            <ThroughputNote record={record} />
            {m.batched && !record.load && !record.warnings.some((w) => w.kind === 'batched-timing') ? (
              <p className="section-note">
                Operations were timed in batches of {formatInteger(m.opsPerIteration)} (each is faster than the timer resolution): latencies
                are batch means, so percentiles understate the spread of single operations.
              </p>
            ) : null}
            <div className="detail-grid">
              <section className="panel" aria-labelledby="lat-title">
                <h2 id="lat-title" className="panel-title">
                  {record.load ? 'Latency per request, from its intended start' : 'Latency per operation'}
                </h2>
                <table className="kv-table num-table">
                  <thead>
                    <tr>
                      <th>min</th>
                      <th>p50</th>
                      <th>p90</th>
                      <th>p95</th>
                      <th>p99</th>
                      <th>p99.9</th>
                      <th>max</th>
                    </tr>
                  </thead>
                  <tbody>
                    <tr>
                      {(['min', 'p50', 'p90', 'p95', 'p99', 'p999', 'max'] as const).map((k) => (
                        <td key={k}>{formatDuration(m.latencyNs[k])}</td>
                      ))}
                    </tr>
                  </tbody>
                </table>
                {record.samplesNs && record.samplesNs.length > 0 ? (
                  <LatencyHistogram
                    samplesNs={record.samplesNs}
                    markers={[
                      { label: 'p50', ns: m.latencyNs.p50 },
                      { label: 'p99', ns: m.latencyNs.p99 },
                    ]}
                  />
                ) : (
                  <p className="muted">This run kept no per-iteration samples, so there is no histogram.</p>
                )}
              </section>
              <section className="panel" aria-labelledby="sum-title">
                <h2 id="sum-title" className="panel-title">
                  Summary
                </h2>
                <dl className="facts">
                  <Fact label="Measured">
                    {formatDurationMs(m.measuredMs)} · {formatInteger(m.iterations)} iterations · {formatInteger(m.operations)} operations
                  </Fact>
                  <Fact label="Warm-up">{formatInteger(m.warmupIterations)} iterations</Fact>
                  <Fact label="Outliers">
                    {m.outliers.low + m.outliers.high === 0 ? 'none' : `${m.outliers.low} low, ${m.outliers.high} high`}{' '}
                    <span className="muted">(of {formatInteger(m.iterations)}; modified z-score &gt; 14.8)</span>
                  </Fact>
                  <Fact label="GC">
                    {formatInteger(m.gc.count)} collections ({m.gc.major} major, {m.gc.minor} minor), {formatDurationMs(m.gc.pauseMs)}{' '}
                    paused
                  </Fact>
                  <Fact label="Peak memory">
                    RSS {formatBytes(m.peakRssBytes)} ({peakRss?.pass}) · heap {formatBytes(m.peakHeapUsedBytes)}
                    {timelinePeak ? <span className="muted"> · the timeline peaks at {timelinePeak}</span> : null}
                  </Fact>
                  <Fact label="CPU time">
                    user {formatDurationMs(m.cpu.userMs)} · sys {formatDurationMs(m.cpu.systemMs)}
                  </Fact>
                  <Fact label="Event loop">{formatPct(m.eventLoopUtilization)} utilized</Fact>
                  {record.profilerOverhead ? (
                    <Fact label="Profiler overhead">
                      {describeProfilerOverhead(record.profilerOverhead)}
                    </Fact>
                  ) : null}
                  <Fact label="Checksum">
                    {record.checksum ? <span className="mono">{record.checksum}</span> : <span className="muted">none</span>}
                  </Fact>
                  <Fact label="Wall time">{formatDurationMs(record.wallMs)} from spawn to exit</Fact>
                </dl>
              </section>
            </div>
          </>
        ) : record.status === 'ok' ? (
          <p className="muted">This run has no metrics (an imported profile or a custom command).</p>
        ) : null}

        <OpenLoopPanel record={record} />
        <BudgetTable record={record} />
        <SoakPanel record={record} />

        {record.leak ? null : <RunProfiles record={record} />}

        <TimelinePanel record={record} />

        <div className="detail-grid">
          <ConfigPanel record={record} />
          <EnvironmentPanel env={record.env} />
        </div>
        <ArtifactsPanel record={record} />
        {record.notes ? (
          <section className="panel" aria-labelledby="notes-title">
            <h2 id="notes-title" className="panel-title">
              Notes
            </h2>
            <p className="notes">{record.notes}</p>
          </section>
        ) : null}
      </div>

      {editing ? (
        <EditRunDialog
          run={{ id: record.id, label: record.label, tags: record.tags, notes: record.notes }}
          onClose={() => setEditing(false)}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title="Delete this run?"
          confirmLabel="Delete run"
          danger
          busy={busy}
          error={deleteError}
          onCancel={() => setDeleting(false)}
          onConfirm={() => void doDelete()}
        >
          <p>
            <strong>{record.label || record.id}</strong> and its artifacts ({record.artifacts.length} file
            {record.artifacts.length === 1 ? '' : 's'}) are removed from the store. This cannot be undone.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  )
}

function Kpi({ label, value, note }: { label: string; value: string; note?: ReactNode }): ReactNode {
  return (
    <div className="kpi">
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {note ? <div className="kpi-note">{note}</div> : null}
    </div>
  )
}

function Fact({ label, children }: { label: string; children: ReactNode }): ReactNode {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function FailurePanel({ record }: { record: RunRecord }): ReactNode {
  const title =
    record.status === 'cancelled'
      ? 'This run was cancelled'
      : record.status === 'timeout'
        ? 'This run timed out'
        : record.status === 'interrupted'
          ? 'This run was interrupted: the Hotpath process recording it ended before it finished'
          : record.status === 'running'
            ? 'This run is still being recorded'
            : 'This run failed'
  return (
    <section className={`failure failure-${record.status}`} aria-label="How the run ended">
      <h2>
        <Icon name="alert" /> {title}
      </h2>
      <dl className="facts">
        <Fact label="Exit">
          {record.exit.code !== null ? `code ${record.exit.code}` : 'no exit code'}
          {record.exit.signal ? ` · signal ${record.exit.signal}` : ''}
        </Fact>
        {record.error ? <Fact label="Error">{record.error}</Fact> : null}
        {record.heapLimit && /out of memory/.test(record.error ?? '') ? <Fact label="Heap limit">{describeHeapLimit(record.heapLimit)}</Fact> : null}
        <Fact label="Wall time">{formatDurationMs(record.wallMs)}</Fact>
      </dl>
      {record.stderrTail.trim() ? (
        <>
          <h3 className="section-label">Last lines of stderr</h3>
          <pre className="stderr">{record.stderrTail}</pre>
        </>
      ) : (
        <p className="muted">The process wrote nothing to stderr.</p>
      )}
    </section>
  )
}

function TimelinePanel({ record }: { record: RunRecord }): ReactNode {
  const buffer = useMemo(() => seriesFromTimeline(record.timeline), [record.timeline])
  const limits = useMemo(() => healthLimits(record.assertions ?? []), [record.assertions])
  const ranged = useTimelineRange(record)
  const rangeProps = ranged.chartProps
  const gc = record.timelineGc
  if (buffer.length < 2) return null
  const linesFor = (series: string, format: (v: number) => string): ChartThreshold[] =>
    limits.filter((l) => l.series === series).map((l) => ({ value: l.limit, label: `${l.source === 'default' ? 'limit' : l.source} ${format(l.limit)}` }))
  const marksFor = (series: readonly string[]): number[] => (record.thresholdCrossings ?? []).filter((c) => series.includes(c.series)).map((c) => c.tMs / 1000)
  const memMax = Math.max(0, ...buffer.columns.rssBytes.map((v) => v ?? 0))
  const charts: ReactNode[] = []
  if (hasValues(buffer.columns.cpuPct)) {
    charts.push(
      <TimeSeriesChart
        key="cpu"
        {...rangeProps}
        title="CPU"
        source={buffer}
        series={[{ column: 'cpuPct', label: 'CPU (user + sys)', color: 'cpu', fill: true }]}
        format={formatPercentValue}
        yMin={0}
      />,
    )
  }
  if (hasValues(buffer.columns.rssBytes) || hasValues(buffer.columns.heapUsedBytes)) {
    charts.push(
      <TimeSeriesChart
        key="mem"
        {...rangeProps}
        title="Memory"
        source={buffer}
        series={[
          { column: 'rssBytes', label: 'RSS', color: 'rss' },
          { column: 'heapUsedBytes', label: 'Heap used', color: 'heap' },
        ]}
        format={formatBytes}
        yIncrements={BYTE_INCREMENTS}
        yMin={0}
        // A memory limit far above the data would flatten the chart: drawn only when within reach.
        thresholds={linesFor('rssBytes', formatBytes).filter((t) => t.value <= memMax * 2)}
        marks={marksFor(['rssBytes', 'heapUsedBytes'])}
      />,
    )
  }
  if (hasValues(buffer.columns.eventLoopDelayMs)) {
    charts.push(
      <TimeSeriesChart
        key="eld"
        {...rangeProps}
        title="Event-loop delay (p99)"
        source={buffer}
        series={[{ column: 'eventLoopDelayMs', label: 'delay', color: 'cpu' }]}
        format={(v) => formatDurationMs(v)}
        yMin={0}
        thresholds={linesFor('eventLoopDelayMs', formatDurationMs)}
        marks={marksFor(['eventLoopDelayMs'])}
      />,
    )
  }
  if (hasValues(buffer.columns.opsPerSec)) {
    charts.push(
      <TimeSeriesChart
        key="ops"
        {...rangeProps}
        title="Throughput"
        source={buffer}
        series={[{ column: 'opsPerSec', label: 'ops/s', color: 'ops', fill: true }]}
        format={(v) => formatCompact(v)}
        yMin={0}
      />,
    )
  }
  return (
    <section className="panel" aria-labelledby="timeline-title">
      <h2 id="timeline-title" className="panel-title">
        Timeline{' '}
        <span className="muted">
          · {buffer.length} samples over {formatDurationMs((buffer.t[buffer.length - 1] ?? 0) * 1000)}
          {gc ? (
            <span data-testid="gc-marks-summary">
              {' '}
              · {formatInteger(gc.marks.length)} GCs marked ({formatInteger(gc.marks.filter((g) => g.kind === 'major').length)} major) along the bottom
              {gc.dropped > 0 ? `, ${formatInteger(gc.dropped)} more not kept` : ''}
            </span>
          ) : null}
        </span>
      </h2>
      <TimeRangeBar range={ranged.range} selectable={ranged.selectable} clear={ranged.clear} />
      <div className="timeline-charts">{charts}</div>
    </section>
  )
}

function ConfigPanel({ record }: { record: RunRecord }): ReactNode {
  const navigate = useWorkbench((st) => st.navigate)
  const params = Object.entries(record.workload.params)
  const ms = record.measure
  return (
    <section className="panel" aria-labelledby="config-title">
      <h2 id="config-title" className="panel-title">
        Configuration
      </h2>
      <dl className="facts">
        {params.length > 0 ? (
          <Fact label="Parameters">
            <span className="param-list">
              {params.map(([k, v]) => (
                <span key={k} className="param">
                  <span className="mono">{k}</span>=<span className="mono">{String(v)}</span>
                </span>
              ))}
            </span>
          </Fact>
        ) : null}
        <Fact label="Measure">
          {ms.durationMs !== undefined
            ? formatDurationMs(ms.durationMs)
            : ms.iterations !== undefined
              ? `${formatInteger(ms.iterations)} iterations`
              : 'default'}
          {ms.warmupMs !== undefined
            ? ` after ${formatDurationMs(ms.warmupMs)} warm-up`
            : ms.warmupIterations !== undefined
              ? ` after ${formatInteger(ms.warmupIterations)} warm-up iterations`
              : ''}
          <span className="muted"> · timeout {formatDurationMs(ms.timeoutMs)}</span>
        </Fact>
        <Fact label="Capture">
          {record.capture.profile.length > 0 ? record.capture.profile.join(', ') : 'timing only'}
          {record.capture.profile.includes('cpu') ? ` · sampling every ${formatDuration(record.capture.samplingIntervalUs * 1000)}` : ''}
          {record.capture.heapSnapshots.length > 0 ? ` · heap snapshots at ${record.capture.heapSnapshots.join(' and ')}` : ''}
        </Fact>
        <Fact label="Runtime">
          Node {record.runtime.node} (V8 {record.runtime.v8}) <span className="muted mono small">{record.runtime.path}</span>
        </Fact>
        {record.heapLimit ? <Fact label="Heap limit">{describeHeapLimit(record.heapLimit)}</Fact> : null}
        {record.command ? (
          <Fact label="Command">
            <span className="mono">{record.command.join(' ')}</span>
          </Fact>
        ) : null}
        {record.group ? (
          <Fact label="Group">
            <a
              href={formatHash({ view: 'sweep', group: record.group })}
              onClick={(e) => {
                e.preventDefault()
                navigate({ view: 'sweep', group: record.group ?? '' })
              }}
            >
              {record.group}
            </a>{' '}
            <span className="muted">(open the sweep view)</span>
          </Fact>
        ) : null}
      </dl>
    </section>
  )
}

function EnvironmentPanel({ env }: { env: EnvironmentSnapshot }): ReactNode {
  return (
    <section className="panel" aria-labelledby="env-title">
      <h2 id="env-title" className="panel-title">
        Environment {env.redacted ? <span className="muted">· redacted</span> : null}
      </h2>
      <dl className="facts">
        {environmentFacts(env).map(([k, v]) => (
          <Fact key={k} label={k}>
            {v}
          </Fact>
        ))}
      </dl>
    </section>
  )
}

const ARTIFACT_TYPES: Record<Artifact['kind'], string> = {
  cpuprofile: 'application/json',
  heapsnapshot: 'application/json',
  heapprofile: 'application/json',
  '0x': 'text/html',
  stderr: 'text/plain',
  stdout: 'text/plain',
  other: 'application/octet-stream',
}

function ArtifactsPanel({ record }: { record: RunRecord }): ReactNode {
  const api = useApi()
  const [busy, setBusy] = useState<string | null>(null)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const download = async (a: Artifact): Promise<void> => {
    setBusy(a.file)
    setErrors(({ [a.file]: _gone, ...rest }) => rest)
    try {
      const bytes = await api.readArtifact(record.id, a.file)
      downloadBytes(bytes, `${record.id}-${baseName(a.file)}`, ARTIFACT_TYPES[a.kind])
    } catch (err) {
      setErrors((e) => ({ ...e, [a.file]: errorMessage(err) }))
    } finally {
      setBusy(null)
    }
  }
  return (
    <section className="panel" aria-labelledby="artifacts-title">
      <h2 id="artifacts-title" className="panel-title">
        Artifacts <span className="muted">· {record.artifacts.length}</span>
      </h2>
      {record.artifacts.length === 0 ? (
        <p className="muted">No artifacts were saved for this run.</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>Kind</th>
              <th>File</th>
              <th>What</th>
              <th className="num">Size</th>
              <th>
                <span className="sr-only">Download</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {record.artifacts.map((a) => (
              <tr key={a.file}>
                <td>
                  <span className="tag">{a.kind}</span>
                </td>
                <td className="mono">{a.file}</td>
                <td className="muted">
                  {a.label ?? ''}
                  {errors[a.file] ? (
                    <span className="field-error block" role="alert">
                      {errors[a.file]}
                    </span>
                  ) : null}
                </td>
                <td className="num">{formatBytes(a.bytes)}</td>
                <td className="num">
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => void download(a)}
                    disabled={busy === a.file}
                    aria-label={`Download ${a.file}`}
                  >
                    <Icon name="download" /> {busy === a.file ? 'Reading…' : 'Download'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
