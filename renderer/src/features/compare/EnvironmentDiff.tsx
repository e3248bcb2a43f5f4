/**
 * Where the compared runs' environments differ (highlighted, every run's value side by side) and, folded
 * away, the facts they share; load averages at start shown apart, as they change on every capture.
 */
import { type ReactNode, useState } from 'react'
import type { EnvValue, EnvironmentDiff } from '../../../../core/compare/environment-diff.js'

function show(v: EnvValue): string {
  if (v === null) return '—'
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(v)
  return String(v)
}

export function EnvironmentDiffTable({ diff, names }: { diff: EnvironmentDiff; names: Record<string, string> }): ReactNode {
  const [showSame, setShowSame] = useState(false)
  return (
    <div className="env-diff">
      <table className="data-table env-diff-table" aria-label="Environment differences">
        <thead>
          <tr>
            <th>Fact</th>
            {diff.runIds.map((id, i) => (
              <th key={id}>
                {names[id] ?? id} {i === 0 ? <span className="muted small">baseline</span> : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {diff.differences.length === 0 ? (
            <tr>
              <td colSpan={diff.runIds.length + 1} className="muted">
                No differences: the runs ran on the same machine, runtime and settings.
              </td>
            </tr>
          ) : (
            diff.differences.map((d) => (
              <tr key={d.path} className="env-differs">
                <td className="mono">{d.path}</td>
                {d.values.map((v, i) => (
                  <td key={diff.runIds[i] ?? i} className={i > 0 && v !== d.values[0] ? 'env-changed' : undefined}>
                    {show(v)}
                  </td>
                ))}
              </tr>
            ))
          )}
          {diff.loadAvg.some((l) => l.loadAvg) ? (
            <tr>
              <td className="mono">
                loadAvg <span className="muted small">at start</span>
              </td>
              {diff.runIds.map((id) => {
                const l = diff.loadAvg.find((x) => x.runId === id)?.loadAvg
                return <td key={id}>{l ? l.map((x) => x.toFixed(2)).join(' · ') : '—'}</td>
              })}
            </tr>
          ) : null}
          {showSame
            ? diff.same.map((s) => (
                <tr key={s.path} className="env-same">
                  <td className="mono">{s.path}</td>
                  <td colSpan={diff.runIds.length}>{show(s.value)}</td>
                </tr>
              ))
            : null}
        </tbody>
      </table>
      {diff.same.length > 0 ? (
        <button type="button" className="link-btn" onClick={() => setShowSame((v) => !v)}>
          {showSame ? 'Hide' : 'Show'} the {diff.same.length} facts that are the same
        </button>
      ) : null}
    </div>
  )
}
