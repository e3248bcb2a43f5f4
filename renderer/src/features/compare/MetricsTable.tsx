/**
 * One candidate against the baseline, metric by metric: both values, the ratio, the 95% interval of the
 * ratio (from the spread between processes) drawn as a bar around 1.0 over the shaded noise band, the
 * minimum detectable effect, the processes per side, and the verdict (improved, regressed, no change,
 * inconclusive, or no verdict).
 */
import type { ReactNode } from 'react'
import type { CandidateComparison } from '../../../../core/compare/comparison.js'
import { METRIC_DEFINITIONS, type MetricComparison } from '../../../../core/compare/metrics.js'
import { formatInterval, formatMde, formatMetricValue, formatProcesses, VERDICT_TEXT } from '../../../../core/export/phrases.js'
import { formatChange, formatRatio } from '../../../../core/format/number.js'
import { type RatioScale, intervalBarGeometry, ratioScale } from './compare-model.js'

function IntervalBar({ m, noise, scale }: { m: MetricComparison; noise: number; scale: RatioScale }): ReactNode {
  const g = intervalBarGeometry(m, noise, scale)
  const pct = (f: number): string => `${(f * 100).toFixed(2)}%`
  return (
    <div className={`ci-bar verdict-${m.verdict}`} role="img" aria-label={`interval ${formatInterval(m)}`}>
      <span className="ci-noise" style={{ left: pct(g.noiseFrom), width: pct(g.noiseTo - g.noiseFrom) }} />
      <span className="ci-one" style={{ left: pct(g.one) }} />
      {g.ci ? (
        <span
          className={`ci-range ${g.ci.clippedLow ? 'clip-low' : ''} ${g.ci.clippedHigh ? 'clip-high' : ''}`}
          style={{ left: pct(g.ci.from), width: pct(Math.max(0.004, g.ci.to - g.ci.from)) }}
        />
      ) : null}
      {g.point !== null ? <span className="ci-point" style={{ left: pct(g.point) }} /> : null}
    </div>
  )
}

export function VerdictBadge({ verdict }: { verdict: MetricComparison['verdict'] }): ReactNode {
  return <span className={`verdict verdict-${verdict}`}>{VERDICT_TEXT[verdict]}</span>
}

export function MetricsTable({
  candidate,
  noise,
  singleProcessFloor,
  baselineName,
  candidateName,
}: {
  candidate: CandidateComparison
  noise: number
  /** With one process per side a change must exceed this (fraction); the bar then shades this band. */
  singleProcessFloor: number
  baselineName: string
  candidateName: string
}): ReactNode {
  const scale = ratioScale(candidate.metrics, Math.max(noise, candidate.metrics.some((m) => m.basis === 'noise-floor') ? singleProcessFloor : 0))
  return (
    <table className="data-table metrics-table" aria-label={`Metrics of ${candidateName}`}>
      <thead>
        <tr>
          <th>Metric</th>
          <th className="num" title={baselineName}>
            Baseline
          </th>
          <th className="num" title={candidateName}>
            Candidate
          </th>
          <th className="num">Ratio</th>
          <th className="ci-col">
            95% CI of the ratio{' '}
            <span className="muted small">
              ({formatRatio(scale.lo, 2)} … {formatRatio(scale.hi, 2)}, log)
            </span>
          </th>
          <th className="num" title="the smallest change this comparison would report with 80% probability">
            Could detect
          </th>
          <th className="num" title="processes per side (baseline + candidate), or paired processes">
            Processes
          </th>
          <th>Verdict</th>
        </tr>
      </thead>
      <tbody>
        {candidate.metrics.map((m) => {
          const def = METRIC_DEFINITIONS[m.name]
          const band = m.basis === 'noise-floor' ? singleProcessFloor : noise
          return (
            <tr key={m.name} data-metric={m.name}>
              <td>
                {m.label ?? def.label} <span className="muted small">{def.better === 'higher' ? '↑ better' : '↓ better'}</span>
              </td>
              <td className="num">{formatMetricValue(m.baseline, m.unit)}</td>
              <td className="num">{formatMetricValue(m.candidate, m.unit)}</td>
              <td className="num" title={m.perOperation ? 'per operation' : undefined}>
                {formatRatio(m.ratio)} <span className="muted small">{formatChange(m.ratio)}</span>
              </td>
              <td className="ci-col" title={m.note ?? formatInterval(m)}>
                <div className="ci-cell">
                  <IntervalBar m={m} noise={band} scale={scale} />
                  <span className="muted small ci-text">
                    {m.ciLow !== null ? formatInterval(m) : m.basis === 'noise-floor' ? '1 process per side: no interval' : 'n/a'}
                  </span>
                </div>
              </td>
              <td className="num" data-col="mde">
                {formatMde(m)}
              </td>
              <td className="num" data-col="processes">
                {formatProcesses(m)}
              </td>
              <td title={m.note}>
                <VerdictBadge verdict={m.verdict} />
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
