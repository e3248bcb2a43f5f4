/**
 * Runs in progress (and the ones that just finished): phase and overall progress with an ETA, live
 * throughput and p99 from runProgress, live CPU and memory charts from timelineSample, Cancel, and a
 * link to the saved run once it is done.
 */
import { type ReactNode, useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { formatBytes } from '../../../../core/format/bytes.js'
import { formatDuration, formatDurationMs } from '../../../../core/format/duration.js'
import { formatInteger, formatOpsPerSec } from '../../../../core/format/number.js'
import { BYTE_INCREMENTS, formatPercentValue } from '../../components/charts/axis-format.js'
import { type ChartThreshold, TimeSeriesChart } from '../../components/charts/TimeSeriesChart.js'
import { type HealthSeries, healthLimits } from '../../../../core/assert/health.js'
import { Icon } from '../../components/Icon.js'
import { EmptyState, StatusBadge } from '../../components/StatusBadge.js'
import { PHASE_LABELS, describeLivePhase, describePass, estimateEtaMs, formatEta, stepStates, stepsToShow } from '../../lib/progress.js'
import type { LiveRun } from '../../state/slices/live-run.js'
import { selectLiveRuns } from '../../state/selectors.js'
import { useWorkbench } from '../../state/store.js'

export function LiveView(): ReactNode {
  const { runs, clearFinished, navigate } = useWorkbench(
    useShallow((s) => ({ runs: selectLiveRuns(s), clearFinished: s.clearFinishedLiveRuns, navigate: s.navigate })),
  )
  const finished = runs.filter((r) => r.status !== 'running').length
  return (
    <section className="view" aria-labelledby="live-title">
      <header className="view-header">
        <div>
          <h1 id="live-title">Live runs</h1>
          <p className="view-subtitle">Progress, throughput and resources of the runs in progress.</p>
        </div>
        <div className="view-actions">
          {finished > 0 ? (
            <button type="button" className="btn" onClick={clearFinished}>
              Clear finished
            </button>
          ) : null}
          <button type="button" className="btn btn-primary" onClick={() => navigate({ view: 'launch' })}>
            <Icon name="launch" /> New run
          </button>
        </div>
      </header>
      <div className="view-body live-list">
        {runs.length === 0 ? (
          <EmptyState title="No runs in progress.">
            <p>
              Start one from{' '}
              <a
                href="#/launch"
                onClick={(e) => {
                  e.preventDefault()
                  navigate({ view: 'launch' })
                }}
              >
                Launch
              </a>
              ; several can run at once.
            </p>
          </EmptyState>
        ) : (
          runs.map((run) => <LiveRunCard key={run.runId} run={run} />)
        )}
      </div>
    </section>
  )
}

/** Re-renders every `ms` while `active`: the elapsed clock of a running run. */
function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return
    const timer = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(timer)
  }, [active, ms])
  return now
}

