/**
 * A workload's history (getTrend on the engine, as `hotpath trend`): one point per commit in commit order
 * (run time without git), whiskers where several runs share a commit, the named baseline's value as a
 * dashed line, and the change points marked with their text. A click on a change point (or its Compare
 * button) opens the comparison of the runs on either side, flame graph diff included.
 */
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { TREND_METRICS, TREND_METRIC_NAMES, isTrendMetric, shortKey, type TrendPoint } from '../../../../core/analysis/trend.js'
import type { TrendWithBaseline } from '../../../../core/api/schemas.js'
import { formatDuration } from '../../../../core/format/duration.js'
import { formatOpsPerSec } from '../../../../core/format/number.js'
import { MIN_TREND_POINTS } from '../../../../core/stats/change-points.js'
import { EmptyState, ErrorBox } from '../../components/StatusBadge.js'
import { useApi, useWorkbench } from '../../state/store.js'
import { useRunQuery } from '../runs/use-run-query.js'
import { useAsync } from '../compare/use-async.js'
import { buildTrendChart, changeLabel, indexAt, placeChangeLabel, xOf, type ChartBox } from './trend-chart.js'

type TrendRoute = { view: 'trend'; workload: string; variant: string; metric: string; branch: string }

const formatValue = (unit: string, v: number): string => (unit === 'ns' ? formatDuration(v) : formatOpsPerSec(v))

