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
import { BackToRuns } from '../../components/BackToRuns.js'
import { EmptyState } from '../../components/StatusBadge.js'
import { OverlayChart } from '../compare/CompareCharts.js'
import { type LoadPoint, alignLoad, alignSweep, isParallelismParam, isRateSweep, rateSweepSeries, sweepSeries, sweptParameter } from './sweep-model.js'
import type { RunSummary } from '../../../../core/model/run.js'
import { useRunQuery } from '../runs/use-run-query.js'

export function SweepView({ group }: { group: string }): ReactNode {
  const { runs: inGroup } = useRunQuery({ group })
  const rateSweep = useMemo(() => isRateSweep(inGroup), [inGroup])
  const param = useMemo(() => (rateSweep ? null : sweptParameter(inGroup)), [inGroup, rateSweep])
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
          <BackToRuns />
          <h1 id="sweep-title">Sweep · {group || 'no group'}</h1>
          <p className="view-subtitle">
            {inGroup.length} runs
            {rateSweep ? ' at increasing offered load (open loop)' : null}
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
        {rateSweep ? (
          <RateSweep runs={inGroup} />
        ) : !param ? (
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

/**
 * An open-loop sweep: latency (from each request's intended start) against offered load, both axes log,
 * one line per variant and statistic; achieved against offered rate; the first rate not kept up marked.
 */
function RateSweep({ runs }: { runs: readonly RunSummary[] }): ReactNode {
  const series = useMemo(() => rateSweepSeries(runs), [runs])
  const stats = [
    { key: 'p50', pick: (p: LoadPoint) => p.p50Ns },
    { key: 'p99', pick: (p: LoadPoint) => p.p99Ns },
    { key: 'p99.9', pick: (p: LoadPoint) => p.p999Ns },
  ] as const
  const latency = useMemo(() => {
    const cols = stats.flatMap((s) => alignLoad(series, s.pick).slice(1))
    return [alignLoad(series, (p) => p.offered)[0], ...cols] as uPlot.AlignedData
  }, [series])
  const latencyNames = stats.flatMap((s) => series.map((v) => `${v.variant} ${s.key}`))
  const achieved = useMemo(() => alignLoad(series, (p) => p.achieved) as uPlot.AlignedData, [series])
  const empty = (latency[0]?.length ?? 0) < 2
  const rate = (v: number): string => `${formatCompact(v)}/s`
  return (
    <div className="sweep-charts">
      <OverlayChart
        title="Latency vs offered load (log–log; from each request's intended start)"
        ariaLabel="Latency vs offered load"
        data={latency}
        names={latencyNames}
        xLabel="offered"
        formatX={rate}
        formatY={formatDuration}
        empty={empty}
        emptyText="Need two rates"
        logX
        logY
        showPoints
      />
      <OverlayChart
        title="Achieved vs offered rate (log–log)"
        ariaLabel="Achieved vs offered"
        data={achieved}
        names={series.map((s) => s.variant)}
        xLabel="offered"
        formatX={rate}
        formatY={rate}
        empty={empty}
        emptyText="Need two rates"
        logX
        logY
        showPoints
      />
      <table className="data-table">
        <thead>
          <tr>
            <th>Variant</th>
            <th className="num">Offered</th>
            <th className="num">Achieved</th>
            <th className="num">p50</th>
            <th className="num">p99</th>
            <th className="num">p99.9</th>
            <th className="num">max</th>
            <th>Kept up</th>
          </tr>
        </thead>
        <tbody>
          {series.flatMap((s) =>
            s.points.map((p) => (
              <tr key={`${s.variant}-${p.offered}`} className={p.saturated ? 'row-saturated' : undefined}>
                <td>{s.variant}</td>
                <td className="num">{rate(p.offered)}</td>
                <td className="num">{rate(p.achieved)}</td>
                <td className="num">{formatDuration(p.p50Ns)}</td>
                <td className="num">{p.p99Ns !== null ? formatDuration(p.p99Ns) : '–'}</td>
                <td className="num">{formatDuration(p.p999Ns)}</td>
                <td className="num">{formatDuration(p.maxNs)}</td>
                <td>{p.saturated ? <strong className="danger-text">no · saturation</strong> : p.keptUp ? 'yes' : 'no'}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      <p className="muted">
        {series
          .map((s) => {
            const at = s.points.findIndex((p) => p.saturated)
            if (at < 0) return `${s.variant}: kept up with every rate`
            const before = s.points[at - 1]
            return `${s.variant}: saturates ${before ? `between ${rate(before.offered)} and ` : 'at '}${rate(s.points[at]!.offered)} (achieved ${rate(s.points[at]!.achieved)})`
          })
          .join(' · ')}
      </p>
    </div>
  )
}