function LiveRunCard({ run }: { run: LiveRun }): ReactNode {
  const { cancelRun, dismiss, navigate, timelines } = useWorkbench(
    useShallow((s) => ({ cancelRun: s.cancelRun, dismiss: s.dismissLiveRun, navigate: s.navigate, timelines: s.liveTimelines })),
  )
  const running = run.status === 'running'
  const now = useNow(running)
  const elapsedMs = Math.max(0, (run.finishedAt ?? now) - run.startedAt)
  const p = run.progress
  const overall = run.status === 'ok' ? 1 : Math.min(1, Math.max(0, p?.overall ?? 0))
  const phase = p?.phase ?? 'queued'
  const eta = running && p ? estimateEtaMs(p, elapsedMs) : undefined
  const steps = stepsToShow(run.phases, phase)
  const states = stepStates(steps, phase, p?.pass)
  const passText = describePass(p?.pass)
  const source = (): ReturnType<typeof timelines.get> => timelines.get(run.runId)
  const emptyText = running ? 'Waiting for samples…' : 'No samples: the process ended before the first one'

  return (
    <article className={`live-card live-${run.status}`} aria-label={`Run ${run.label}`} data-run-id={run.runId}>
      <header className="live-head">
        <div className="live-title">
          <h2>{run.label}</h2>
          <p className="muted">
            {run.workload ? (
              <>
                {run.workload} · {run.variant} ·{' '}
              </>
            ) : null}
            <span className="mono">{run.runId}</span>
          </p>
        </div>
        <StatusBadge status={run.status} />
        {running ? (
          <button type="button" className="btn" onClick={() => void cancelRun(run.runId)} disabled={run.cancelling}>
            <Icon name="stop" /> {run.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : (
          <>
            <a
              className="btn btn-primary"
              href={`#/runs/${run.runId}`}
              onClick={(e) => {
                e.preventDefault()
                navigate({ view: 'run', runId: run.runId })
              }}
            >
              Open run <Icon name="chevron" />
            </a>
            <button type="button" className="icon-btn" onClick={() => dismiss(run.runId)} aria-label="Dismiss">
              <Icon name="close" />
            </button>
          </>
        )}
      </header>

      <div className="progress-block">
        <ol className="phase-steps" aria-label="Phases">
          {steps.map((step, i) => (
            <li key={step} className={states[i] === 'todo' ? '' : states[i]}>
              {PHASE_LABELS[step]}
            </li>
          ))}
        </ol>
        <div
          className="progress"
          role="progressbar"
          aria-label="Overall progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(overall * 100)}
          aria-valuetext={`${PHASE_LABELS[phase]}, ${Math.round(overall * 100)}%`}
        >
          <div className="progress-fill" style={{ width: `${overall * 100}%` }} />
        </div>
        <div className="progress-text">
          <span className="phase-name" data-phase={phase}>
            {passText && running ? <span className="muted">{passText} · </span> : null}
            {describeLivePhase(run.status, phase)}
            {running && p && p.fraction > 0 && p.fraction < 1 ? ` · ${Math.round(p.fraction * 100)}%` : null}
            {p?.message ? <span className="muted"> · {p.message}</span> : null}
          </span>
          <span className="muted">
            {Math.round(overall * 100)}% · {formatDurationMs(elapsedMs)} elapsed{running ? ` · ${formatEta(eta)}` : ''}
          </span>
        </div>
      </div>

      <dl className="stat-row">
        <div>
          <dt>Throughput</dt>
          <dd>
            {run.summary?.opsPerSec !== undefined
              ? formatOpsPerSec(run.summary.opsPerSec)
              : p?.opsPerSec !== undefined
                ? formatOpsPerSec(p.opsPerSec)
                : '–'}
          </dd>
        </div>
        <div>
          <dt>p99 latency</dt>
          <dd>
            {run.summary?.p99Ns !== undefined ? formatDuration(run.summary.p99Ns) : p?.p99Ns !== undefined ? formatDuration(p.p99Ns) : '–'}
          </dd>
        </div>
        <div>
          <dt>
            {running && run.lastPass && run.lastPass.count > 1
              ? `Operations (${run.lastPass.name === 'profiling' ? 'profiled' : 'timing'} pass)`
              : 'Operations'}
          </dt>
          {/* Each pass counts from zero while it runs; once saved, the run's own count (its timing pass). */}
          <dd>
            {!running && run.summary?.operations !== undefined
              ? formatInteger(run.summary.operations)
              : p?.opsDone !== undefined
                ? formatInteger(p.opsDone)
                : '–'}
          </dd>
        </div>
      </dl>

      {run.error ? (
        <p className="field-error" role="alert">
          {run.error}
        </p>
      ) : null}
      {run.status === 'failed' || run.status === 'timeout' ? (
        <div className="live-failure" role="alert">
          <p className="field-error">{run.failure?.error ?? `The run ${run.status === 'timeout' ? 'timed out' : 'failed'}.`}</p>
          {run.failure?.stderrTail.trim() ? (
            <pre className="stderr" aria-label="End of stderr">
              {run.failure.stderrTail.trimEnd().split('\n').slice(-12).join('\n')}
            </pre>
          ) : null}
        </div>
      ) : null}

      <div className="live-charts">
        <TimeSeriesChart
          title="CPU"
          source={source}
          series={[{ column: 'cpuPct', label: 'CPU (user + sys)', color: 'cpu', fill: true }]}
          format={formatPercentValue}
          yMin={0}
          height={140}
          emptyText={emptyText}
        />
        <TimeSeriesChart
          title="Memory"
          source={source}
          series={[
            { column: 'rssBytes', label: 'RSS', color: 'rss' },
            { column: 'heapUsedBytes', label: 'Heap used', color: 'heap' },
          ]}
          format={formatBytes}
          yIncrements={BYTE_INCREMENTS}
          yMin={0}
          height={140}
          emptyText={emptyText}
          thresholds={limitLines(run, 'rssBytes', formatBytes)}
        />
        <TimeSeriesChart
          title="Event-loop delay (p99)"
          source={source}
          series={[{ column: 'eventLoopDelayMs', label: 'delay', color: 'cpu' }]}
          format={(v) => formatDurationMs(v)}
          yMin={0}
          height={140}
          emptyText={emptyText}
          thresholds={limitLines(run, 'eventLoopDelayMs', formatDurationMs)}
        />
      </div>
    </article>
  )
}

/** Limit lines of a live chart: the run's assertions on that series, else the default health limit. */
function limitLines(run: LiveRun, series: HealthSeries, format: (v: number) => string): ChartThreshold[] {
  return (run.limits ?? healthLimits([]))
    .filter((l) => l.series === series)
    .map((l) => ({ value: l.limit, label: `${l.source === 'default' ? 'limit' : l.source} ${format(l.limit)}` }))
}
