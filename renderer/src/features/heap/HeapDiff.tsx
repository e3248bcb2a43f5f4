/**
 * The comparison of two heap snapshots (diffHeapSnapshots, DevTools' Comparison view): per class the
 * objects allocated (#new) and freed (#deleted), the change in count and in size, sorted by size change
 * so a leaking class is on top.
 */
import { type ReactNode, useMemo, useState } from 'react'
import type { HeapDiff } from '../../../../core/compare/heap-diff.js'
import { formatBytes } from '../../../../core/format/bytes.js'
import { formatInteger } from '../../../../core/format/number.js'
import type { RunId } from '../../../../core/model/run.js'
import { Icon } from '../../components/Icon.js'
import { ErrorBox } from '../../components/StatusBadge.js'
import { useApi } from '../../state/store.js'
import { useAsync } from '../compare/use-async.js'
import { type DiffSortKey, filterSortDiff, formatSignedCount, type SortDir } from './heap-table.js'

const ROW_LIMIT = 200

export interface HeapRef {
  runId: RunId
  file: string
  /** How the side is named in the heading ("start", "baseline end"). */
  label: string
}

export function formatSignedBytes(n: number): string {
  return n > 0 ? `+${formatBytes(n)}` : n < 0 ? `\u2212${formatBytes(-n)}` : '0 B'
}

export function HeapDiffView({ base, target }: { base: HeapRef; target: HeapRef }): ReactNode {
  const api = useApi()
  const diff = useAsync(
    () => api.diffHeapSnapshots({ runId: base.runId, file: base.file }, { runId: target.runId, file: target.file }),
    [api, base.runId, base.file, target.runId, target.file],
  )
  return (
    <section className="heap-diff" aria-label="Heap comparison">
      <h3 className="section-label">
        {base.label} → {target.label}
      </h3>
      {diff.status === 'loading' ? (
        <p className="muted heap-loading">Comparing snapshots… (large snapshots take a few seconds)</p>
      ) : diff.status === 'error' ? (
        <ErrorBox title="Could not compare the snapshots" onRetry={diff.reload}>
          {diff.message}
        </ErrorBox>
      ) : (
        <HeapDiffTable diff={diff.value} />
      )}
    </section>
  )
}

const COLUMNS: { key: DiffSortKey; label: string }[] = [
  { key: 'newCount', label: '# New' },
  { key: 'deletedCount', label: '# Deleted' },
  { key: 'deltaCount', label: '# Delta' },
  { key: 'allocSizeBytes', label: 'Alloc. size' },
  { key: 'freedSizeBytes', label: 'Freed size' },
  { key: 'deltaSizeBytes', label: 'Size delta' },
]

export function HeapDiffTable({ diff }: { diff: HeapDiff }): ReactNode {
  const [filter, setFilter] = useState('')
  const [sort, setSort] = useState<{ key: DiffSortKey; dir: SortDir }>({ key: 'deltaSizeBytes', dir: 'desc' })
  const rows = useMemo(() => filterSortDiff(diff.classes, filter, sort), [diff, filter, sort])
  const onSort = (key: DiffSortKey): void =>
    setSort((s) => ({ key, dir: s.key === key ? (s.dir === 'asc' ? 'desc' : 'asc') : key === 'name' ? 'asc' : 'desc' }))
  const t = diff.totals
  return (
    <div className="heap-diff-body">
      <p className="heap-diff-totals">
        <strong className={t.deltaSizeBytes > 0 ? 'delta-up' : t.deltaSizeBytes < 0 ? 'delta-down' : undefined}>
          {formatSignedBytes(t.deltaSizeBytes)}
        </strong>{' '}
        net · {formatInteger(t.newCount)} new objects ({formatBytes(t.allocSizeBytes)}) · {formatInteger(t.deletedCount)} deleted (
        {formatBytes(t.freedSizeBytes)}) · {formatInteger(diff.matchedCount)} in both ·{' '}
        <span className="muted">
          {formatBytes(diff.base.totalSelfSizeBytes)} → {formatBytes(diff.target.totalSelfSizeBytes)}
        </span>
      </p>
      {diff.warnings.length > 0 ? (
        <ul className="heap-warnings">
          {diff.warnings.map((w) => (
            <li key={w}>
              <Icon name="alert" /> {w}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="heap-filter">
        <input
          type="search"
          placeholder="Filter by constructor"
          aria-label="Filter compared classes"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span className="muted small">{formatInteger(rows.length)} classes changed</span>
      </div>
      <div className="heap-scroll">
        <table className="data-table heap-table heap-diff-table" aria-label="Class changes">
          <thead>
            <tr>
              <th aria-sort={sort.key === 'name' ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                <button type="button" className="sort-btn" onClick={() => onSort('name')}>
                  Constructor{sort.key === 'name' ? <span className="sort-arrow">{sort.dir === 'asc' ? '▲' : '▼'}</span> : null}
                </button>
              </th>
              {COLUMNS.map((c) => (
                <th key={c.key} className="num" aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                  <button type="button" className="sort-btn" onClick={() => onSort(c.key)}>
                    {c.label}
                    {sort.key === c.key ? <span className="sort-arrow">{sort.dir === 'asc' ? '▲' : '▼'}</span> : null}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, ROW_LIMIT).map((c) => (
              <tr key={c.name}>
                <td className="mono heap-name" title={c.name}>
                  {c.name}
                </td>
                <td className="num">{formatInteger(c.newCount)}</td>
                <td className="num">{formatInteger(c.deletedCount)}</td>
                <td className={`num ${c.deltaCount > 0 ? 'delta-up' : c.deltaCount < 0 ? 'delta-down' : ''}`}>
                  {formatSignedCount(c.deltaCount)}
                </td>
                <td className="num">{formatBytes(c.allocSizeBytes)}</td>
                <td className="num">{formatBytes(c.freedSizeBytes)}</td>
                <td className={`num ${c.deltaSizeBytes > 0 ? 'delta-up' : c.deltaSizeBytes < 0 ? 'delta-down' : ''}`}>
                  <strong>{formatSignedBytes(c.deltaSizeBytes)}</strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length > ROW_LIMIT ? <p className="muted small pad">Showing the first {ROW_LIMIT}; filter to find others.</p> : null}
      </div>
    </div>
  )
}
