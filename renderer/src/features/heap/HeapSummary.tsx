/**
 * One heap snapshot summarized by the engine (getHeapSummary, computed in a worker thread): the
 * statistics bar, the class table (count, shallow, retained; sortable, filterable) and the retaining
 * path of the selected class's largest instance.
 */
import { type ReactNode, useMemo, useState } from 'react'
import type { HeapSummary } from '../../../../core/analysis/heap-summary.js'
import { formatBytes } from '../../../../core/format/bytes.js'
import { formatInteger, formatPct } from '../../../../core/format/number.js'
import type { RunId } from '../../../../core/model/run.js'
import { ErrorBox } from '../../components/StatusBadge.js'
import { useApi } from '../../state/store.js'
import { useAsync } from '../compare/use-async.js'
import { type ClassSortKey, defaultClassSortDir, filterSortClasses, type SortDir, statisticsSegments } from './heap-table.js'

const ROW_LIMIT = 300

export function HeapSummaryView({ runId, file }: { runId: RunId; file: string }): ReactNode {
  const api = useApi()
  const summary = useAsync(() => api.getHeapSummary(runId, file), [api, runId, file])
  if (summary.status === 'loading') return <p className="muted heap-loading">Summarizing {file}… (large snapshots take a few seconds)</p>
  if (summary.status === 'error')
    return (
      <ErrorBox title={`Could not summarize ${file}`} onRetry={summary.reload}>
        {summary.message}
      </ErrorBox>
    )
  return <HeapSummaryTable summary={summary.value} />
}

export function StatisticsBar({ summary }: { summary: HeapSummary }): ReactNode {
  const segments = statisticsSegments(summary.statistics)
  return (
    <div className="heap-stats" aria-label="Heap statistics">
      <div className="heap-stats-bar" role="img" aria-label={segments.map((s) => `${s.label} ${formatBytes(s.bytes)}`).join(', ')}>
        {segments.map((s) =>
          s.share > 0 ? (
            <span
              key={s.key}
              className={`heap-seg heap-seg-${s.key}`}
              style={{ flexGrow: s.share }}
              title={`${s.label}: ${formatBytes(s.bytes)}`}
            />
          ) : null,
        )}
      </div>
      <ul className="heap-stats-legend">
        {segments.map((s) => (
          <li key={s.key}>
            <span className={`heap-swatch heap-seg-${s.key}`} aria-hidden="true" />
            {s.label} <strong>{formatBytes(s.bytes)}</strong> <span className="muted">{formatPct(s.share)}</span>
          </li>
        ))}
        <li className="muted">
          Total {formatBytes(summary.statistics.totalBytes)} · {formatInteger(summary.nodeCount)} objects ·{' '}
          {formatInteger(summary.edgeCount)} references
          {summary.unreachableNodeCount > 0 ? ` · ${formatInteger(summary.unreachableNodeCount)} unreachable` : ''}
        </li>
      </ul>
    </div>
  )
}

function SortTh({
  label,
  k,
  sort,
  onSort,
  numeric,
}: {
  label: string
  k: ClassSortKey
  sort: { key: ClassSortKey; dir: SortDir }
  onSort(k: ClassSortKey): void
  numeric?: boolean
}): ReactNode {
  const active = sort.key === k
  return (
    <th className={numeric ? 'num' : undefined} aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort-btn" onClick={() => onSort(k)}>
        {label}
        {active ? <span className="sort-arrow">{sort.dir === 'asc' ? '▲' : '▼'}</span> : null}
      </button>
    </th>
  )
}

