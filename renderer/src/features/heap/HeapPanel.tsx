/**
 * The Heap tab of a run: pick a snapshot to summarize, and, when the run has both a start and an end
 * snapshot, their comparison (what the run allocated and kept).
 */
import { type ReactNode, useState } from 'react'
import type { RunRecord } from '../../../../core/model/run.js'
import { HeapDiffView } from './HeapDiff.js'
import { HeapSummaryView } from './HeapSummary.js'

/** The run's heap snapshot files, start before end. */
export function heapSnapshotFiles(record: Pick<RunRecord, 'artifacts'>): string[] {
  const files = record.artifacts.filter((a) => a.kind === 'heapsnapshot' || a.file.endsWith('.heapsnapshot')).map((a) => a.file)
  const rank = (f: string): number => (f.includes('start') ? 0 : f.includes('end') ? 2 : 1)
  return files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
}

export function HeapPanel({ record }: { record: RunRecord }): ReactNode {
  const files = heapSnapshotFiles(record)
  const start = files.find((f) => f.includes('start'))
  const end = files.find((f) => f.includes('end'))
  const canCompare = start !== undefined && end !== undefined
  const [mode, setMode] = useState<string>(canCompare ? 'compare' : (files[files.length - 1] ?? ''))
  const options = [...(canCompare ? [{ value: 'compare', label: 'Start → end' }] : []), ...files.map((f) => ({ value: f, label: f }))]
  return (
    <div className="heap-panel">
      <div className="segmented" role="radiogroup" aria-label="Heap view">
        {options.map((o) => (
          <label key={o.value} className={mode === o.value ? 'on' : undefined}>
            <input type="radio" name="heap-mode" value={o.value} checked={mode === o.value} onChange={() => setMode(o.value)} />
            {o.label}
          </label>
        ))}
      </div>
      {mode === 'compare' && start && end ? (
        <HeapDiffView base={{ runId: record.id, file: start, label: start }} target={{ runId: record.id, file: end, label: end }} />
      ) : mode ? (
        <HeapSummaryView key={mode} runId={record.id} file={mode} />
      ) : null}
    </div>
  )
}
