/**
 * Two runs' heaps compared by class (WorkbenchApi.compareHeapClasses): count, shallow and retained size per
 * class before and after, sorted by the size of the change, with a drill-down from a class to its largest
 * instances on each side (up to five) and the path that retains each. Objects are not matched by id: ids mean nothing
 * across two processes (that comparison, HeapDiffView, is for the start and end snapshots of one run).
 */
import { type ReactNode, useMemo, useState } from 'react'
import { type HeapClassChange, type HeapClassInstance, type HeapClassSortKey, sortHeapClassChanges } from '../../../../core/compare/heap-class-diff.js'
import { formatBytes } from '../../../../core/format/bytes.js'
import { formatInteger } from '../../../../core/format/number.js'
import { ErrorBox } from '../../components/StatusBadge.js'
import { useApi } from '../../state/store.js'
import { useAsync } from '../compare/use-async.js'
import { formatSignedBytes, type HeapRef } from './HeapDiff.js'
import { formatSignedCount } from './heap-table.js'

const ROW_LIMIT = 100

export function HeapClassDiffView({ base, target }: { base: HeapRef; target: HeapRef }): ReactNode {
  const api = useApi()
  const result = useAsync(
    () => api.compareHeapClasses({ runId: base.runId, file: base.file }, { runId: target.runId, file: target.file }),
    [api, base.runId, base.file, target.runId, target.file],
  )
  const [open, setOpen] = useState<string | null>(null)
  const [sortBy, setSortBy] = useState<HeapClassSortKey>('retained')
  const sorted = useMemo(
    () => (result.status === 'ready' ? [...result.value.classes].sort((a, b) => sortHeapClassChanges(a, b, sortBy)) : []),
    [result, sortBy],
  )
  if (result.status === 'loading')
    return <p className="muted heap-loading">Summarizing both snapshots… (large snapshots take a few seconds)</p>
  if (result.status === 'error')
    return (
      <ErrorBox title="Could not compare the heaps" onRetry={result.reload}>
        {result.message}
      </ErrorBox>
    )
  const { totals } = result.value
  const classes = sorted
  const shown = classes.slice(0, ROW_LIMIT)
  return (
    <section className="heap-diff heap-class-diff" aria-label="Heap comparison by class">
      <p className="muted small">
        {base.label}: {formatBytes(totals.baseBytes)} in {formatInteger(totals.baseCount)} objects → {target.label}:{' '}
        {formatBytes(totals.targetBytes)} in {formatInteger(totals.targetCount)} objects. Compared by class (two processes: object ids do
        not match across them); sorted by the absolute change. Click a class for its largest instances on each side and what retains them.
      </p>
      <label className="compare-field">
        <span>Sort by change of</span>
        <select aria-label="Sort heap classes by" value={sortBy} onChange={(e) => setSortBy(e.target.value as HeapClassSortKey)}>
          <option value="retained">retained size (finds what holds a leak)</option>
          <option value="shallow">shallow size (finds what leaks)</option>
          <option value="count">count</option>
        </select>
      </label>
      <div className="table-scroll">
        <table className="data-table heap-table" aria-label="Heap classes compared">
          <thead>
            <tr>
              <th scope="col">Class</th>
              <th scope="col">Count</th>
              <th scope="col">Δ count</th>
              <th scope="col">Shallow</th>
              <th scope="col">Δ shallow</th>
              <th scope="col">Retained</th>
              <th scope="col">Δ retained</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <ClassRows
                key={c.name}
                c={c}
                open={open === c.name}
                onToggle={() => setOpen(open === c.name ? null : c.name)}
                base={base}
                target={target}
              />
            ))}
          </tbody>
        </table>
      </div>
      {classes.length > ROW_LIMIT ? (
        <p className="muted small">{formatInteger(classes.length - ROW_LIMIT)} more classes changed less.</p>
      ) : null}
    </section>
  )
}

function ClassRows({
  c,
  open,
  onToggle,
  base,
  target,
}: {
  c: HeapClassChange
  open: boolean
  onToggle: () => void
  base: HeapRef
  target: HeapRef
}): ReactNode {
  return (
    <>
      <tr aria-expanded={open} onClick={onToggle} className="heap-class-row" data-class={c.name}>
        <th scope="row">{c.name}</th>
        <td>
          {formatInteger(c.baseCount)} → {formatInteger(c.targetCount)}
        </td>
        <td>{formatSignedCount(c.deltaCount)}</td>
        <td>
          {formatBytes(c.baseShallowBytes)} → {formatBytes(c.targetShallowBytes)}
        </td>
        <td>{formatSignedBytes(c.deltaShallowBytes)}</td>
        <td>
          {formatBytes(c.baseRetainedBytes)} → {formatBytes(c.targetRetainedBytes)}
        </td>
        <td>{formatSignedBytes(c.deltaRetainedBytes)}</td>
      </tr>
      {open ? (
        <tr className="heap-class-detail">
          <td colSpan={7}>
            <div className="heap-class-sides">
              <Largest side={base.label} largest={c.baseLargest} instances={c.baseInstances} count={c.baseCount} />
              <Largest side={target.label} largest={c.targetLargest} instances={c.targetInstances} count={c.targetCount} />
            </div>
          </td>
        </tr>
      ) : null}
    </>
  )
}

function Largest({
  side,
  largest,
  instances,
  count,
}: {
  side: string
  largest: HeapClassChange['baseLargest']
  instances: HeapClassChange['baseInstances']
  count: number
}): ReactNode {
  if (!largest) return <p className="muted small">{side}: no instance.</p>
  const list: HeapClassInstance[] = instances && instances.length > 0 ? instances : [largest]
  return (
    <div className="heap-largest" data-side={side}>
      <p className="small">
        {side}: the {list.length === 1 ? 'largest instance' : `${list.length} largest of ${formatInteger(count)} instances`} by retained size
      </p>
      <ol className="heap-instances">
        {list.map((x, i) => (
          <li key={x.nodeId} className="heap-instance">
            <details open={i === 0}>
              <summary className="small mono">
                @{x.nodeId} retains {formatBytes(x.retainedSizeBytes)}
              </summary>
              {x.path ? (
                <ol className="retainer-path small mono">
                  <li>{x.path.from.className}</li>
                  {x.path.steps.map((s, k) => (
                    <li key={k}>
                      .{s.edgeName} ({s.edgeType}) → {s.className} @{s.nodeId}
                    </li>
                  ))}
                </ol>
              ) : (
                <p className="muted small">Its retaining path was not kept (only the 50 classes with the largest retained sizes get them).</p>
              )}
            </details>
          </li>
        ))}
      </ol>
    </div>
  )
}