export function HeapSummaryTable({ summary }: { summary: HeapSummary }): ReactNode {
  const [filter, setFilter] = useState('')
  const [sort, setSort] = useState<{ key: ClassSortKey; dir: SortDir }>({ key: 'retainedSizeBytes', dir: 'desc' })
  const [selected, setSelected] = useState<string | null>(summary.classes[0]?.name ?? null)
  const rows = useMemo(() => filterSortClasses(summary.classes, filter, sort), [summary, filter, sort])
  const onSort = (key: ClassSortKey): void =>
    setSort((s) => ({ key, dir: s.key === key ? (s.dir === 'asc' ? 'desc' : 'asc') : defaultClassSortDir(key) }))
  const path = summary.retainerPaths.find((p) => p.className === selected)
  const total = summary.totalSelfSizeBytes
  return (
    <div className="heap-summary">
      <StatisticsBar summary={summary} />
      <div className="heap-split">
        <div className="heap-table-wrap">
          <div className="heap-filter">
            <input
              type="search"
              placeholder="Filter by constructor"
              aria-label="Filter classes"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
            <span className="muted small">
              {rows.length === summary.classes.length
                ? `${formatInteger(rows.length)} classes`
                : `${formatInteger(rows.length)} of ${formatInteger(summary.classes.length)} classes`}
            </span>
          </div>
          <div className="heap-scroll">
            <table className="data-table heap-table" aria-label="Classes">
              <thead>
                <tr>
                  <SortTh label="Constructor" k="name" sort={sort} onSort={onSort} />
                  <SortTh label="Count" k="count" sort={sort} onSort={onSort} numeric />
                  <SortTh label="Shallow" k="shallowSizeBytes" sort={sort} onSort={onSort} numeric />
                  <SortTh label="Retained" k="retainedSizeBytes" sort={sort} onSort={onSort} numeric />
                </tr>
              </thead>
              <tbody>
                {rows.slice(0, ROW_LIMIT).map((c) => (
                  <tr
                    key={c.name}
                    className={c.name === selected ? 'selected' : undefined}
                    aria-selected={c.name === selected}
                    onClick={() => setSelected(c.name)}
                  >
                    <td className="mono heap-name" title={c.name}>
                      {c.name}
                    </td>
                    <td className="num">{formatInteger(c.count)}</td>
                    <td className="num">
                      {formatBytes(c.shallowSizeBytes)}{' '}
                      <span className="muted small">{formatPct(total > 0 ? c.shallowSizeBytes / total : 0)}</span>
                    </td>
                    <td className="num">
                      {formatBytes(c.retainedSizeBytes)}{' '}
                      <span className="muted small">{formatPct(total > 0 ? c.retainedSizeBytes / total : 0)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {rows.length > ROW_LIMIT ? <p className="muted small pad">Showing the first {ROW_LIMIT}; filter to find others.</p> : null}
          </div>
        </div>
        <aside className="heap-retainers" aria-label="Retainers">
          <h3 className="section-label">Retainers {selected ? <span className="mono">· {selected}</span> : null}</h3>
          {!selected ? (
            <p className="muted">Select a class.</p>
          ) : !path ? (
            <p className="muted">
              No retaining path was computed for this class (paths are kept for the {summary.retainerPaths.length} classes with the largest
              retained size).
            </p>
          ) : (
            <>
              <p className="muted small">
                Largest instance @{path.nodeId} retains {formatBytes(path.retainedSizeBytes)}.{' '}
                {path.path.reachable ? 'Shortest path from a GC root:' : 'No strong path reaches it (weak references only).'}
              </p>
              <ol className="retainer-path">
                <li>
                  <span className="mono">{path.path.from.className}</span> <span className="muted">@{path.path.from.nodeId}</span>
                </li>
                {path.path.steps.map((s, i) => (
                  <li key={i}>
                    <span className="edge">
                      .{s.edgeType === 'element' ? `[${s.edgeName}]` : s.edgeName} <span className="muted small">{s.edgeType}</span>
                    </span>{' '}
                    → <span className="mono">{s.className}</span> <span className="muted">@{s.nodeId}</span>
                  </li>
                ))}
              </ol>
            </>
          )}
        </aside>
      </div>
    </div>
  )
}
