/**
 * A parameter sweep: the runs of one group (RunSummary.group) plotted against the parameter they swept:
 * throughput (with ideal linear scaling for a parallelism parameter), p99 latency, and then scaling
 * efficiency for a parallelism parameter or peak memory for any other; one series per variant.
 */
import { type ReactNode, useMemo } from 'react'
import type uPlot from 'uplot'
import { formatBytes } from '../../../../core/format/bytes.js'
import { formatDuration } from '../../../../core/format/duration.js'
import { formatCompact, formatOpsPerSec, formatPct } from '../../../../core/format/number.js'
import { Icon } from '../../components/Icon.js'
import { EmptyState } from '../../components/StatusBadge.js'
import { useWorkbench } from '../../state/store.js'
import { OverlayChart } from '../compare/CompareCharts.js'
import { alignSweep, isParallelismParam, sweepSeries, sweptParameter } from './sweep-model.js'

export function SweepView({ group }: { group: string }): ReactNode {
  const runs = useWorkbench((s) => s.runs)
  const navigate = useWorkbench((s) => s.navigate)
  const inGroup = useMemo(() => runs.filter((r) => r.group === group), [runs, group])
  const param = useMemo(() => sweptParameter(inGroup), [inGroup])
  const series = useMemo(() => (param ? sweepSeries(inGroup, param) : []), [inGroup, param])
  const names = series.map((s) => s.variant)
  const scaling = param !== null && isParallelismParam(param)
  // Ideal linear scaling is drawn from the first variant's smallest value (one reference line).
  const ops = useMemo(() => {
    const aligned = alignSweep(series, (p) => p.opsPerSec)
    if (!scaling || series.length === 0) return aligned as uPlot.AlignedData
    const ideal = alignSweep(series.slice(0, 1), (p) => p.idealOpsPerSec)[1] ?? []
    return [...aligned, ideal] as uPlot.AlignedData
  }, [series, scaling])
  const p99 = useMemo(() => alignSweep(series, (p) => p.p99Ns) as uPlot.AlignedData, [series])
  const eff = useMemo(() => {
    const aligned = alignSweep(series, (p) => p.efficiency)
    return [...aligned, aligned[0].map(() => 1)] as uPlot.AlignedData
  }, [series])
  const mem = useMemo(() => alignSweep(series, (p) => p.peakRssBytes) as uPlot.AlignedData, [series])
  const empty = (ops[0]?.length ?? 0) < 2
  return (
    <section className="view view-sweep" aria-labelledby="sweep-title">
      <header className="view-header">
        <div>
          <a
            href="#/runs"
            className="back-link"
            onClick={(e) => {
              e.preventDefault()
              navigate({ view: 'runs' })
            }}
          >
            <Icon name="back" /> Runs
          </a>
          <h1 id="sweep-title">Sweep · {group || 'no group'}</h1>
          <p className="view-subtitle">
            {inGroup.length} runs
            {param ? (
              <>
                {' '}
                swept over <span className="mono">{param}</span>
              </>
            ) : null}
          </p>
        </div>
      </header>
      <div className="view-body">
        {!param ? (
          <EmptyState title="These runs do not vary a numeric parameter, so there is nothing to plot." />
        ) : (
          <div className="sweep-charts">
            <OverlayChart
              title={`Throughput vs ${param}`}
              ariaLabel="Throughput"
              data={ops}
              names={names}
              xLabel={param}
              formatX={(v) => (Number.isInteger(v) ? String(v) : formatCompact(v))}
              formatY={formatOpsPerSec}
              empty={empty}
              emptyText="Need two values"
              xTicksAtData
              showPoints
              {...(scaling ? { reference: 'ideal linear scaling' } : {})}
            />
            <OverlayChart
              title={`p99 latency vs ${param}`}
              ariaLabel="p99"
              data={p99}
              names={names}
              xLabel={param}
              formatX={(v) => (Number.isInteger(v) ? String(v) : formatCompact(v))}
              formatY={formatDuration}
              empty={empty}
              emptyText="Need two values"
              xTicksAtData
              showPoints
            />
            {scaling ? (
              <OverlayChart
                title={`Efficiency vs ideal linear scaling (100%)`}
                ariaLabel="Efficiency"
                data={eff}
                names={names}
                xLabel={param}
                formatX={(v) => (Number.isInteger(v) ? String(v) : formatCompact(v))}
                formatY={(v) => formatPct(v)}
                empty={empty}
                emptyText="Need two values"
                xTicksAtData
                showPoints
                reference="ideal (100%)"
              />
            ) : (
              <OverlayChart
                title={`Peak memory (RSS) vs ${param}`}
                ariaLabel="Peak memory"
                data={mem}
                names={names}
                xLabel={param}
                formatX={(v) => (Number.isInteger(v) ? String(v) : formatCompact(v))}
                formatY={formatBytes}
                empty={empty}
                emptyText="Need two values"
                xTicksAtData
                showPoints
              />
            )}
            <table className="data-table">
              <thead>
                <tr>
                  <th>Variant</th>
                  <th className="num">{param}</th>
                  <th className="num">Throughput</th>
                  <th className="num">p99</th>
                  <th className="num">{scaling ? 'Efficiency' : 'Peak RSS'}</th>
                  <th className="num">Runs</th>
                </tr>
              </thead>
              <tbody>
                {series.flatMap((s) =>
                  s.points.map((p) => (
                    <tr key={`${s.variant}-${p.x}`}>
                      <td>{s.variant}</td>
                      <td className="num">{p.x}</td>
                      <td className="num">{p.opsPerSec !== null ? formatOpsPerSec(p.opsPerSec) : '–'}</td>
                      <td className="num">{p.p99Ns !== null ? formatDuration(p.p99Ns) : '–'}</td>
                      <td className="num">{scaling ? formatPct(p.efficiency) : p.peakRssBytes !== null ? formatBytes(p.peakRssBytes) : '–'}</td>
                      <td className="num">{p.runCount}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  )
}