export function TrendView({ route }: { route: TrendRoute }): ReactNode {
  const api = useApi()
  const { runs, navigate } = useWorkbench(useShallow((s) => ({ runs: s.runs, navigate: s.navigate })))
  // Workloads with saved runs: the newest ok runs of any workload, and those the library has loaded.
  const recent = useRunQuery({ status: 'ok' })
  const workloads = useMemo(
    () => [...new Set([...recent.runs, ...runs].filter((r) => r.status === 'ok').map((r) => r.workload.id))].sort(),
    [recent.runs, runs],
  )
  const workload = route.workload || workloads[0] || ''
  const { runs: ofWorkload } = useRunQuery(workload ? { workload, status: 'ok' } : null)
  const variants = useMemo(() => [...new Set(ofWorkload.map((r) => r.workload.variant))].sort(), [ofWorkload])
  const branches = useMemo(() => [...new Set(ofWorkload.flatMap((r) => (r.git?.branch ? [r.git.branch] : [])))].sort(), [ofWorkload])
  const metric = isTrendMetric(route.metric) ? route.metric : 'opsPerSec'
  const set = (patch: Partial<TrendRoute>): void => navigate({ ...route, workload, ...patch })

  // The newest named baseline with a member for this workload and variant draws the baseline line.
  const baselines = useAsync(
    workload
      ? async () => {
          const list = [...(await api.listBaselines())].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)).slice(0, 20)
          const found: { name: string; variants: string[] }[] = []
          for (const b of list) {
            const full = await api.getBaseline(b.name)
            const vs = full.members.filter((m) => m.workload === workload).map((m) => m.variant)
            if (vs.length > 0) found.push({ name: b.name, variants: vs })
          }
          return found
        }
      : null,
    [workload, runs.length],
  )
  const trend = useAsync<TrendWithBaseline>(
    workload && baselines.status !== 'loading'
      ? async () => {
          const first = await api.getTrend({ workload, metric, ...(route.variant ? { variant: route.variant } : {}), ...(route.branch ? { branch: route.branch } : {}) })
          const match = baselines.status === 'ready' ? baselines.value.find((b) => b.variants.includes(first.variant)) : undefined
          if (!match) return first
          return api.getTrend({ workload, metric, variant: first.variant, baseline: match.name, ...(route.branch ? { branch: route.branch } : {}) })
        }
      : null,
    [workload, route.variant, metric, route.branch, runs.length, baselines.status],
  )

  return (
    <section className="view view-trend" aria-labelledby="trend-title">
      <header className="view-header">
        <div>
          <h1 id="trend-title">Trend{workload ? ` · ${workload}` : ''}</h1>
          <p className="view-subtitle">A workload's runs by commit (run time without git), with change points and the baseline.</p>
        </div>
      </header>
      <div className="toolbar compare-toolbar trend-toolbar">
        <label className="compare-field">
          <span>Workload</span>
          <select aria-label="Workload" value={workload} onChange={(e) => set({ workload: e.target.value, variant: '', branch: '' })}>
            {workloads.length === 0 ? <option value="">no runs</option> : null}
            {workloads.map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
        </label>
        <label className="compare-field">
          <span>Variant</span>
          <select aria-label="Variant" value={route.variant} onChange={(e) => set({ variant: e.target.value })}>
            <option value="">newest run's</option>
            {variants.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label className="compare-field">
          <span>Metric</span>
          <select aria-label="Metric" value={metric} onChange={(e) => set({ metric: e.target.value })}>
            {TREND_METRIC_NAMES.map((m) => (
              <option key={m} value={m}>
                {TREND_METRICS[m].label}
              </option>
            ))}
          </select>
        </label>
        <label className="compare-field">
          <span>Branch</span>
          <select aria-label="Branch" value={route.branch} onChange={(e) => set({ branch: e.target.value })}>
            <option value="">all branches</option>
            {branches.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="view-body">
        {!workload ? (
          <EmptyState title="No successful runs yet: a trend needs runs of a workload." />
        ) : trend.status === 'loading' ? (
          <p className="muted">Loading the trend…</p>
        ) : trend.status === 'error' ? (
          <ErrorBox title="The trend could not be built" onRetry={trend.reload}>
            {trend.message}
          </ErrorBox>
        ) : (
          <TrendBody trend={trend.value} onCompare={(a, b) => navigate({ view: 'compare', ids: [a, b] })} />
        )}
      </div>
    </section>
  )
}

function TrendBody({ trend, onCompare }: { trend: TrendWithBaseline; onCompare(baseline: string, candidate: string): void }): ReactNode {
  const fmt = (v: number): string => formatValue(trend.unit, v)
  const label = TREND_METRICS[trend.metric].label
  return (
    <div className="trend-body">
      <p className="trend-summary">
        <span className="mono">{trend.variant}</span> · {label} ({trend.better} is better) · {trend.points.length} point{trend.points.length === 1 ? '' : 's'}
        {trend.branch ? ` on ${trend.branch}` : ''}
        {trend.baseline ? ` · baseline ${trend.baseline.name}: ${fmt(trend.baseline.value)}` : ''}
      </p>
      {trend.points.length === 0 ? (
        <EmptyState title="No successful runs of this variant with a value for this metric." />
      ) : (
        <TrendChart trend={trend} format={fmt} onCompare={onCompare} />
      )}
      <h2 className="trend-heading">Change points</h2>
      {trend.changePoints.length === 0 ? (
        <p className="muted" data-testid="no-change-points">
          {trend.points.length < MIN_TREND_POINTS
            ? `No change points claimed: ${trend.points.length} point${trend.points.length === 1 ? '' : 's'}, at least ${MIN_TREND_POINTS} are needed.`
            : 'No change points claimed: the history is flat within its noise.'}
        </p>
      ) : (
        <ul className="trend-changes">
          {trend.changePoints.map((c) => (
            <li key={c.index} className={`trend-change trend-change-${c.direction}`}>
              <span>{c.text}</span>
              <button type="button" className="btn" onClick={() => onCompare(c.baselineRunId, c.candidateRunId)}>
                Compare
              </button>
            </li>
          ))}
        </ul>
      )}
      {trend.notes.length > 0 ? (
        <ul className="trend-notes muted">
          {trend.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}

const HEIGHT = 300

function TrendChart({ trend, format, onCompare }: { trend: TrendWithBaseline; format(v: number): string; onCompare(a: string, b: string): void }): ReactNode {
  const host = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(800)
  const [hover, setHover] = useState<number | null>(null)
  useEffect(() => {
    const el = host.current
    if (!el) return
    const observer = new ResizeObserver(() => setWidth(Math.max(240, Math.floor(el.clientWidth))))
    observer.observe(el)
    setWidth(Math.max(240, Math.floor(el.clientWidth)))
    return () => observer.disconnect()
  }, [])
  // Room for the widest y label (11 px tabular digits: ~6.6 px a character), so "1.00 M ops/s" is not cut.
  const padLeft = useMemo(() => {
    const values = trend.points.flatMap((p) => [p.value, p.low ?? p.value, p.high ?? p.value])
    if (trend.baseline) values.push(trend.baseline.value)
    const longest = Math.max(0, ...values.map((v) => format(v).length), ...values.map((v) => format(v * 1.1).length))
    return Math.max(56, Math.ceil(16 + longest * 6.6))
  }, [trend])
  const box: ChartBox = { width, height: HEIGHT, padLeft, padRight: 16, padTop: 44, padBottom: 28 }
  const model = useMemo(() => buildTrendChart(trend.points, trend.changePoints, box, trend.baseline?.value), [trend, width, padLeft])
  const point: TrendPoint | undefined = hover === null ? undefined : trend.points[hover]
  const hoverX = hover === null ? 0 : xOf(hover, trend.points.length, box)
  const xLabel = (i: number): string => {
    const p = trend.points[i] as TrendPoint
    return p.commit ? shortKey(p) : p.time.slice(5, 16).replace('T', ' ')
  }
  return (
    <figure className="chart trend-chart" aria-label={`${TREND_METRICS[trend.metric].label} trend`}>
      <div className="trend-frame" ref={host} style={{ height: HEIGHT }}>
        <svg
          width={width}
          height={HEIGHT}
          role="img"
          aria-label={`Trend of ${trend.workload}`}
          onMouseMove={(e) => {
            const rect = e.currentTarget.getBoundingClientRect()
            setHover(indexAt(e.clientX - rect.left, trend.points.length, box))
          }}
          onMouseLeave={() => setHover(null)}
        >
          {model.yTicks.map((t) => (
            <g key={t.value}>
              <line className="trend-grid" x1={box.padLeft} x2={width - box.padRight} y1={t.y} y2={t.y} />
              <text className="trend-axis" x={box.padLeft - 6} y={t.y + 4} textAnchor="end">
                {format(t.value)}
              </text>
            </g>
          ))}
          {model.xTicks.map((t) => (
            <text key={t.index} className="trend-axis" x={t.x} y={HEIGHT - 8} textAnchor={t.index === 0 ? 'start' : t.index === trend.points.length - 1 ? 'end' : 'middle'}>
              {xLabel(t.index)}
            </text>
          ))}
          {model.baselineY !== undefined && trend.baseline ? (
            <g data-testid="trend-baseline">
              <line className="trend-baseline" x1={box.padLeft} x2={width - box.padRight} y1={model.baselineY} y2={model.baselineY} />
              <text className="trend-baseline-label" x={width - box.padRight - 4} y={model.baselineY - 4} textAnchor="end">
                baseline {trend.baseline.name}
              </text>
            </g>
          ) : null}
          <path className="trend-line" d={model.linePath} fill="none" />
          {model.dots.map((d) =>
            d.yLow !== undefined && d.yHigh !== undefined ? <line key={`w${d.index}`} className="trend-whisker" x1={d.x} x2={d.x} y1={d.yLow} y2={d.yHigh} /> : null,
          )}
          {model.dots.map((d) => (
            <circle key={d.index} className={`trend-dot${trend.points[d.index]?.dirty ? ' trend-dot-dirty' : ''}`} cx={d.x} cy={d.y} r={3} />
          ))}
          {hover !== null ? <line className="trend-cursor" x1={hoverX} x2={hoverX} y1={box.padTop} y2={HEIGHT - box.padBottom} /> : null}
          {model.changes.map((c, i) => (
            <g
              key={c.index}
              className={`trend-change-mark trend-change-${c.direction}`}
              role="button"
              tabIndex={0}
              aria-label={`Change point ${c.text}: compare`}
              data-testid="change-point"
              onClick={() => onCompare(c.baselineRunId, c.candidateRunId)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault()
                  onCompare(c.baselineRunId, c.candidateRunId)
                }
              }}
            >
              <title>{`${c.text} — click to compare`}</title>
              <line x1={c.x} x2={c.x} y1={box.padTop - 4} y2={HEIGHT - box.padBottom} />
              {/* A wide transparent band makes the thin line easy to hit. */}
              <rect x={c.x - 8} y={box.padTop - 4} width={16} height={HEIGHT - box.padBottom - box.padTop + 4} fill="transparent" />
              <ChangeLabel x={c.x} y={box.padTop - 10 - (i % 2) * 16} text={changeLabel(c.text)} box={box} />
            </g>
          ))}
        </svg>
        {point ? (
          <div
            className="trend-tooltip"
            role="tooltip"
            style={{ left: Math.min(Math.max(hoverX + 12, 0), Math.max(0, width - 280)), top: box.padTop + 8 }}
          >
            <div className="mono">{point.commit ? shortKey(point) : point.key}</div>
            {point.subject ? <div className="trend-tooltip-subject">{point.subject}</div> : null}
            <div className="muted">
              {point.branch ? `${point.branch} · ` : ''}
              {new Date(point.time).toLocaleString()}
              {point.dirty ? ' · dirty tree' : ''}
            </div>
            <div>
              <strong>{format(point.value)}</strong>
              {point.low !== undefined && point.high !== undefined ? (
                <span className="muted">
                  {' '}
                  ({point.runIds.length} runs, {format(point.low)}–{format(point.high)})
                </span>
              ) : null}
            </div>
          </div>
        ) : null}
      </div>
      {model.dots.length === 0 && model.total > 0 ? (
        <figcaption className="muted trend-caption">
          {model.total.toLocaleString('en-US')} points: dots hidden at this density{model.decimated ? ", the line decimated to the chart's width" : ''}; hover shows
          any point, and change points use every point.
        </figcaption>
      ) : null}
    </figure>
  )
}

function ChangeLabel({ x, y, text, box }: { x: number; y: number; text: string; box: ChartBox }): ReactNode {
  const at = placeChangeLabel(x, text, box)
  return (
    <text x={at.x} y={y} textAnchor={at.anchor}>
      {text}
    </text>
  )
}
