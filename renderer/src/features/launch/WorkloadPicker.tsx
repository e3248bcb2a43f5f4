/**
 * The workload list of the launch view: one entry per descriptor with its title, description and
 * what one measured operation is. Arrow keys move between entries (a listbox).
 */
import type { KeyboardEvent, ReactNode } from 'react'
import type { WorkloadDescriptor } from '../../../../core/model/workload.js'

export interface WorkloadPickerProps {
  workloads: readonly WorkloadDescriptor[]
  selectedId: string | null
  onSelect(id: string): void
}

export function WorkloadPicker({ workloads, selectedId, onSelect }: WorkloadPickerProps): ReactNode {
  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>): void => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return
    e.preventDefault()
    const i = workloads.findIndex((w) => w.id === selectedId)
    const next = workloads[Math.min(workloads.length - 1, Math.max(0, i + (e.key === 'ArrowDown' ? 1 : -1)))]
    if (next) {
      onSelect(next.id)
      document.getElementById(`workload-${next.id}`)?.focus()
    }
  }
  return (
    <ul className="workload-list" role="listbox" aria-label="Workloads" onKeyDown={onKeyDown}>
      {workloads.map((w) => {
        const selected = w.id === selectedId
        return (
          <li
            key={w.id}
            id={`workload-${w.id}`}
            role="option"
            aria-selected={selected}
            tabIndex={selected || (selectedId === null && w === workloads[0]) ? 0 : -1}
            className={`workload-item ${selected ? 'selected' : ''}`}
            onClick={() => onSelect(w.id)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault()
                onSelect(w.id)
              }
            }}
            data-workload={w.id}
          >
            <div className="workload-title">
              <span>{w.title}</span>
              <span className="workload-id mono">{w.id}</span>
            </div>
            <p className="workload-desc">{w.description}</p>
            <p className="workload-op">
              <span className="muted">Operation:</span> {w.operation}
            </p>
          </li>
        )
      })}
    </ul>
  )
}
