/**
 * Many machines, one table (compareByTarget on the engine): the configured targets, then one column per
 * machine for the newest group of runs made on targets (or a chosen group), with throughput and latency
 * intervals over processes, speed against a chosen reference, and the environment facts that differ
 * highlighted. Copy as Markdown and Save HTML give the same table as `hotpath compare --by target`.
 */
import { type ReactNode, useEffect, useMemo, useState } from 'react'
import type { TargetComparison } from '../../../../core/compare/by-target.js'
import { targetTableRows } from '../../../../core/export/target-table.js'
import type { Target } from '../../../../core/model/target.js'
import { Icon } from '../../components/Icon.js'
import { ErrorBox } from '../../components/StatusBadge.js'
import { downloadBytes, exportFileName } from '../../lib/download.js'
import { errorMessage } from '../../lib/errors.js'
import { useApi } from '../../state/store.js'
import { useRunQuery } from '../runs/use-run-query.js'

type Loaded =
  | { status: 'none' }
  | { status: 'loading' }
  | { status: 'ready'; comparison: TargetComparison; markdown: string; html: string }
  | { status: 'error'; error: string }

export function TargetsView(): ReactNode {
  const api = useApi()
  // Runs made on targets are tagged target:<name>; the newest of all runs are asked for, not the library's page.
  const { runs, total, status: runsStatus } = useRunQuery({})
  const [targets, setTargets] = useState<Target[] | null>(null)
  const [group, setGroup] = useState<string>('')
  const [reference, setReference] = useState<string>('')
  const [state, setState] = useState<Loaded>({ status: 'loading' })
  const [copied, setCopied] = useState(false)

  // Groups that hold runs made on targets, newest first.
  const groups = useMemo(() => {
    const seen = new Map<string, string>()
    for (const r of runs)
      if (r.group && r.tags.some((t) => t.startsWith('target:')) && (seen.get(r.group) ?? '') < r.createdAt) seen.set(r.group, r.createdAt)
    return [...seen.entries()].sort((a, b) => (a[1] < b[1] ? 1 : -1)).map(([g]) => g)
  }, [runs])

  useEffect(() => {
    let cancelled = false
    api.listTargets().then(
      (t) => !cancelled && setTargets(t),
      () => !cancelled && setTargets([]),
    )
    return () => {
      cancelled = true
    }
  }, [api])

  // A store whose runs are all at hand and none made on a target has nothing to compare: say so, rather
  // than ask the engine and show its refusal as an error.
  const noTargetRuns = runsStatus === 'ready' && runs.length === total && !runs.some((r) => r.tags.some((t) => t.startsWith('target:')))
  useEffect(() => {
    let cancelled = false
    if (noTargetRuns) {
      setState({ status: 'none' })
      return
    }
    // Wait for the runs: they decide whether there is anything to ask for.
    if (runsStatus === 'loading') return
    setState({ status: 'loading' })
    api.compareByTarget({ ...(group ? { group } : {}), ...(reference ? { reference } : {}) }).then(
      (r) => !cancelled && setState({ status: 'ready', ...r }),
      (err: unknown) => !cancelled && setState({ status: 'error', error: errorMessage(err) }),
    )
    return () => {
      cancelled = true
    }
  }, [api, group, reference, runs.length, noTargetRuns, runsStatus])

  const table = state.status === 'ready' ? targetTableRows(state.comparison) : null
  return (
    <section className="view" aria-labelledby="targets-view-title">
      <header className="view-header">
        <div>
          <h1 id="targets-view-title">Targets</h1>
          <p className="view-subtitle">Machines reached over SSH, and their runs side by side (hotpath run … --on a,b).</p>
        </div>
        <div className="view-actions">
          <label>
            Group{' '}
            <select value={group} onChange={(e) => setGroup(e.target.value)} aria-label="Group of runs">
              <option value="">newest</option>
              {groups.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
          </label>
          <label>
            Reference{' '}
            <select value={reference} onChange={(e) => setReference(e.target.value)} aria-label="Reference machine">
              <option value="">first</option>
              {state.status === 'ready'
                ? state.comparison.targets.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))
                : null}
            </select>
          </label>
          <button
            type="button"
            className="btn"
            disabled={state.status !== 'ready'}
            onClick={() => {
              if (state.status !== 'ready') return
              void navigator.clipboard.writeText(state.markdown).then(() => {
                setCopied(true)
                setTimeout(() => setCopied(false), 2000)
              })
            }}
          >
            <Icon name={copied ? 'check' : 'copy'} /> {copied ? 'Copied' : 'Copy as Markdown'}
          </button>
          <button
            type="button"
            className="btn"
            disabled={state.status !== 'ready'}
            onClick={() => state.status === 'ready' && downloadBytes(state.html, exportFileName('hotpath-targets', 'html'), 'text/html')}
          >
            <Icon name="download" /> Save HTML
          </button>
        </div>
      </header>

      <table className="data-table" aria-label="Targets">
        <thead>
          <tr>
            <th>Name</th>
            <th>Address</th>
            <th>Node</th>
            <th>Jump host</th>
          </tr>
        </thead>
        <tbody>
          {targets === null ? (
            <tr>
              <td colSpan={4} className="muted">
                Loading…
              </td>
            </tr>
          ) : targets.length === 0 ? (
            <tr>
              <td colSpan={4} className="muted">
                No targets yet: <code>hotpath target add NAME ssh://[user@]host[:port]</code>
              </td>
            </tr>
          ) : (
            targets.map((t) => (
              <tr key={t.name}>
                <td>{t.name}</td>
                <td className="mono">{t.url}</td>
                <td className="mono">{t.node ?? 'node on PATH'}</td>
                <td className="mono">{t.jump ?? '—'}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>

      {state.status === 'error' ? <ErrorBox title="No comparison">{state.error}</ErrorBox> : null}
      {state.status === 'loading' ? <p className="muted">Loading the comparison…</p> : null}
      {state.status === 'none' ? (
        <p className="muted" data-testid="targets-no-runs">
          No runs made on targets yet: <code>hotpath run WORKLOAD --on NAME,NAME</code> runs a workload on each machine, and they show here
          side by side.
        </p>
      ) : null}
      {table
        ? table.sections.map((section) => (
            <div key={section.title} className="targets-section">
              <h2>{section.title}</h2>
              <table className="data-table env-diff-table" aria-label={section.title}>
                <thead>
                  <tr>
                    {table.header.map((h, i) => (
                      <th key={i}>{h}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {section.rows.map((row) => (
                    <tr key={row.cells[0]}>
                      {row.cells.map((cell, i) =>
                        i === 0 ? (
                          <td key={i} className="mono">
                            {cell}
                          </td>
                        ) : (
                          <td key={i} className={row.differs?.[i - 1] ? 'env-changed' : undefined}>
                            {cell}
                          </td>
                        ),
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))
        : null}
      <p className="muted small">
        Intervals are 95% over processes (Student t); speed is throughput relative to the reference machine. Highlighted facts differ
        between machines.
      </p>
    </section>
  )
}
